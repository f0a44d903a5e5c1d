package dev.parley.common;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A dependency this node needs for the request is out or overloaded: the client gets 503 SERVICE_UNAVAILABLE with
 * {@code Retry-After} (REST) or an {@code error} frame (WebSocket), {@code details.retry_after} repeating it for
 * clients that cannot see headers, and the generic message; the cause is for the logs only (see {@link Outages}).
 */
public class UnavailableException extends ParleyException {

    /** What was out; the {@code dependency} tag of {@code service_unavailable_total}. */
    public enum Dependency {
        DATABASE,
        REDIS,
        STORAGE;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Dependency dependency;

    public UnavailableException(Dependency dependency, String message, Duration retryAfter, Throwable cause) {
        super(
                ErrorCode.SERVICE_UNAVAILABLE,
                message,
                Map.of("retry_after", wholeSeconds(retryAfter)),
                retryAfter,
                cause);
        this.dependency = dependency;
    }

    public Dependency dependency() {
        return dependency;
    }

    /** What went wrong, for the log line (never for the client). */
    public String logDetail() {
        return Outages.rootCause(this);
    }
}
