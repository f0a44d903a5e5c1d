/**
 * The shared kernel, not a feature: the contract's error codes and body ({@link dev.parley.common.ErrorCode},
 * {@link dev.parley.common.ParleyException}, one exception handler for REST, {@link dev.parley.common.ApiErrors}
 * to document the codes an endpoint answers with), the caller ({@link dev.parley.common.AuthUser}), UUIDv7 ids,
 * the chat metrics, outage handling (503 with Retry-After), where a read may run
 * ({@link dev.parley.common.ReadSource}: the primary or a replica), text checks, secret files, {@code parley.data-dir},
 * and the persistent job queue (db-scheduler's {@code scheduled_tasks}, jobs queued in the caller's transaction).
 *
 * <p>May call: no feature. Called by every feature; ArchitectureTest exempts it from the feature-to-feature rules.
 */
package dev.parley.common;
