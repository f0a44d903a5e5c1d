package dev.parley.admin;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.admin.*}: {@code usernames} ({@code PARLEY_ADMIN_USERNAMES=alice,bob}) are admins whenever an account
 * with that name exists, including accounts registered after start-up: the list is checked on each admin request,
 * never copied into the database, so removing a name takes the role away at once.
 */
@ConfigurationProperties("parley.admin")
public record AdminProperties(@DefaultValue List<String> usernames) {

    Set<String> names() {
        return usernames.stream()
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .map(name -> name.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }
}
