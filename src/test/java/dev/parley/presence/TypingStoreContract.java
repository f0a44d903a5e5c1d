package dev.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The typing rules every store keeps: a start is announced when the user was not typing, and a renewal at most
 * every {@link TypingService#ANNOUNCE_EVERY}; renewals in between still extend the state.
 */
abstract class TypingStoreContract {

    private static final Duration TTL = TypingService.TTL;
    private static final Duration EVERY = TypingService.ANNOUNCE_EVERY;

    protected TypingStore store;
    private final UUID conversation = UUID.randomUUID();
    private final UUID user = UUID.randomUUID();
    // Whole milliseconds, as Redis keeps them.
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private boolean start(Instant at) {
        return store.start(conversation, user, at, at.plus(TTL), EVERY);
    }

    @Test
    void aNewStateIsAnnouncedAndRenewalsAtMostEveryHalfItsLife() {
        assertThat(start(t0)).isTrue();
        for (int ms = 100; ms < 5_000; ms += 700) {
            assertThat(start(t0.plusMillis(ms))).as("renewal after %d ms", ms).isFalse();
        }
        // Renewals extend the state: it lasts 10 s from the last one.
        assertThat(store.typing(conversation, t0.plusMillis(4_900)))
                .containsEntry(user, t0.plusMillis(4_300).plus(TTL));
        assertThat(start(t0.plus(EVERY))).isTrue();
        assertThat(start(t0.plus(EVERY).plusMillis(1))).isFalse();
    }

    @Test
    void aStartAfterAStopOrAnExpiryIsAChangeAndAnnouncedAtOnce() {
        assertThat(start(t0)).isTrue();
        assertThat(store.stop(conversation, user)).isTrue();
        assertThat(start(t0.plusSeconds(1))).isTrue();
        // Expired by itself (not renewed for the TTL): typing again is news.
        assertThat(start(t0.plusSeconds(1).plus(TTL))).isTrue();
    }

    @Test
    void usersAreAnnouncedEachOnTheirOwn() {
        UUID other = UUID.randomUUID();
        assertThat(start(t0)).isTrue();
        assertThat(store.start(
                        conversation,
                        other,
                        t0.plusSeconds(1),
                        t0.plusSeconds(1).plus(TTL),
                        EVERY))
                .isTrue();
        assertThat(store.typing(conversation, t0.plusSeconds(2))).containsOnlyKeys(user, other);
    }
}
