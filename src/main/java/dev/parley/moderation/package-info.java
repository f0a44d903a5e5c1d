/**
 * Rate limits: per-user allowances for each {@link dev.parley.moderation.RateLimit} (auth keys its login and
 * registration limits by address and account instead), kept by GCRA: one theoretical arrival time per key and
 * limit, so {@code Retry-After} is exact. In process, or in Redis
 * ({@code <prefix>:limit:*}, one Lua script per check; fails open when Redis fails). Owns {@code parley.limits.*}.
 *
 * <p>May call: {@code common} only. Called by message, attachment, conversation, presence and auth, each before
 * the work it protects.
 */
package dev.parley.moderation;
