package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.parley.support.MutableClock;
import dev.parley.user.AccountStanding;
import dev.parley.user.UserService;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExternalUsersTest {

    private final UserService userService = mock(UserService.class);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ExternalUsers users = new ExternalUsers(userService, clock, Duration.ofMinutes(5), 2);

    @BeforeEach
    void everyoneInGoodStanding() {
        when(userService.standing(any())).thenAnswer(i -> new AccountStanding(i.getArgument(0), false, null));
    }

    @Test
    void aKnownIdentityIsServedFromMemoryUntilItsClaimsChangeOrItAges() {
        UUID id = UUID.randomUUID();
        when(userService.provisionExternal(eq("iss"), eq("sub"), any(), any(), any()))
                .thenReturn(id);
        ExternalProfile profile = new ExternalProfile("iss", "sub", "jane", "Jane", null);

        assertThat(users.resolve(profile)).contains(id);
        assertThat(users.resolve(profile)).contains(id);
        verify(userService, times(1)).provisionExternal("iss", "sub", "jane", "Jane", null);

        // A renamed profile is written at once, not after the refresh interval.
        users.resolve(new ExternalProfile("iss", "sub", "jane", "Jane D.", null));
        verify(userService).provisionExternal("iss", "sub", "jane", "Jane D.", null);

        clock.advance(Duration.ofMinutes(6));
        users.resolve(new ExternalProfile("iss", "sub", "jane", "Jane D.", null));
        verify(userService, times(2)).provisionExternal("iss", "sub", "jane", "Jane D.", null);
    }

    @Test
    void theCacheStaysWithinItsBound() {
        when(userService.provisionExternal(any(), any(), any(), any(), any())).thenAnswer(i -> UUID.randomUUID());
        for (int i = 0; i < 5; i++) {
            users.resolve(new ExternalProfile("iss", "sub" + i, "user" + i, "User", null));
        }
        assertThat(users.size()).isEqualTo(2);
    }
}
