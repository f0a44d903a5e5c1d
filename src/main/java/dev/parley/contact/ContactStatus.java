package dev.parley.contact;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A pair's standing as one side sees it: {@code accepted}, {@code incoming}, {@code outgoing} or {@code none}. */
public enum ContactStatus {
    ACCEPTED,
    INCOMING,
    OUTGOING,
    NONE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ContactStatus of(boolean mine, boolean theirs) {
        if (mine && theirs) {
            return ACCEPTED;
        }
        return mine ? OUTGOING : theirs ? INCOMING : NONE;
    }
}
