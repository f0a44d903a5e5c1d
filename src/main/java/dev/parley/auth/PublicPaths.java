package dev.parley.auth;

import java.util.List;
import java.util.Set;

/**
 * The only paths served without a bearer token; everything else, known route or not, needs one (deny by
 * default). Matched against the normalised path (decoded, no {@code ;parameters}, no dot segments), never the raw
 * URL: see {@link AuthFilter}.
 */
public final class PublicPaths {

    private static final Set<String> EXACT = Set.of(
            "/api/v1/auth/register",
            "/api/v1/auth/login",
            "/api/v1/auth/refresh",
            // Checks its own upgrade (WebSocketHandshakeAuth): browsers send the token as a query parameter.
            WebSocketHandshakeAuth.PATH,
            "/metrics",
            // The VAPID public key: browsers need it to subscribe, before anyone signs in.
            "/api/v1/push/webpush-key",
            // Version, commit and build time (management.info.* in application.yml).
            "/info",
            // The AsyncAPI document of the WebSocket and event stream (docs/asyncapi.yaml).
            "/api/v1/asyncapi.yaml",
            // The web client.
            "/",
            "/index.html",
            "/favicon.ico",
            // The web client's service worker (Web Push notifications); at the root so that its scope is the app.
            "/sw.js");

    /** These paths and everything below them. */
    private static final List<String> TREES = List.of(
            "/api/v1/openapi.json",
            "/api/v1/docs",
            "/api/v1/swagger-ui",
            "/health",
            // A signed URL of the local object store: the signature is the credential.
            "/storage",
            "/app");

    private PublicPaths() {}

    public static boolean isPublic(String path) {
        if (EXACT.contains(path)) {
            return true;
        }
        for (String tree : TREES) {
            if (path.equals(tree) || path.startsWith(tree) && path.charAt(tree.length()) == '/') {
                return true;
            }
        }
        return false;
    }
}
