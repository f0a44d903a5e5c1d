package dev.parley.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.Normalizer;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The profile a host-app token vouches for, already fitted to Parley's rules: the username matches
 * {@code [a-z0-9_.]{3,32}}, the display name is never blank, the photo is an http(s) URL or absent. A host app
 * has its own naming rules, so claims are adapted rather than rejected: a token must not fail because of a
 * nickname with an umlaut.
 */
record ExternalProfile(String issuer, String subject, String username, String displayName, String photoUrl) {

    static final int USERNAME_MAX = 32;
    static final int DISPLAY_NAME_MAX = 64;
    static final int PHOTO_URL_MAX = 2048;

    static ExternalProfile from(JWTClaimsSet claims, AuthProperties.Jwks config) {
        String subject = claims.getSubject();
        String username = username(stringClaim(claims, config.usernameClaim()), subject);
        String displayName = displayName(stringClaim(claims, config.displayNameClaim()), username);
        return new ExternalProfile(
                claims.getIssuer(),
                subject,
                username,
                displayName,
                photoUrl(stringClaim(claims, config.pictureClaim())));
    }

    /**
     * The claim's value fitted to the username rule; an e-mail address contributes its local part. When too
     * little survives, a name derived from the subject, which every accepted token has.
     */
    static String username(String claim, String subject) {
        String candidate =
                claim == null ? "" : sanitise(claim.contains("@") ? claim.substring(0, claim.indexOf('@')) : claim);
        if (candidate.length() >= 3) {
            return candidate;
        }
        String fromSubject = sanitise(subject);
        // A subject such as "auth0|65f..." sanitises well; one made of symbols or non-Latin text may not.
        String suffix = fromSubject.length() >= 3
                ? fromSubject
                : HexFormat.of().formatHex(TokenPairs.hash(subject)).substring(0, 12);
        return truncate("user_" + suffix, USERNAME_MAX);
    }

    static String displayName(String claim, String username) {
        String name = claim == null ? "" : claim.replaceAll("\\p{Cntrl}", "").strip();
        if (name.isEmpty()) {
            return username;
        }
        // Cut on a code point boundary so a surrogate pair is never split.
        return name.codePointCount(0, name.length()) <= DISPLAY_NAME_MAX
                ? name
                : name.substring(0, name.offsetByCodePoints(0, DISPLAY_NAME_MAX))
                        .strip();
    }

    /** Only absolute http(s) URLs become a photo; anything else (data:, javascript:, relative) is dropped. */
    static String photoUrl(String claim) {
        if (claim == null || claim.isBlank() || claim.length() > PHOTO_URL_MAX) {
            return null;
        }
        try {
            URI uri = new URI(claim.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null ? uri.toString() : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String sanitise(String value) {
        String ascii = Normalizer.normalize(value, Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT);
        String cleaned =
                ascii.replaceAll("[^a-z0-9_.]+", "_").replaceAll("_{2,}", "_").replaceAll("^[_.]+|[_.]+$", "");
        return truncate(cleaned, USERNAME_MAX);
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }

    /** A claim that is absent or not a string (some providers send objects) counts as absent. */
    private static String stringClaim(JWTClaimsSet claims, String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }
}
