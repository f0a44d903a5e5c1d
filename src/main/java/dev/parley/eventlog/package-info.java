/**
 * The catch-up log ({@code events}): every change a client must be able to catch up on is appended here, in the
 * transaction of the change. This module owns the writing side: {@link EventType} (the only place an event type
 * is spelled), {@link EventAppender} (the one way to append from Java) and {@link EventLogSql} (the fragment
 * that statements embed to append as they store). Reading the log for catch-up belongs to realtime; the search
 * indexer reads it too.
 *
 * <p>May call: {@code common} only. Any feature may call it.
 */
package dev.parley.eventlog;
