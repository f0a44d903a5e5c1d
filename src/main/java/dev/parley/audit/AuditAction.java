package dev.parley.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The acts the audit log records, one owner for their wire names ({@code action} in an entry and in the admin
 * query): the constant's name in lower case, e.g. {@code login_failed}. Add a constant here for a new kind of act;
 * never reuse or rename one, since stored entries (and their hashes) carry the wire name.
 */
public enum AuditAction {
    /** A password login that succeeded; target: the new session. */
    LOGIN,
    /** A password login refused (wrong password, unknown user, suspended account); flood-limited. */
    LOGIN_FAILED,
    /** A spent refresh token presented again: its session was revoked. */
    REFRESH_TOKEN_REUSED,
    /** The caller ended one session by its refresh token. */
    LOGOUT,
    /** The caller ended every one of their sessions. */
    LOGOUT_ALL,
    /** The caller ended one of their sessions by id. */
    SESSION_REVOKED,
    PASSWORD_CHANGED,
    ACCOUNT_DELETED,
    EXPORT_REQUESTED,
    USER_SUSPENDED,
    USER_UNSUSPENDED,
    MESSAGE_DELETED_BY_ADMIN,
    REPORT_RESOLVED,
    /** Content rules, the hook or image moderation refused something (never the content itself). */
    MODERATION_REFUSED,
    ROLE_CHANGED,
    ADMIN_GRANTED,
    ADMIN_REVOKED,
    /** The retention purge removed the oldest entries (written by the system, after the purge). */
    AUDIT_PURGED,
    /** A conversation's disappearing-messages timer was set or turned off; target: the conversation. */
    MESSAGE_TTL_CHANGED,
    /** The caller uploaded end-to-end encryption keys (counts only, never the keys). */
    KEYS_UPLOADED,
    /** The erasure of a deleted account finished (written by the system); target: the user. */
    ACCOUNT_ERASED,
    /** An export's signed download link was handed to its owner; target: the export. */
    EXPORT_DOWNLOADED,
    /** The message expiry sweep removed expired messages (written by the system, with counts). */
    MESSAGES_EXPIRED,
    /** An admin pushed contacts in bulk (counts of pairs added and removed, never who). */
    CONTACTS_CHANGED;

    private static final Map<String, AuditAction> BY_WIRE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(AuditAction::wireName, Function.identity()));

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action of a wire name; empty for an unknown one. */
    public static Optional<AuditAction> fromWire(String wire) {
        return Optional.ofNullable(wire == null ? null : BY_WIRE.get(wire));
    }
}
