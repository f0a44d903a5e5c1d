package dev.parley.conversation;

import dev.parley.common.ParleyException;
import dev.parley.common.Text;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * A keyset position, {@code (time, id)}, as the opaque cursor a client passes back: microseconds since the epoch,
 * {@code _}, the id. Exact across rows with equal times, unlike a time alone.
 */
record TimeIdCursor(Instant time, UUID id) {

    String encode() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, time) + "_" + id;
    }

    /** Null for an absent or blank cursor. Throws VALIDATION_FAILED naming {@code field}. */
    static TimeIdCursor parse(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        int split = raw.indexOf('_');
        try {
            if (split > 0) {
                Instant time =
                        Instant.ofEpochSecond(0, Math.multiplyExact(Long.parseLong(raw.substring(0, split)), 1000L));
                Text.requireStorable(field, time);
                return new TimeIdCursor(time, UUID.fromString(raw.substring(split + 1)));
            }
        } catch (ArithmeticException | IllegalArgumentException | DateTimeException e) {
            // a malformed cursor, answered below
        }
        throw ParleyException.validation(field, field + " must be a next_cursor from an earlier page");
    }
}
