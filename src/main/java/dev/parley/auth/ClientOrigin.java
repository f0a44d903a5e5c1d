package dev.parley.auth;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

/**
 * Where a login or registration comes from, as recorded on its session: the client's address (behind a trusted
 * proxy, the one it forwarded; see config/ClientAddressFilter) and its {@code User-Agent}, cut to what the table
 * holds and stripped of control characters.
 */
record ClientOrigin(String address, String userAgent) {

    static final int ADDRESS_MAX = 64;
    static final int USER_AGENT_MAX = 256;

    static ClientOrigin of(HttpServletRequest request) {
        return new ClientOrigin(
                bounded(request.getRemoteAddr(), ADDRESS_MAX),
                bounded(request.getHeader(HttpHeaders.USER_AGENT), USER_AGENT_MAX));
    }

    /** Never null, so that an unknown address still names one allowance rather than none. */
    String addressOrEmpty() {
        return address == null ? "" : address;
    }

    private static String bounded(String value, int max) {
        if (value == null) {
            return null;
        }
        String clean = value.replaceAll("\\p{Cntrl}", "").strip();
        if (clean.isEmpty()) {
            return null;
        }
        // Cut on a code point boundary, so a surrogate pair is never split.
        return clean.codePointCount(0, clean.length()) <= max
                ? clean
                : clean.substring(0, clean.offsetByCodePoints(0, max));
    }
}
