package dev.parley.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A host app's contact lookup on loopback, as an integrator would run one: it checks each call's signature (a bad
 * one is answered 401 and counted), answers {@code {contact: true}} for the pairs it was told, and can be made to
 * fail (503) or hang until released (a slow host).
 */
public final class HostLookupStandIn implements AutoCloseable {

    public enum Mode {
        UP,
        DOWN,
        SLOW
    }

    /** One call: its query and whether its signature verified. */
    public record Call(String query, boolean signed) {}

    private final HttpServer server;
    private final String secret;
    private final Set<String> pairs = ConcurrentHashMap.newKeySet();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.UP;
    private volatile CountDownLatch hanging = new CountDownLatch(1);

    public HostLookupStandIn(String secret) {
        this.secret = secret;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/contacts", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/contacts";
    }

    /** The host app says these two are friends (either way round). */
    public void friends(Object a, Object b) {
        pairs.add(a + ":" + b);
        pairs.add(b + ":" + a);
    }

    public void mode(Mode mode) {
        hanging.countDown();
        hanging = new CountDownLatch(1);
        this.mode = mode;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String timestamp = exchange.getRequestHeaders().getFirst("Parley-Webhook-Timestamp");
        String signature = exchange.getRequestHeaders().getFirst("Parley-Webhook-Signature");
        boolean signed = timestamp != null && ("v1=" + sign(timestamp + "." + query)).equals(signature);
        calls.add(new Call(query, signed));
        try {
            if (mode == Mode.SLOW) {
                hanging.await(30, TimeUnit.SECONDS);
            }
            if (mode == Mode.DOWN || !signed) {
                exchange.sendResponseHeaders(signed ? 503 : 401, -1);
                return;
            }
            String userId = param(query, "user_id");
            String otherId = param(query, "other_id");
            byte[] body =
                    ("{\"contact\": " + pairs.contains(userId + ":" + otherId) + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private static String param(String query, String name) {
        for (String part : query.split("&")) {
            if (part.startsWith(name + "=")) {
                return URLDecoder.decode(part.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        hanging.countDown();
        server.stop(0);
    }
}
