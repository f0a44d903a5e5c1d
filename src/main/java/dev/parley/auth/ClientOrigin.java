package dev.parley.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
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

    /**
     * The allowance an address draws on in the login and registration limits: an IPv4 address as it is, an IPv6
     * address by its /64, since one subscriber is usually handed a whole /64 and could otherwise rotate through
     * 2^64 addresses, each with allowances of its own. Never null.
     */
    String network() {
        String literal = addressOrEmpty();
        if (literal.indexOf(':') < 0) {
            return literal;
        }
        try {
            // A string with a colon is parsed as an IPv6 literal, never looked up in DNS.
            InetAddress parsed = InetAddress.getByName(literal);
            if (parsed instanceof Inet6Address) {
                return HexFormat.of().formatHex(parsed.getAddress(), 0, 8) + "::/64";
            }
            return parsed.getHostAddress(); // an IPv4-mapped address
        } catch (UnknownHostException e) {
            return literal;
        }
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
