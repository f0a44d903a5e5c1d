package dev.parley.push;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A host app's webhook endpoint: records every request; answers 503 while {@link #down} is set. */
final class WebhookReceiver implements AutoCloseable {

    record Request(String id, String timestamp, String signature, String body, int status) {}

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile boolean down;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hooks", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** The requests answered 2xx: what the host app accepted. */
    List<Request> accepted() {
        return requests.stream().filter(r -> r.status() < 300).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int status = down ? 503 : 204;
        requests.add(new Request(
                exchange.getRequestHeaders().getFirst("Parley-Webhook-Id"),
                exchange.getRequestHeaders().getFirst("Parley-Webhook-Timestamp"),
                exchange.getRequestHeaders().getFirst("Parley-Webhook-Signature"),
                body,
                status));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
