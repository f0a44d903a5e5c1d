package dev.parley.message;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A message's type: {@code text}, {@code image} or {@code system} on the wire and in {@code messages}. */
public enum MessageType {
    TEXT,
    IMAGE,
    SYSTEM;

    private final String wire = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String wire() {
        return wire;
    }

    /** Throws IllegalArgumentException for a name that is none of them (the database's CHECK allows no other). */
    public static MessageType of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** Every type's wire name, for metrics registered up front. */
    static List<String> wireNames() {
        return Arrays.stream(values()).map(MessageType::wire).toList();
    }
}
