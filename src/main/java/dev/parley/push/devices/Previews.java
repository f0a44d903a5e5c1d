package dev.parley.push.devices;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How much a notification shows: {@code full} (who and what), {@code sender} (who only) or {@code none} (that
 * something arrived).
 */
public enum Previews {
    FULL,
    SENDER,
    NONE;

    private final String wire = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String wire() {
        return wire;
    }

    public static Optional<Previews> ofWire(String wire) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(wire)).findFirst();
    }
}
