package dev.parley.membership;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A participant's role: {@code owner}, {@code admin} or {@code member} on the wire and in the database. */
public enum Role {
    OWNER,
    ADMIN,
    MEMBER;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Owners and admins manage members and others' messages. */
    public boolean moderates() {
        return this == OWNER || this == ADMIN;
    }

    public static Role of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
