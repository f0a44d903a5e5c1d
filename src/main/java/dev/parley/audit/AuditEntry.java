package dev.parley.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One act to record: who did it ({@code actorId}; null for the system), what ({@code action}), to what
 * ({@code targetType} and {@code targetId}, both or neither), from where ({@code ip}: the client address as the auth
 * code records it) and a few facts about it ({@code details}: small, flat or shallow JSON values; never message
 * content). Built with the factories and withers:
 * <pre>{@code
 * AuditEntry.by(adminId, AuditAction.USER_SUSPENDED).target(AuditTargetType.USER, userId).ip(address)
 *         .detail("until", until).detail("reason", reason)
 * }</pre>
 * Detail values may be strings, booleans, integral numbers, UUIDs, instants, enums (written as their lower-case
 * name), and lists or maps of those. Keys are {@code snake_case}; keys that would name content ({@code content},
 * {@code text}, {@code body}, {@code caption}) are refused, as a reminder that the log must never hold it. A
 * broken rule is a programming error: IllegalArgumentException.
 */
public record AuditEntry(
        UUID actorId,
        AuditAction action,
        AuditTargetType targetType,
        String targetId,
        String ip,
        Map<String, Object> details) {

    static final int TARGET_ID_MAX = 128;
    static final int IP_MAX = 64;
    static final int DETAILS_KEYS_MAX = 16;
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Set<String> CONTENT_KEYS = Set.of("content", "text", "body", "caption");

    public AuditEntry {
        Objects.requireNonNull(action, "action");
        if ((targetType == null) != (targetId == null)) {
            throw new IllegalArgumentException("target_type and target_id go together");
        }
        if (targetId != null && (targetId.isEmpty() || targetId.length() > TARGET_ID_MAX)) {
            throw new IllegalArgumentException("target_id must be 1-" + TARGET_ID_MAX + " characters");
        }
        ip = bounded(ip);
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        if (details.size() > DETAILS_KEYS_MAX) {
            throw new IllegalArgumentException("at most " + DETAILS_KEYS_MAX + " details");
        }
        details.keySet().forEach(AuditEntry::checkKey);
    }

    /** An act of the system (a job, a summary): no actor. */
    public static AuditEntry of(AuditAction action) {
        return new AuditEntry(null, action, null, null, null, Map.of());
    }

    /** An act of a user (null: the system). */
    public static AuditEntry by(UUID actorId, AuditAction action) {
        return new AuditEntry(actorId, action, null, null, null, Map.of());
    }

    /** The same entry about {@code id} (its {@code toString()}: a UUID, a number). */
    public AuditEntry target(AuditTargetType type, Object id) {
        return new AuditEntry(actorId, action, type, id == null ? null : id.toString(), ip, details);
    }

    /** The same entry from the client address {@code address} (null: none known). */
    public AuditEntry ip(String address) {
        return new AuditEntry(actorId, action, targetType, targetId, address, details);
    }

    /** The same entry with one more detail; a null value leaves the entry as it is. */
    public AuditEntry detail(String key, Object value) {
        if (value == null) {
            return this;
        }
        Map<String, Object> more = new LinkedHashMap<>(details);
        more.put(key, value);
        return new AuditEntry(actorId, action, targetType, targetId, ip, more);
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("detail keys are snake_case, at most 64 characters: " + key);
        }
        if (CONTENT_KEYS.contains(key)) {
            throw new IllegalArgumentException("the audit log never holds content: detail '" + key + "' refused");
        }
    }

    /** Addresses come from the auth code, already cleaned; this only keeps a stray one within the column. */
    private static String bounded(String address) {
        if (address == null) {
            return null;
        }
        String clean = address.replaceAll("\\p{Cntrl}", "").strip();
        if (clean.isEmpty()) {
            return null;
        }
        return clean.length() <= IP_MAX ? clean : clean.substring(0, IP_MAX);
    }
}
