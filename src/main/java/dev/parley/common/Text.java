package dev.parley.common;

import java.time.Instant;

/** Checks on client text that Bean Validation does not express. */
public final class Text {

    private Text() {}

    /** PostgreSQL cannot store NUL in text; reject it as bad input rather than failing the insert. */
    public static String requireStorable(String field, String value) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw ParleyException.validation(field, field + " must not contain NUL characters");
        }
        return value;
    }

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** A client-supplied time PostgreSQL can store (years 1 to 9999). */
    public static Instant requireStorable(String field, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
            throw ParleyException.validation(field, field + " must be between the years 1 and 9999");
        }
        return value;
    }

    public static int codePoints(String value) {
        return value == null ? 0 : value.codePointCount(0, value.length());
    }
}
