package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.parley.common.ApiExceptionHandler;
import dev.parley.support.ApiTest;
import dev.parley.support.CapturedLog;
import dev.parley.support.RawHttp;
import dev.parley.support.TestClient;
import org.junit.jupiter.api.Test;

/**
 * A request target that is not valid percent-encoded UTF-8, in the query or the path, on any route, with or
 * without a token: 400 VALIDATION_FAILED with the contract's body, and one log line without a stack trace.
 * Sent over a raw socket: the JDK's client refuses to build such URIs.
 */
class MalformedEncodingTest extends ApiTest {

    @Test
    void aMalformedQueryWithoutATokenIsABadRequestLoggedInOneLine() {
        try (CapturedLog filter = CapturedLog.of(ParameterDecodingFilter.class, Level.INFO);
                CapturedLog handler = CapturedLog.of(ApiExceptionHandler.class, Level.INFO)) {
            assertBadRequest(get("/storage/x?y=%ff", null));
            assertThat(filter.messages()).singleElement().asString().contains("/storage/x?y=%ff");
            assertThat(filter.anyStackTrace()).isFalse();
            assertThat(handler.messages()).isEmpty();
        }
    }

    @Test
    void malformedQueriesOnApiRoutesAreBadRequests() {
        TestClient.User alice = api.register("encoding");
        try (CapturedLog handler = CapturedLog.of(ApiExceptionHandler.class, Level.INFO)) {
            assertBadRequest(get("/api/v1/users?query=%ff", alice.token()));
            assertBadRequest(get("/api/v1/conversations?limit=%zz", alice.token()));
            assertBadRequest(get("/api/v1/users?%ff=1", alice.token()));
            // Read by the authentication filter, before Spring MVC and its exception handler.
            assertBadRequest(get("/api/v1/events?access_token=%ff", null));
            assertThat(handler.messages()).isEmpty();
        }
    }

    @Test
    void aMalformedPathIsABadRequestWithTheContractsBody() {
        TestClient.User alice = api.register("encoding");
        try (CapturedLog valve = CapturedLog.of(ContractErrorReportValve.class, Level.INFO)) {
            assertBadRequest(get("/api/v1/conversations/%ff", alice.token()));
            assertBadRequest(get("/storage/%ff?y=1", null));
            assertThat(valve.messages())
                    .hasSize(2)
                    .allSatisfy(line -> assertThat(line).contains("400"));
            assertThat(valve.anyStackTrace()).isFalse();
        }
    }

    @Test
    void wellFormedEncodingsStillWork() {
        TestClient.User alice = api.register("encoding");
        assertThat(get("/api/v1/users?query=%C3%A9t%C3%A9", alice.token()).status())
                .isEqualTo(200);
    }

    private RawHttp.Response get(String target, String token) {
        try (RawHttp http = RawHttp.connect(api)) {
            return http.head(
                            "GET " + target + " HTTP/1.1",
                            "Host: localhost",
                            token == null ? "Accept: application/json" : "Authorization: Bearer " + token)
                    .read();
        }
    }

    private static void assertBadRequest(RawHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().path("code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.json().path("message").asString()).isNotBlank();
        assertThat(response.json().has("details")).isTrue();
    }
}
