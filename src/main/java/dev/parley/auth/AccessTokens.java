package dev.parley.auth;

import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Resolves a bearer token (ours, or the host app's in integration mode) to a user; shared by every transport. */
@Component
public class AccessTokens {

    private final TokenService own;
    private final ExternalTokenVerifier external;

    AccessTokens(TokenService own, ObjectProvider<ExternalTokenVerifier> external) {
        this.own = own;
        this.external = external.getIfAvailable();
    }

    public Optional<AuthUser> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 8192) {
            return Optional.empty();
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token.strip());
        } catch (ParseException e) {
            return Optional.empty();
        }
        Optional<UUID> user = own.isOwn(jwt) || external == null ? own.verify(jwt) : external.verify(jwt);
        return user.map(AuthUser::new);
    }
}
