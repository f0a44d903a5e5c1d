package dev.parley.common;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * Where a read may run: the one place that decides whether a PostgreSQL streaming replica
 * ({@code parley.datasource.replica.url}) serves it or the primary does. Features wrap the reads that may lag a
 * moment (history, search, the conversation list, sync) in {@link #read}; everything else reads the primary, and
 * so does a read inside a transaction (it is part of a write, or needs one snapshot). The transports mark each
 * write by a user ({@link #writing}), so that the user's next reads see it (read-your-writes). Without replicas
 * configured this is {@link #PRIMARY}: it runs the read as it is and marks nothing.
 */
public interface ReadSource {

    /** Every read on the primary; no extra pool, query or lookup. */
    ReadSource PRIMARY = new ReadSource() {
        @Override
        public <T> T read(UUID user, Supplier<T> work) {
            return work.get();
        }

        @Override
        public WriteMark writing(UUID user) {
            return WriteMark.NONE;
        }
    };

    /**
     * Runs {@code work} (JdbcClient reads, no writes) on a replica that is healthy, within the lag limit and past
     * {@code user}'s last write, or on the primary when none is. A replica that fails the read is set aside and the
     * read is run again on the primary, so a lost replica costs the caller time, not an error.
     */
    <T> T read(UUID user, Supplier<T> work);

    /**
     * Marks that {@code user} is writing: until the mark is closed (after the write committed), and then until
     * every replica in use has replayed past it, the user's reads go to the primary.
     */
    WriteMark writing(UUID user);

    /** The end of a write; closing it records where the primary's WAL stood after it. */
    interface WriteMark extends AutoCloseable {

        WriteMark NONE = () -> {};

        @Override
        void close();
    }
}
