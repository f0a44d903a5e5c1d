package dev.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The presence rules every store keeps: statuses from devices, transitions only when the status changes, expiry
 * of silent devices.
 */
abstract class PresenceStoreContract {

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
        assertThat(store.update(user, "a", PresenceStore.Update.KEEP, t0.plusSeconds(30), TTL).transition()).isFalse();

        assertThat(store.update(user, "a", PresenceStore.Update.AWAY, t0.plusSeconds(31), TTL).transition()).isFalse();
        PresenceStore.Change away = store.update(user, "b", PresenceStore.Update.AWAY, t0.plusSeconds(32), TTL);
        assertThat(away.transition()).isTrue();
        assertThat(away.after().status()).isEqualTo("away");
        // A plain heartbeat keeps the device away.
        assertThat(store.update(user, "b", PresenceStore.Update.KEEP, t0.plusSeconds(40), TTL).after().status())
                .isEqualTo("away");

        assertThat(store.update(user, "a", PresenceStore.Update.GONE, t0.plusSeconds(41), TTL).transition()).isFalse();
        PresenceStore.Change gone = store.update(user, "b", PresenceStore.Update.GONE, t0.plusSeconds(42), TTL);
        assertThat(gone.transition()).isTrue();
        assertThat(gone.after()).isEqualTo(new PresenceStore.Snapshot("offline", 0, t0.plusSeconds(42)));
    }

    @Test
    void aSilentDeviceExpiresAndThatIsATransition() {
        store.update(user, "a", PresenceStore.Update.ONLINE, t0, TTL);
        assertThat(store.expire(t0.plusSeconds(89))).isEmpty();
        assertThat(store.current(user, t0.plusSeconds(89)).status()).isEqualTo("online");

        assertThat(store.current(user, t0.plusSeconds(90))).isEqualTo(new PresenceStore.Snapshot("offline", 0, t0));
        var expired = store.expire(t0.plusSeconds(90));
        assertThat(expired).singleElement().satisfies(change -> {
            assertThat(change.userId()).isEqualTo(user);
            assertThat(change.before()).isEqualTo("online");
            assertThat(change.after()).isEqualTo(new PresenceStore.Snapshot("offline", 0, t0));
        });
        assertThat(store.expire(t0.plusSeconds(120))).isEmpty();
    }
}
