package dev.parley.push.providers;

import dev.parley.push.PushProperties;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.springframework.stereotype.Component;

/**
 * The HTTP client FCM and Web Push share: Jetty's, which costs about half the CPU per request of the JDK's
 * HttpClient (most of a node's CPU while it pushes; docs/benchmarks.md). Over TLS it negotiates HTTP/2 when the
 * provider offers it (FCM and the big push services do: many pushes over one connection), else HTTP/1.1 with up
 * to {@code parley.push.concurrency} connections; cleartext endpoints (tests, private gateways) get HTTP/1.1.
 * Certificates are checked against the JVM's trust store, host names included; redirects are not followed.
 * Closed with the context.
 */
@Component
class ProviderHttp implements AutoCloseable {

    /** A provider's answer is a small JSON document; anything longer is a failed request, retried later. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final HttpClient client;
    private final long timeoutMillis;

    ProviderHttp(PushProperties properties) {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(new SslContextFactory.Client());
        connector.setConnectTimeout(properties.requestTimeout());
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("push-http");
        threads.setDaemon(true);
        HTTP2Client http2 = new HTTP2Client(connector);
        // Cleartext uses the first protocol (no negotiation there); over TLS, ALPN offers both.
        this.client = new HttpClient(new HttpClientTransportDynamic(
                connector, HttpClientConnectionFactory.HTTP11, new ClientConnectionFactoryOverHTTP2.HTTP2(http2)));
        client.setExecutor(threads);
        client.setFollowRedirects(false);
        client.setMaxConnectionsPerDestination(properties.concurrency());
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, properties.concurrency() * 4));
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Parley"));
        client.setIdleTimeout(60_000);
        this.timeoutMillis = properties.requestTimeout().toMillis();
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the push providers' HTTP client", e);
        }
        // Jetty adds Accept-Encoding: gzip by default; a provider's small answers gain nothing from it.
        client.getContentDecoderFactories().clear();
    }

    /** A POST to the provider, with the request timeout set; the caller adds headers and the body. */
    Request post(URI uri) {
        return client.POST(uri).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends the request; {@code answer} reads the provider's answer (kept up to {@link #MAX_ANSWER_BYTES}). A
     * network failure, a timeout or a longer answer is a retry ({@code io}).
     */
    static CompletableFuture<Outcome> send(Request request, Function<ContentResponse, Outcome> answer) {
        return new CompletableResponseListener(request, MAX_ANSWER_BYTES)
                .send()
                .thenApply(answer)
                .exceptionally(e -> Outcome.retry("io", null));
    }

    /** What an answer's status says, after the delay its {@code Retry-After} asks for. */
    static Outcome byStatus(ContentResponse response, Clock clock) {
        return Outcome.ofHttpStatus(response.getStatus(), RetryAfter.of(response.getHeaders(), clock));
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
