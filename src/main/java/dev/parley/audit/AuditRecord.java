package dev.parley.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A stored entry as the admin query returns it: the contract's {@code {entry_id, at, actor_id, action,
 * target_type, target_id, ip, details}}, plus {@code seq}, its place in the chain (what {@code verify} names).
 * {@code action} and {@code target_type} are wire names (an entry written by a newer version may name an action
 * this one does not know).
 */
public record AuditRecord(
        UUID entryId,
        long seq,
        Instant at,
        UUID actorId,
        String action,
        String targetType,
        String targetId,
        String ip,
        Map<String, Object> details) {}
