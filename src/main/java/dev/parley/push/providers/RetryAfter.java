package dev.parley.push.providers;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/** {@code Retry-After} as RFC 9110 allows it: delay seconds, or an HTTP date. Null when absent or unreadable. */
final class RetryAfter {

    private static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {}

    /** The delay a provider's answer asks for; null when it asks none or cannot be read. */
    static Duration of(HttpFields headers, Clock clock) {
        return parse(headers.get(HttpHeader.RETRY_AFTER), clock);
    }

    /** The delay the header's value asks for; null for a missing or unreadable value. */
    private static Duration parse(String header, Clock clock) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
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
