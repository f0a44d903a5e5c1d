package dev.parley.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * Which entries an admin query returns; every field is optional (null: any). {@code targetId} matches
 * {@code target_id} exactly (a user, session, message or report id), with {@code targetType} narrowing it when
 * given; {@code since} is inclusive and {@code until} exclusive.
 */
public record AuditFilter(
        UUID actorId, AuditTargetType targetType, String targetId, AuditAction action, Instant since, Instant until) {

    public static AuditFilter all() {
        return new AuditFilter(null, null, null, null, null, null);
    }

    public AuditFilter actor(UUID id) {
        return new AuditFilter(id, targetType, targetId, action, since, until);
    }

    public AuditFilter target(String id) {
        return new AuditFilter(actorId, targetType, id, action, since, until);
    }

    public AuditFilter target(AuditTargetType type, String id) {
        return new AuditFilter(actorId, type, id, action, since, until);
    }

    public AuditFilter action(AuditAction value) {
        return new AuditFilter(actorId, targetType, targetId, value, since, until);
    }

    public AuditFilter between(Instant from, Instant to) {
        return new AuditFilter(actorId, targetType, targetId, action, from, to);
    }
}
