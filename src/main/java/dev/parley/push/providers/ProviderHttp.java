package dev.parley.push.providers;

import dev.parley.push.PushProperties;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.stereotype.Component;

/**
 * The HTTP client FCM and Web Push share: HTTP/2 where the provider speaks it (many pushes over one connection),
 * its callbacks on virtual threads. Closed with the context.
 */
@Component
class ProviderHttp implements AutoCloseable {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;

    ProviderHttp(PushProperties properties) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .executor(executor)
                .connectTimeout(properties.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }
}
