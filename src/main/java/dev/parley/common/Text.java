package dev.parley.common;

/** Checks on client text that Bean Validation does not express. */
public final class Text {

    private Text() {
    }

    /** PostgreSQL cannot store NUL in text; reject it as bad input rather than failing the insert. */
    public static String requireStorable(String field, String value) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw ParleyException.validation(field, field + " must not contain NUL characters");
        }
        return value;
    }

    public static int codePoints(String value) {
        return value == null ? 0 : value.codePointCount(0, value.length());
    }
}
