package dev.parley.membership;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** {@code direct} (two people, one conversation per pair) or {@code group}, on the wire and in the database. */
public enum ConversationType {
    DIRECT,
    GROUP;

    private final String wire = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String wire() {
        return wire;
    }

    public static ConversationType of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
