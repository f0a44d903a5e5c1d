package dev.parley.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;

/** Both answers that tell a client when to come back (429, 503) carry Retry-After in whole seconds. */
class ApiExceptionHandlerTest {

    private final ApiExceptionHandler handler = new ApiExceptionHandler(new Outages(new SimpleMeterRegistry()));
    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/conversations");

    @Test
    void aRetryAfterIsSentInWholeSecondsRoundedUp() {
        var response = handler.parley(
                new ParleyException(
                        ErrorCode.RATE_LIMIT_EXCEEDED,
                        "Too many messages",
                        Map.of("retry_after", 2L),
                        Duration.ofMillis(1_001)),
                request);
        assertThat(response.getStatusCode().value()).isEqualTo(429);
        assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("2");
        assertThat(response.getBody())
                .isEqualTo(new ApiError("RATE_LIMIT_EXCEEDED", "Too many messages", Map.of("retry_after", 2L)));
    }

    @Test
    void withoutOneThereIsNoHeader() {
        var response = handler.parley(ParleyException.forbidden("no"), request);
        assertThat(response.getHeaders().containsHeader("Retry-After")).isFalse();
    }

    @Test
    void aBusyDatabaseStillSaysRetryAfterOneSecond() {
        var response = handler.database(
                new CannotGetJdbcConnectionException("pool exhausted"),
                new MockHttpServletRequest("POST", "/api/v1/conversations"));
        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(response.getBody().code()).isEqualTo("SERVICE_UNAVAILABLE");
    }
}
