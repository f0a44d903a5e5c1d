package dev.parley.realtime;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Catch-up settings ({@code parley.sync.*}).
 *
 * @param retention       how long events are kept; a cursor older than that is refused and the client resyncs
 *                        from history
 * @param fallbackPoll    how often a waiting long poll or event stream looks at the database even without a
 *                        wake-up (changes made on other nodes, or held back by an older open transaction)
 * @param sseHeartbeat    an event stream quiet this long gets a comment line, so dead connections are noticed
 * @param sseMaxDuration  an event stream is ended after this long; the client reconnects with Last-Event-ID
 */
@ConfigurationProperties("parley.sync")
public record SyncProperties(
        @DefaultValue("30d") Duration retention,
        @DefaultValue("1s") Duration fallbackPoll,
        @DefaultValue("20s") Duration sseHeartbeat,
        @DefaultValue("10m") Duration sseMaxDuration) {
}
