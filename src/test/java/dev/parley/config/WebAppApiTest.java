package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The web app is served at / without a token, and the JavaScript SDK it imports is at /app/sdk/, copied from
 * clients/js/src by the Maven build: a page whose import map pointed nowhere would be blank.
 */
class WebAppApiTest extends ApiTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void thePageItsScriptsAndTheSdkAreServedWithoutAToken() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("\"parley-client\": \"/app/sdk/index.js\"", "/app/app.js");

        for (String script : new String[] {"/app/app.js", "/app/dom.js", "/app/sdk/index.js", "/app/sdk/store.js"}) {
            HttpResponse<String> js = get(script);
            assertThat(js.statusCode()).as(script).isEqualTo(200);
            assertThat(js.headers().firstValue("Content-Type"))
                    .as(script)
                    .hasValueSatisfying(t -> assertThat(t).contains("javascript"));
        }
        assertThat(get("/app/sdk/index.js").body()).contains("export { Parley");
        assertThat(get("/app/app.css").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(api.base() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
