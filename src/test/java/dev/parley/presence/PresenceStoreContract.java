package dev.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The presence rules every store keeps: statuses from devices, transitions only when the status changes, expiry
 * of silent devices, at most one announcement per debounce interval and offline only after the grace.
 */
abstract class PresenceStoreContract {

    /** The defaults: at most one announcement per 3 s, offline 5 s after the last device left. */
    static final PresenceProperties TIMING = new PresenceProperties(Duration.ofSeconds(3), Duration.ofSeconds(5));

    private static final Duration TTL = Duration.ofSeconds(90);

    protected PresenceStore store;
    private final UUID user = UUID.randomUUID();
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void devicesMakeTheStatusAndOnlyChangesAreTransitions() {
        PresenceStore.Change first = store.update(user, "a", PresenceStore.Update.ONLINE, t0, TTL);
        assertThat(first.transition()).isTrue();
        assertThat(first.before()).isEqualTo("offline");
        assertThat(first.after()).isEqualTo(new PresenceStore.Snapshot("online", 1, t0));

        PresenceStore.Change second = store.update(user, "b", PresenceStore.Update.ONLINE, t0.plusSeconds(1), TTL);
        assertThat(second.transition()).isFalse();
        assertThat(second.after().devices()).isEqualTo(2);

        // A heartbeat changes nothing visible: no transition, no event.
        assertThat(store.update(user, "a", PresenceStore.Update.KEEP, t0.plusSeconds(30), TTL)
                        .transition())
                .isFalse();

        assertThat(store.update(user, "a", PresenceStore.Update.AWAY, t0.plusSeconds(31), TTL)
                        .transition())
                .isFalse();
        PresenceStore.Change away = store.update(user, "b", PresenceStore.Update.AWAY, t0.plusSeconds(32), TTL);
        assertThat(away.transition()).isTrue();
        assertThat(away.after().status()).isEqualTo("away");
        // A plain heartbeat keeps the device away.
        assertThat(store.update(user, "b", PresenceStore.Update.KEEP, t0.plusSeconds(40), TTL)
                        .after()
                        .status())
                .isEqualTo("away");

        assertThat(store.update(user, "a", PresenceStore.Update.GONE, t0.plusSeconds(41), TTL)
                        .transition())
                .isFalse();
        // The last device left: offline is announced only once the grace is over, by expire.
        assertThat(store.update(user, "b", PresenceStore.Update.GONE, t0.plusSeconds(42), TTL)
                        .transition())
                .isFalse();
        assertThat(store.current(user, t0.plusSeconds(42)).status()).isEqualTo("offline");
        assertThat(store.expire(t0.plusSeconds(46))).isEmpty();
        assertThat(store.expire(t0.plusSeconds(47))).singleElement().satisfies(gone -> {
            assertThat(gone.before()).isEqualTo("away");
            assertThat(gone.after()).isEqualTo(new PresenceStore.Snapshot("offline", 0, t0.plusSeconds(42)));
        });
        assertThat(store.expire(t0.plusSeconds(60))).isEmpty();
    }

    @Test
    void flipsWithinTheDebounceAreHeldBackAndOnlyTheStatusThatStaysIsAnnounced() {
        assertThat(store.update(user, "a", PresenceStore.Update.ONLINE, t0, TTL).transition())
                .isTrue();
        assertThat(store.update(user, "a", PresenceStore.Update.AWAY, t0.plusMillis(500), TTL)
                        .transition())
                .isFalse();
        assertThat(store.update(user, "a", PresenceStore.Update.ONLINE, t0.plusMillis(1000), TTL)
                        .transition())
                .isFalse();
        assertThat(store.update(user, "a", PresenceStore.Update.AWAY, t0.plusMillis(1500), TTL)
                        .transition())
                .isFalse();
        assertThat(store.current(user, t0.plusMillis(1500)).status())
                .as("what the devices say")
                .isEqualTo("away");
        assertThat(store.expire(t0.plusMillis(2999))).isEmpty();
        assertThat(store.expire(t0.plusSeconds(3))).singleElement().satisfies(change -> {
            assertThat(change.before()).isEqualTo("online");
            assertThat(change.after().status()).isEqualTo("away");
        });
        assertThat(store.expire(t0.plusSeconds(10))).isEmpty();

        // Back and forth within the interval again: the status ends where it was announced, so nothing goes out.
        assertThat(store.update(user, "a", PresenceStore.Update.ONLINE, t0.plusSeconds(4), TTL)
                        .transition())
                .isFalse();
        assertThat(store.update(user, "a", PresenceStore.Update.AWAY, t0.plusSeconds(5), TTL)
                        .transition())
                .isFalse();
        assertThat(store.expire(t0.plusSeconds(20))).isEmpty();
        // Once the interval is over, a change goes out at once.
        assertThat(store.update(user, "a", PresenceStore.Update.ONLINE, t0.plusSeconds(21), TTL)
                        .transition())
                .isTrue();
    }

    @Test
    void aReconnectWithinTheGraceAnnouncesNothing() {
        assertThat(store.update(user, "a", PresenceStore.Update.ONLINE, t0, TTL).transition())
                .isTrue();
        assertThat(store.update(user, "a", PresenceStore.Update.GONE, t0.plusSeconds(10), TTL)
                        .transition())
                .isFalse();
        assertThat(store.update(user, "b", PresenceStore.Update.ONLINE, t0.plusSeconds(13), TTL)
                        .transition())
                .isFalse();
        assertThat(store.expire(t0.plusSeconds(30))).isEmpty();
        assertThat(store.current(user, t0.plusSeconds(30)))
                .isEqualTo(new PresenceStore.Snapshot("online", 1, t0.plusSeconds(13)));
    }

    @Test
    void aSilentDeviceExpiresAndThatIsATransition() {
        store.update(user, "a", PresenceStore.Update.ONLINE, t0, TTL);
        assertThat(store.expire(t0.plusSeconds(89))).isEmpty();
        assertThat(store.current(user, t0.plusSeconds(89)).status()).isEqualTo("online");

        assertThat(store.current(user, t0.plusSeconds(90))).isEqualTo(new PresenceStore.Snapshot("offline", 0, t0));
        assertThat(store.expire(t0.plusSeconds(90)))
                .as("within the offline grace")
                .isEmpty();
        var expired = store.expire(t0.plusSeconds(95));
        assertThat(expired).singleElement().satisfies(change -> {
            assertThat(change.userId()).isEqualTo(user);
            assertThat(change.before()).isEqualTo("online");
            assertThat(change.after()).isEqualTo(new PresenceStore.Snapshot("offline", 0, t0));
        });
        assertThat(store.expire(t0.plusSeconds(120))).isEmpty();
    }

    @Test
    void manyUsersAtOnceAreOnlineExactlyWhenCurrentSaysSo() {
        UUID online = UUID.randomUUID();
        UUID oneOfTwoAway = UUID.randomUUID();
        UUID away = UUID.randomUUID();
        UUID silent = UUID.randomUUID();
        UUID left = UUID.randomUUID();
        UUID never = UUID.randomUUID();
        store.update(online, "a", PresenceStore.Update.ONLINE, t0, TTL);
        store.update(oneOfTwoAway, "a", PresenceStore.Update.AWAY, t0, TTL);
        store.update(oneOfTwoAway, "b", PresenceStore.Update.ONLINE, t0, TTL);
        store.update(away, "a", PresenceStore.Update.AWAY, t0, TTL);
        store.update(silent, "a", PresenceStore.Update.ONLINE, t0.minusSeconds(60), TTL);
        store.update(left, "a", PresenceStore.Update.ONLINE, t0, TTL);
        store.update(left, "a", PresenceStore.Update.GONE, t0.plusSeconds(1), TTL);
        List<UUID> everyone = List.of(online, oneOfTwoAway, away, silent, left, never);

        Instant now = t0.plusSeconds(2);
        assertThat(store.onlineAmong(everyone, now)).containsExactlyInAnyOrder(online, oneOfTwoAway, silent);
        // 30 s later the silent device's 90 s are over: it no longer counts, as current says.
        Instant later = t0.plusSeconds(31);
        assertThat(store.onlineAmong(everyone, later)).containsExactlyInAnyOrder(online, oneOfTwoAway);
        for (UUID user : everyone) {
            assertThat(store.onlineAmong(List.of(user), later).contains(user))
                    .isEqualTo(store.current(user, later).status().equals("online"));
        }
        assertThat(store.onlineAmong(List.of(), now)).isEmpty();
    }
}
