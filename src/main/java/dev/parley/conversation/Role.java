package dev.parley.conversation;

import java.util.Locale;

public enum Role {
    OWNER, ADMIN, MEMBER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Owners and admins manage members and others' messages. */
    boolean moderates() {
        return this == OWNER || this == ADMIN;
    }

    static Role of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
