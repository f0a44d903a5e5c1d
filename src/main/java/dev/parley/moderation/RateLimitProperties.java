package dev.parley.moderation;

import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.limits.*}: per-user allowances (the contract's defaults: 60 messages a minute, 20 images an hour),
 * plus password logins per username and client address ({@code login-attempts} within {@code login-window}), per
 * client address for any usernames ({@code login-attempts-per-address} within the same window) and per account from
 * addresses new to it ({@code login-attempts-per-account} within {@code login-account-window}), and registrations
 * per client address ({@code registrations-per-address} an hour), groups created and users added to groups per hour
 * ({@code groups-per-hour}, {@code member-adds-per-hour}), and message searches per user ({@code
 * searches-per-minute}) and user look-ups ({@code user-searches-per-minute}), and typing updates and presence
 * heartbeats per minute (a client sends one every few seconds while typing, and a heartbeat every 30-60 s per
 * device, so the defaults leave room for several devices and conversations), and reports filed per user
 * ({@code reports-per-hour}), and requests to strangers per hour ({@code requests-per-hour}: contact requests, and
 * conversations or invitations that wait in a non-contact's requests folder). 0 turns a limit off.
 */
@ConfigurationProperties("parley.limits")
public record RateLimitProperties(
        @DefaultValue("60") int messagesPerMinute,
        @DefaultValue("20") int imagesPerHour,
        @DefaultValue("10") int loginAttempts,
        @DefaultValue("100") int loginAttemptsPerAddress,
        @DefaultValue("15m") Duration loginWindow,
        @DefaultValue("20") int groupsPerHour,
        @DefaultValue("300") int memberAddsPerHour,
        @DefaultValue("20") int loginAttemptsPerAccount,
        @DefaultValue("1h") Duration loginAccountWindow,
        @DefaultValue("10") int registrationsPerAddress,
        @DefaultValue("30") int searchesPerMinute,
        @DefaultValue("60") int typingPerMinute,
        @DefaultValue("60") int presencePerMinute,
        @DefaultValue("120") int userSearchesPerMinute,
        @DefaultValue("30") int reportsPerHour,
        @DefaultValue("100") int requestsPerHour) {

    public RateLimitProperties {
        // A typo here would otherwise surface as a limiter that refuses everything (or nothing) in production.
        if (messagesPerMinute < 0
                || imagesPerHour < 0
                || loginAttempts < 0
                || loginAttemptsPerAddress < 0
                || groupsPerHour < 0
                || memberAddsPerHour < 0
                || loginAttemptsPerAccount < 0
                || registrationsPerAddress < 0
                || searchesPerMinute < 0
                || typingPerMinute < 0
                || presencePerMinute < 0
                || userSearchesPerMinute < 0
                || reportsPerHour < 0
                || requestsPerHour < 0) {
            throw new IllegalArgumentException("parley.limits.* counts must be 0 (off) or positive");
        }
        if (loginWindow == null || loginWindow.toMillis() < 1) {
            throw new IllegalArgumentException("parley.limits.login-window must be positive");
        }
        if (loginAccountWindow == null || loginAccountWindow.toMillis() < 1) {
            throw new IllegalArgumentException("parley.limits.login-account-window must be positive");
        }
    }

    /** The quota of a limit; empty when it is off. */
    public Optional<Quota> quota(RateLimit limit) {
        return switch (limit) {
            case MESSAGE -> Quota.of(messagesPerMinute, Duration.ofMinutes(1));
            case IMAGE_UPLOAD -> Quota.of(imagesPerHour, Duration.ofHours(1));
            case LOGIN_ATTEMPT -> Quota.of(loginAttempts, loginWindow);
            case LOGIN_FROM_ADDRESS -> Quota.of(loginAttemptsPerAddress, loginWindow);
            case GROUP_CREATE -> Quota.of(groupsPerHour, Duration.ofHours(1));
            case MEMBER_ADD -> Quota.of(memberAddsPerHour, Duration.ofHours(1));
            case LOGIN_ACCOUNT -> Quota.of(loginAttemptsPerAccount, loginAccountWindow);
            case REGISTRATION -> Quota.of(registrationsPerAddress, Duration.ofHours(1));
            case SEARCH -> Quota.of(searchesPerMinute, Duration.ofMinutes(1));
            case TYPING -> Quota.of(typingPerMinute, Duration.ofMinutes(1));
            case PRESENCE -> Quota.of(presencePerMinute, Duration.ofMinutes(1));
            case USER_SEARCH -> Quota.of(userSearchesPerMinute, Duration.ofMinutes(1));
            case REPORT -> Quota.of(reportsPerHour, Duration.ofHours(1));
            case CONTACT_REQUEST -> Quota.of(requestsPerHour, Duration.ofHours(1));
        };
    }

    /**
     * {@code units} per {@code period}, in microseconds for the GCRA (generic cell rate algorithm): one unit frees
     * every {@code interval}, and a user may be up to a whole {@code period} ahead, which is the burst of
     * {@code units}. Microseconds keep the interval exact enough for any count (60,000,000 / 7 loses under a
     * microsecond) and still fit a Lua number (a double) exactly for the Redis script.
     */
    public record Quota(long intervalMicros, long periodMicros) {

        /** The whole allowance: units that may be taken at once. */
        long burst() {
            return periodMicros / intervalMicros;
        }

        static Optional<Quota> of(int units, Duration period) {
            if (units == 0) {
                return Optional.empty();
            }
            long interval = Math.max(1, period.toNanos() / 1_000 / units);
            // The period as a whole number of intervals, so that the burst is exactly {@code units} however the
            // division rounded.
            return Optional.of(new Quota(interval, interval * units));
        }
    }
}
