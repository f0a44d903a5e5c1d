package dev.parley.common;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Message ids are time ordered, and the
 * millisecond in the id is the message's {@code created_at}, which lets a lookup by id prune partitions.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static UUID uuidV7(long epochMillis) {
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
        long lsb = RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** The creation instant encoded in a UUIDv7, or {@code null} when the id is not version 7. */
    public static Instant timestampOf(UUID id) {
        if (id.version() != 7) {
            return null;
        }
        return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
    }

    /** Parses a client-supplied id; a malformed one is a validation failure of {@code field}. */
    public static UUID parse(String value, String field) {
        if (value == null || value.length() != 36) {
            throw ParleyException.validation(field, field + " must be a UUID");
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ParleyException.validation(field, field + " must be a UUID");
        }
    }
}
