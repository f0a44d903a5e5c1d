package dev.parley.realtime.sync;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Catch-up settings ({@code parley.sync.*}).
 *
 * @param retention       how long events are kept; a cursor older than that is refused and the client resyncs
 *                        from history
 * @param fallbackPoll    how often each node asks the database, in one query, which conversations have events
 *                        that became readable (made on other nodes, or held back by an older open transaction), and
 *                        wakes the long polls and event streams waiting for them
 * @param sseHeartbeat    an event stream quiet this long gets a comment line, so dead connections are noticed
 * @param sseMaxDuration  an event stream is ended after this long; the client reconnects with Last-Event-ID
 * @param idleRecheck     a waiting event stream reads the log at least this often even when nothing woke it: a
 *                        safety net only, the notifier wakes it whenever there is something to read
 * @param maxStreamsPerUser   event streams one user may hold open on one node (more: 429). 0: no cap
 * @param maxLongPollsPerUser long polls ({@code /sync} with a timeout) one user may have waiting on one node at
 *                            once (more: 429). 0: no cap
 */
@ConfigurationProperties("parley.sync")
public record SyncProperties(
        @DefaultValue("30d") Duration retention,
        @DefaultValue("1s") Duration fallbackPoll,
        @DefaultValue("20s") Duration sseHeartbeat,
        @DefaultValue("10m") Duration sseMaxDuration,
        @DefaultValue("5m") Duration idleRecheck,
        @DefaultValue("5") int maxStreamsPerUser,
        @DefaultValue("5") int maxLongPollsPerUser) {

    public SyncProperties {
        if (maxStreamsPerUser < 0 || maxLongPollsPerUser < 0) {
            throw new IllegalArgumentException("parley.sync.max-*-per-user must be 0 (off) or positive");
        }
    }
}
