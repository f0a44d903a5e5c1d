package dev.parley.push.providers;

import java.time.Duration;

/**
 * A provider's answer to one push. {@code reason} is a short metric label ({@code unregistered},
 * {@code http_503}, {@code io}); {@code retryAfter} is the provider's {@code Retry-After} when it sent one.
 */
public record Outcome(Kind kind, String reason, Duration retryAfter) {

    public enum Kind {
        /** Accepted by the provider: the push leaves the queue. */
        SENT,
        /** The provider says the token or subscription no longer exists: the device is deleted. */
        GONE,
        /** Try again later (429, 5xx, network). */
        RETRY,
        /** Refused for good (a malformed token, bad credentials): dropped. */
        FAILED
    }

    public static Outcome sent() {
        return new Outcome(Kind.SENT, "ok", null);
    }

    public static Outcome gone(String reason) {
        return new Outcome(Kind.GONE, reason, null);
    }

    public static Outcome retry(String reason, Duration retryAfter) {
        return new Outcome(Kind.RETRY, reason, retryAfter);
    }

    public static Outcome failed(String reason) {
        return new Outcome(Kind.FAILED, reason, null);
    }

    /** 429 and 5xx are worth retrying; 404 and 410 mean the target is gone; other 4xx will not get better. */
    static Outcome ofHttpStatus(int status, Duration retryAfter) {
        if (status >= 200 && status < 300) {
            return sent();
        }
        if (status == 404 || status == 410) {
            return gone("http_" + status);
        }
        if (status == 429 || status >= 500) {
            return retry("http_" + status, retryAfter);
        }
        return failed("http_" + status);
    }
}
