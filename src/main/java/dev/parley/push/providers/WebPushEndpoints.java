package dev.parley.push.providers;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which Web Push endpoints Parley will call: https ones only, so that a subscription cannot point the server at
 * a plain-http service on its own network; plain http only on a loopback address, and only when
 * {@code parley.push.webpush.allow-insecure-loopback} is set (development, tests).
 */
public final class WebPushEndpoints {

    public static final int MAX_LENGTH = 2048;

    private WebPushEndpoints() {}

    /** The endpoint as a URI, or null when it may not be called. */
    public static URI check(String endpoint, boolean allowInsecureLoopback) {
        if (endpoint == null || endpoint.isEmpty() || endpoint.length() > MAX_LENGTH) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return null;
        }
        if (scheme.equals("https")) {
            return uri;
        }
        return scheme.equals("http") && allowInsecureLoopback && isLoopback(host) ? uri : null;
    }

    /** Only literal loopback names and addresses: a name is never resolved here. */
    private static boolean isLoopback(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
