package dev.parley.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The client's address, which login and registration limits count by, is the connecting peer's, unless that
 * peer is one of the proxies the operator named ({@code parley.http.trusted-proxies}, addresses or CIDR ranges).
 * Then {@code X-Forwarded-For} is read from the right, past every trusted proxy, and the first address that is
 * not one is the client: entries further left were written by whoever sent the request, and prove nothing. With
 * no trusted proxy (the default) the header is ignored, so a client cannot pick its apparent address.
 *
 * <p>This replaces Tomcat's RemoteIpValve ({@code server.forward-headers-strategy: native}), which trusts every
 * private-network peer, so any client behind a NAT could rotate its address; the valve takes only regular
 * expressions, where operators think in CIDR ranges.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ClientAddressFilter extends OncePerRequestFilter {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    /** A header longer than this is not a proxy chain but an attack; only its rightmost part is read. */
    private static final int MAX_HOPS = 20;

    private final List<IpAddressMatcher> trusted;

    ClientAddressFilter(HttpProperties properties) {
        this.trusted = properties.trustedProxies().stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(ClientAddressFilter::matcher)
                .toList();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return trusted.isEmpty() || !isTrusted(request.getRemoteAddr());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = client(request);
        if (client.equals(request.getRemoteAddr())) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(
                new HttpServletRequestWrapper(request) {
                    @Override
                    public String getRemoteAddr() {
                        return client;
                    }

                    @Override
                    public String getRemoteHost() {
                        return client;
                    }
                },
                response);
    }

    /** The rightmost address in the forwarded chain that is not a trusted proxy; the peer when there is none. */
    private String client(HttpServletRequest request) {
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders(FORWARDED_FOR))) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        String client = request.getRemoteAddr();
        for (int i = hops.size() - 1; i >= 0 && i >= hops.size() - MAX_HOPS; i--) {
            String hop = address(hops.get(i));
            if (hop == null) {
                // Not an address: a proxy of ours would not write that, so the chain is not to be believed further.
                return client;
            }
            client = hop;
            if (!isTrusted(hop)) {
                return client;
            }
        }
        return client;
    }

    private boolean isTrusted(String address) {
        for (IpAddressMatcher matcher : trusted) {
            try {
                if (matcher.matches(address)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    /** An IP literal, without the port or IPv6 brackets some proxies add; null for anything else (no DNS). */
    static String address(String hop) {
        String value = hop;
        if (value.startsWith("[") && value.indexOf(']') > 0) {
            value = value.substring(1, value.indexOf(']'));
        } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':')) {
            value = value.substring(0, value.indexOf(':'));
        }
        boolean ipv4 = value.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = value.matches("[0-9A-Fa-f:.]+") && value.contains(":");
        return ipv4 || ipv6 ? value : null;
    }

    private static IpAddressMatcher matcher(String cidr) {
        try {
            return new IpAddressMatcher(cidr);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "parley.http.trusted-proxies: " + cidr
                            + " is not an IP address or CIDR range (such as 10.0.0.0/8 or 2001:db8::/32)",
                    e);
        }
    }
}
