package dev.parley.auth;

import java.util.Collection;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.auth.jwks.admin-claim.*}: in integration mode, the claim of the host app's token that makes its
 * user a Parley admin ({@code name}; unset: none does) and the value that means so ({@code value}, default
 * {@code admin}). The claim counts when it is {@code true}, equals the value, or is a list holding it (as a
 * {@code roles} claim does). It is written whenever the token's claims are, so taking it away in the host app
 * takes the role away within {@code parley.auth.jwks.profile-refresh}.
 */
@ConfigurationProperties("parley.auth.jwks.admin-claim")
public record AdminClaimProperties(
        String name, @DefaultValue("admin") String value) {

    public static AdminClaimProperties none() {
        return new AdminClaimProperties(null, "admin");
    }

    boolean enabled() {
        return name != null && !name.isBlank();
    }

    /** Whether a claim's value (as the JWT library parsed it) says admin. */
    boolean says(Object claim) {
        if (claim instanceof Boolean flag) {
            return flag;
        }
        if (claim instanceof String text) {
            return text.equals(value);
        }
        if (claim instanceof Collection<?> list) {
            return list.stream().anyMatch(item -> value.equals(item));
        }
        return false;
    }
}
