package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deny by default on the normalised path: a URL spelled so that the router and a naive filter would read it
 * differently is refused (400) or needs a token (401), never answered with data; anything not on the public list,
 * a route or not, needs a token. Requests go over a raw socket, so the path reaches the server exactly as written.
 */
class DenyByDefaultApiTest extends ApiTest {

    @Test
    void ambiguousSpellingsOfAProtectedPathNeverAnswerWithoutAToken() {
        String[] spellings = {
            "/api/v1;x/users/me",
            "/api/v1/users;x/me",
            "/api/v1/users/me;jsessionid=1",
            "/api/%76%31/users/me",
            "/api/v1/./users/me",
            "//api/v1/users/me",
            "/api/v1//users/me",
            "/api/v1/x/../users/me",
            "/api/v1/auth/login/../../users/me",
            "/api/v1/auth/login/..;/../users/me",
            "/health/..;/api/v1/users/me",
            "/storage/%2e%2e/api/v1/users/me",
            "/api/v1/docs/%2e%2e/users/me",
            "/api/v1/openapi.json/../users/me",
            "/app/..%2fapi/v1/users/me",
            "/api/v1/users/me%00",
        };
        for (String path : spellings) {
            int status = status("GET", path, null);
            assertThat(status).as("GET %s without a token", path).isIn(400, 401);
        }
    }

    @Test
    void pathsWithParametersOrDotSegmentsAreRefusedAsAmbiguous() {
        String token = api.register("paths").token();
        for (String path : new String[] {
            "/api/v1;x/users/me",
            "/api/v1/./users/me",
            "//api/v1/users/me",
            "/api/v1/x/../users/me",
            "/api/v1/docs/..;/users/me"
        }) {
            assertThat(status("GET", path, token)).as("GET %s", path).isEqualTo(400);
        }
        // Percent-encoded letters are not ambiguous: decoded, it is the same route, with its usual check.
        assertThat(status("GET", "/api/%76%31/users/me", token)).isEqualTo(200);
        assertThat(status("GET", "/api/%76%31/users/me", null)).isEqualTo(401);
    }

    @Test
    void everythingOffThePublicListNeedsATokenRouteOrNot() {
        for (String path : new String[] {
            "/whatever",
            "/api/v2/users/me",
            "/error",
            "/actuator",
            "/api/v1",
            "/api/v1/not-a-route",
            "/healthz",
            "/storagex/a",
            "/api/v1/docsx"
        }) {
            assertThat(status("GET", path, null))
                    .as("GET %s without a token", path)
                    .isEqualTo(401);
        }
        assertThat(status("POST", "/api/v1/auth/logout", null)).isEqualTo(401);
        assertThat(status("POST", "/api/v1/auth/logout-all", null)).isEqualTo(401);
    }

    @Test
    void thePublicListStaysPublic() {
        assertThat(status("GET", "/health/live", null)).isEqualTo(200);
        assertThat(status("GET", "/metrics", null)).isEqualTo(200);
        assertThat(status("GET", "/api/v1/openapi.json", null)).isEqualTo(200);
        // A public path that is no route is simply not found, and a bad signature on storage is the store's 4xx.
        assertThat(status("GET", "/app/nothing-here.js", null)).isEqualTo(404);
        assertThat(status("GET", "/storage/nothing?expires=1&signature=x", null))
                .isBetween(400, 404);
        TestClient.Resp login = api.post(
                "/api/v1/auth/login", null, Map.of("username", "nobody_" + System.nanoTime(), "password", "whatever1"));
        login.expectError(401, "UNAUTHORIZED");
    }

    /** Sends one request line exactly as given and returns the status code. */
    private int status(String method, String path, String token) {
        URI base = URI.create(api.base());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            String request = method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\n" + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            String[] parts = line.toString().split(" ");
            assertThat(parts.length).as("status line of %s: %s", path, line).isGreaterThanOrEqualTo(2);
            return Integer.parseInt(parts[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
