package dev.parley.push;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A device's push service: {@code fcm}, {@code apns} or {@code webpush} on the wire and in {@code devices}. */
public enum Platform {
    FCM,
    APNS,
    WEBPUSH;

    private final String wire = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String wire() {
        return wire;
    }

    public static Optional<Platform> ofWire(String wire) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(wire)).findFirst();
    }
}
