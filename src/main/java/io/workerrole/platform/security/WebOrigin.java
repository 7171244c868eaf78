package io.workerrole.platform.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * A web origin as browsers define it: scheme, host and port, nothing else. Two pages are the same
 * site only if all three are equal, so a page on another port of the worker's machine is another
 * site. The port is always explicit (80 and 443 filled in), the host lower case and IPv6
 * addresses in brackets, so that equal origins are equal records whatever way they were written.
 *
 * @param scheme http or https
 * @param host a host name, IPv4 address or bracketed IPv6 address
 * @param port the port, the scheme's default when the text names none
 */
public record WebOrigin(String scheme, String host, int port) {

    /** The names of this machine's loopback interface, which {@link #sameMachineAs} takes as one host. */
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    /**
     * @param text an origin as a browser's {@code Origin} header or an admin writes it:
     *             {@code https://worker.example.com}, {@code http://localhost:9080} (a trailing
     *             {@code /} is allowed)
     * @throws IllegalArgumentException if it is not an http or https origin: another scheme, no
     *                                  host, a user, path, query or fragment, or {@code null} (a
     *                                  browser's opaque origin)
     */
    public static WebOrigin parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an origin: " + text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("not an http or https origin: " + text);
        }
        // getHost() is null for a host Java's URI does not take as a server name (an underscore,
        // say): browsers do not send such origins for pages they load.
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("not an origin (scheme://host:port only): " + text);
        }
        int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
        return new WebOrigin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port);
    }

    /**
     * @param host a host as Liberty's {@code httpEndpoint} takes it, an IPv6 address with or without brackets
     * @return the origin of that endpoint
     * @throws IllegalArgumentException if the host is not one a URL can name
     */
    public static WebOrigin of(String scheme, String host, int port) {
        String named = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return parse(scheme + "://" + named + ":" + port);
    }

    /**
     * @return whether the two are the same origin, counting localhost, 127.0.0.1 and [::1] as one
     *         host: a server that listens on localhost is reached by all three, and a page served
     *         by any of them is the server's own
     */
    public boolean sameMachineAs(WebOrigin other) {
        return scheme.equals(other.scheme) && port == other.port
                && (host.equals(other.host) || LOOPBACK.contains(host) && LOOPBACK.contains(other.host));
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
