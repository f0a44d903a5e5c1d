package dev.parley.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.HostLookupStandIn;
import dev.parley.support.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The host app's lookup against a real HTTP server: up, down, slow, cached, signed; allow or deny on failure. */
class HostContactsTest {

    private static final String SECRET = "lookup-secret-0123456789";

    private final HostLookupStandIn host = new HostLookupStandIn(SECRET);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final UUID a = UUID.randomUUID();
    private final UUID b = UUID.randomUUID();

    @AfterEach
    void stop() {
        host.close();
    }

    /** A generous timeout: the first call of a cold JVM is slow; the slow-host case sets its own. */
    private HostContacts lookup(ContactProperties.OnFailure onFailure, String url) {
        return lookup(onFailure, url, Duration.ofSeconds(3));
    }

    private HostContacts lookup(ContactProperties.OnFailure onFailure, String url, Duration timeout) {
        return new HostContacts(
                new ContactProperties(
                        ContactPolicy.CONTACTS,
                        new ContactProperties.Lookup(
                                URI.create(url), SECRET, timeout, Duration.ofSeconds(30), 100, onFailure)),
                clock);
    }

    @Test
    void theHostsAnswerIsSignedAndCachedBothWaysRoundUntilItsTimeIsUp() {
        HostContacts lookup = lookup(ContactProperties.OnFailure.DENY, host.url());
        host.friends(a, b);
        assertThat(lookup.areContacts(a, b, a.toString(), b.toString())).isTrue();
        assertThat(host.calls()).hasSize(1).allMatch(HostLookupStandIn.Call::signed);
        assertThat(host.calls().getFirst().query()).isEqualTo("user_id=" + a + "&other_id=" + b);
        assertThat(lookup.areContacts(b, a, b.toString(), a.toString())).isTrue();
        assertThat(host.calls()).as("cached, either way round").hasSize(1);

        UUID stranger = UUID.randomUUID();
        assertThat(lookup.areContacts(a, stranger, a.toString(), stranger.toString()))
                .isFalse();
        assertThat(host.calls()).hasSize(2);

        clock.advance(Duration.ofSeconds(31));
        assertThat(lookup.areContacts(a, b, a.toString(), b.toString())).isTrue();
        assertThat(host.calls()).as("asked again once the cache entry expired").hasSize(3);
    }

    @Test
    void aHostThatIsDownIsSettledByOnFailureAndNotCached() {
        host.friends(a, b);
        host.mode(HostLookupStandIn.Mode.DOWN);
        assertThat(lookup(ContactProperties.OnFailure.DENY, host.url()).areContacts(a, b, a.toString(), b.toString()))
                .isFalse();
        HostContacts allowing = lookup(ContactProperties.OnFailure.ALLOW, host.url());
        assertThat(allowing.areContacts(a, b, a.toString(), b.toString())).isTrue();
        host.mode(HostLookupStandIn.Mode.UP);
        UUID stranger = UUID.randomUUID();
        assertThat(allowing.areContacts(a, stranger, a.toString(), stranger.toString()))
                .as("a failure is not cached")
                .isFalse();
    }

    @Test
    void aSlowHostTimesOutAndIsSettledByOnFailure() {
        host.friends(a, b);
        host.mode(HostLookupStandIn.Mode.SLOW);
        long started = System.nanoTime();
        Duration timeout = Duration.ofMillis(300);
        assertThat(lookup(ContactProperties.OnFailure.DENY, host.url(), timeout)
                        .areContacts(a, b, a.toString(), b.toString()))
                .isFalse();
        assertThat(lookup(ContactProperties.OnFailure.ALLOW, host.url(), timeout)
                        .areContacts(a, b, a.toString(), b.toString()))
                .isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("two lookups, each bounded by the 300 ms timeout")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theHostIsAskedWithItsOwnIdsForItsUsers() {
        HostContacts lookup = lookup(ContactProperties.OnFailure.DENY, host.url());
        host.friends("host-user-1", "host user/2");
        assertThat(lookup.areContacts(a, b, "host-user-1", "host user/2")).isTrue();
        assertThat(host.calls().getLast().query()).isEqualTo("user_id=host-user-1&other_id=host+user%2F2");
    }

    @Test
    void anUnreachableHostIsAFailure() {
        HostContacts lookup = lookup(ContactProperties.OnFailure.DENY, "http://127.0.0.1:1/contacts");
        assertThat(lookup.areContacts(a, b, a.toString(), b.toString())).isFalse();
    }
}
