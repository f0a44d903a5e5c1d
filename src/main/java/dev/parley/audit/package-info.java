/**
 * The audit log: one entry per security or administrative act (logins and failed logins, refresh-token reuse,
 * logouts, ended sessions, password changes, account deletion and export, suspensions, admin deletes, report
 * resolutions, moderation refusals, role changes), never message content.
 *
 * <p><b>Owns</b> the tables {@code audit_log}, {@code audit_chain_head} and {@code audit_anchor} (V11) and the
 * vocabulary of acts ({@link dev.parley.audit.AuditAction}, {@link dev.parley.audit.AuditTargetType}).
 *
 * <p><b>Who calls it.</b> Any feature that performs such an act calls {@link dev.parley.audit.AuditLog#record}
 * inside the transaction of the act, as its last write (the entry commits with the act or not at all); acts that a
 * stranger can repeat at will (failed logins) go through {@link dev.parley.audit.AuditLog#recordThrottled}. The
 * message send path never records. {@link dev.parley.audit.AuditLog#query} and
 * {@link dev.parley.audit.AuditLog#verify} are for administrators: the caller (the admin API) checks the role.
 *
 * <p><b>Whom it calls.</b> Only {@code common}; it depends on no feature, so every feature may depend on it.
 *
 * <p><b>How it holds.</b> Entries form one SHA-256 hash chain in a gapless sequence, appended under a lock on the
 * one-row chain head (held until the appending transaction ends), so every transaction and node appends to the same
 * chain. Triggers keep the table append-only; the retention purge removes only the oldest entries, after moving
 * the anchor that verification starts from. See AuditChain for the exact hashed form.
 */
package dev.parley.audit;
