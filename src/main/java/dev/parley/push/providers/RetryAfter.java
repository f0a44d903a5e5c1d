package dev.parley.push.providers;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** {@code Retry-After} as RFC 9110 allows it: delay seconds, or an HTTP date. Null when absent or unreadable. */
final class RetryAfter {

    private static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {}

    static Duration of(HttpHeaders headers, Clock clock) {
        return headers.firstValue("Retry-After")
                .map(value -> parse(value.strip(), clock))
                .orElse(null);
    }

    static Duration parse(String value, Clock clock) {
        try {
            return cap(Duration.ofSeconds(Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                return cap(Duration.between(clock.instant(), at.toInstant()));
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /** A provider cannot park a push for longer than an hour, nor ask for a negative delay. */
    private static Duration cap(Duration delay) {
        return delay.isNegative() ? Duration.ZERO : delay.compareTo(MAX) > 0 ? MAX : delay;
    }
}
