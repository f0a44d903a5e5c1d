package dev.parley.presence;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How presence changes are announced ({@code parley.presence.*}): each announcement is a database write and an event
 * to every contact, so a user flipping between away and online, or a phone reconnecting, must not cost one each.
 *
 * @param debounce     at most one announcement per user this often; a status that changes back within it is
 *                     never announced, and one that stays is announced when the interval is over
 * @param offlineGrace a user whose last device left is announced offline only this long after, so that a reconnect
 *                     (a network switch, a page reload) announces nothing at all
 */
@ConfigurationProperties("parley.presence")
public record PresenceProperties(
        @DefaultValue("3s") Duration debounce,
        @DefaultValue("5s") Duration offlineGrace) {

    public PresenceProperties {
        if (debounce.isNegative() || offlineGrace.isNegative()) {
            throw new IllegalArgumentException("parley.presence.debounce and offline-grace must not be negative");
        }
    }
}
