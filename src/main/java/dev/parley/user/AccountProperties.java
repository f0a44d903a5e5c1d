package dev.parley.user;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.accounts.*}: how long a deleted account's username stays unavailable
 * ({@code username-cooldown}), how much of an account one erasure transaction removes ({@code erasure-batch}) and
 * how often each node looks for erasures to run ({@code erasure-interval}); {@code erasure-enabled: false} keeps
 * this node from running them (operations, tests).
 */
@ConfigurationProperties("parley.accounts")
public record AccountProperties(
        @DefaultValue("30d") Duration usernameCooldown,
        @DefaultValue("500") int erasureBatch,
        @DefaultValue("1s") Duration erasureInterval,
        @DefaultValue("true") boolean erasureEnabled) {

    public AccountProperties {
        if (usernameCooldown.isNegative()
                || erasureBatch < 1
                || erasureBatch > 10_000
                || !erasureInterval.isPositive()) {
            throw new IllegalArgumentException("parley.accounts: username-cooldown must not be negative, "
                    + "erasure-interval must be positive, erasure-batch must be 1 to 10000");
        }
    }
}
