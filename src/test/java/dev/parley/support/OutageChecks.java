package dev.parley.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the outage tests check of every answer: in time, and 503 with the contract's body and Retry-After. */
public final class OutageChecks {

    /** The Hikari connection timeout (2 s) and what a loaded machine adds to it. */
    public static final Duration BOUND = Duration.ofMillis(3500);

    private OutageChecks() {}

    /** Runs a request and checks it was answered within {@link #BOUND}. */
    public static TestClient.Resp timed(Supplier<TestClient.Resp> request) {
        long started = System.nanoTime();
        TestClient.Resp response = request.get();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("answered within %s: %s", BOUND, response.raw())
                .isLessThan(BOUND);
        return response;
    }

    /** 503 SERVICE_UNAVAILABLE with a Retry-After header, repeated as {@code details.retry_after}. */
    public static TestClient.Resp assertUnavailable(TestClient.Resp response) {
        response.expectError(503, "SERVICE_UNAVAILABLE");
        assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(seconds -> {
            assertThat(Integer.parseInt(seconds)).isPositive();
            assertThat(response.json().path("details").path("retry_after").asInt())
                    .isEqualTo(Integer.parseInt(seconds));
        });
        return response;
    }

    /**
     * A shared dependency ({@code redis}, {@code storage}) is out: readiness still answers 200, in time, DEGRADED
     * with that component DEGRADED and the database UP; its gauge says 0, the refusals are counted, and the log has
     * one line for them all (two if ten seconds passed), without a stack trace.
     */
    public static void assertDegraded(
            TestClient api, String component, String dependency, int refusals, CapturedLog outages) {
        TestClient.Resp ready = timed(() -> api.get("/health/ready", null)).expect(200);
        assertThat(ready.text("status")).isEqualTo("DEGRADED");
        assertThat(ready.json()
                        .path("components")
                        .path(component)
                        .path("status")
                        .asString())
                .isEqualTo("DEGRADED");
        assertThat(ready.json().path("components").path("db").path("status").asString())
                .isEqualTo("UP");
        assertThat(metric(api, "dependency_up", "dependency", dependency)).isZero();
        assertThat(metric(api, "service_unavailable_total", "dependency", dependency))
                .isGreaterThanOrEqualTo(refusals);
        assertThat(outages.messages())
                .hasSizeBetween(1, 2)
                .allSatisfy(line -> assertThat(line).startsWith(dependency + "_unavailable refused="));
        assertThat(outages.anyStackTrace()).isFalse();
    }

    /** Back: readiness UP again (the dependency's next check passed) and its gauge 1. */
    public static void awaitRecovered(TestClient api, String dependency) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> "UP".equals(api.get("/health/ready", null).text("status")));
        assertThat(metric(api, "dependency_up", "dependency", dependency)).isOne();
    }

    /** The value of one Prometheus series on {@code /metrics}, e.g. {@code dependency_up{dependency="redis"}}. */
    public static double metric(TestClient api, String name, String tag, String value) {
        String text = api.get("/metrics", null).expect(200).raw();
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*"
                        + Pattern.quote(tag + "=\"" + value + "\"") + "[^}]*} (\\S+)$")
                .matcher(text);
        assertThat(matcher.find())
                .as("%s{%s=\"%s\"} on /metrics", name, tag, value)
                .isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
