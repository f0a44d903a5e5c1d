package dev.parley.conversation;

import java.util.Locale;

public enum Role {
    OWNER, ADMIN, MEMBER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
