package dev.parley.admin;

import dev.parley.common.ParleyException;
import dev.parley.user.UserService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Who is an admin: a user named in {@code parley.admin.usernames}, granted the role by another admin, or vouched for
 * by the host app's admin claim in integration mode; never a deleted user. Asked on every admin request (one
 * indexed read), so a withdrawn role ends at once.
 */
@Component
class AdminRoles {

    private final UserService users;
    private final Set<String> configured;

    AdminRoles(UserService users, AdminProperties properties) {
        this.users = users;
        this.configured = properties.names();
    }

    /** Throws FORBIDDEN unless {@code userId} is an admin. */
    void require(UUID userId) {
        UserService.AccountFacts facts;
        try {
            facts = users.accountFacts(userId);
        } catch (ParleyException e) {
            throw forbidden();
        }
        if (sources(facts).isEmpty()) {
            throw forbidden();
        }
    }

    /** Where the user's admin role comes from ({@code configured}, {@code granted}, {@code claim}); empty: none. */
    List<String> sources(UserService.AccountFacts facts) {
        List<String> sources = new ArrayList<>(3);
        if (facts.deleted()) {
            return sources;
        }
        if (facts.user().username() != null && configured.contains(facts.user().username())) {
            sources.add("configured");
        }
        if (facts.adminGranted()) {
            sources.add("granted");
        }
        if (facts.adminClaimed()) {
            sources.add("claim");
        }
        return sources;
    }

    private static ParleyException forbidden() {
        return ParleyException.forbidden("This needs the admin role");
    }
}
