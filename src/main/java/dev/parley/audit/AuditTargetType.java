package dev.parley.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What an entry is about ({@code target_type}); its id goes in {@code target_id}. Wire names are the constants'
 * names in lower case. Add one for a new kind of target; never rename one (stored entries carry the name).
 */
public enum AuditTargetType {
    USER,
    SESSION,
    MESSAGE,
    CONVERSATION,
    REPORT,
    EXPORT,
    ATTACHMENT;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
