package dev.parley.auth;

import com.nimbusds.jwt.SignedJWT;
import java.util.Optional;
import java.util.UUID;

/** Integration mode: accepts the host app's JWTs and maps them to (provisioned) Parley users. */
public interface ExternalTokenVerifier {

    /** The Parley user behind a valid host-app token; empty for anything it does not accept. */
    Optional<UUID> verify(SignedJWT jwt);
}
