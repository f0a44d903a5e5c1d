package dev.parley.audit;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code audit_log} as stored: every column the hash covers, the hash itself last. */
record ChainEntry(
        long seq,
        UUID entryId,
        Instant at,
        UUID actorId,
        String action,
        String targetType,
        String targetId,
        String ip,
        String details,
        byte[] prevHash,
        byte[] hash) {

    ChainEntry withHash(byte[] value) {
        return new ChainEntry(seq, entryId, at, actorId, action, targetType, targetId, ip, details, prevHash, value);
    }
}
