package dev.parley.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code {ok, entries, first_bad_entry?}}: whether the chain from the retention anchor to the head is whole,
 * how many entries were checked (all of them when ok; up to and including the bad one otherwise), and the first
 * entry that does not match (null when ok).
 */
public record AuditVerification(boolean ok, long entries, BadEntry firstBadEntry) {

    static AuditVerification whole(long entries) {
        return new AuditVerification(true, entries, null);
    }

    static AuditVerification broken(long entries, BadEntry bad) {
        return new AuditVerification(false, entries, bad);
    }

    /**
     * The first place the chain breaks: the entry at {@code seq} ({@code entryId} null when no entry is there, for
     * {@link Problem#MISSING}) and what is wrong with it.
     */
    public record BadEntry(long seq, UUID entryId, Problem problem) {}

    public enum Problem {
        /** Its content no longer matches its hash: the row was edited. */
        EDITED,
        /**
         * It does not follow the entry before it (its seq or prev_hash): an entry before it was deleted, or rows were
         * reordered or rewritten; or, for the last entry, its hash differs from what the chain head recorded.
         */
        BROKEN_LINK,
        /** The chain ends before its head: this entry and every one after it are gone. */
        MISSING;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
