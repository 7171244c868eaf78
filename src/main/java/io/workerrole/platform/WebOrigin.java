package io.workerrole.platform;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A web origin (RFC 6454): scheme, host and port, nothing else — what a browser's {@code Origin}
 * header names and what an HTTP client connects to. Every origin the worker compares is one of
 * these, in one form, so that equal origins are equal records whatever way they were written:
 * the scheme http or https; the host lower case — a name (a final dot is kept: it is part of the
 * origin as browsers write it), an IPv4 address, or an IPv6 address in brackets in its shortest
 * spelling (RFC 5952: {@code ::1} and {@code 0:0:0:0:0:0:0:1} are one host, an IPv4-mapped
 * address is its IPv4 address); the port always written, 1 to 65535, the scheme's default (80,
 * 443) when the text names none. No user, path, query or fragment is part of it. How origins are
 * matched belongs to their user: wildcards and bare hosts to {@link AllowedOrigins}, the
 * loopback names of one machine to {@code security.TrustedOrigins}.
 *
 * @param scheme http or https
 * @param host a host name, IPv4 address or bracketed IPv6 address
 * @param port 1 to 65535
 */
public record WebOrigin(String scheme, String host, int port) {

    /** Host names and IPv4 literals, with an optional final dot ({@code localhost.}). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:][0-9a-f:.]*");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    /**
     * Puts the parts in the one form origins are compared in.
     *
     * @param host as above, or an IPv6 address without brackets (as Liberty's {@code httpEndpoint} takes it)
     * @throws IllegalArgumentException if the scheme is not http or https, the host not one a URL
     *                                  can name, or the port out of range
     */
    public WebOrigin {
        String named = "'" + scheme + "://" + host + ":" + port + "'";
        scheme = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("not an http or https origin: " + named);
        }
        host = host == null ? null : canonicalHost(host.toLowerCase(Locale.ROOT));
        if (host == null || port < 1 || port > 65535) {
            throw new IllegalArgumentException("not an origin (scheme://host:port only): " + named);
        }
    }

    /**
     * @param text an origin as a browser's {@code Origin} header or an admin writes it:
     *             {@code https://worker.example.com}, {@code http://localhost:9080},
     *             {@code http://[::1]:9080} (a trailing {@code /} is allowed)
     * @throws IllegalArgumentException if it is not an http or https origin: another scheme, no
     *                                  host, a user, path, query or fragment, a port out of range,
     *                                  or {@code null} (a browser's opaque origin)
     */
    public static WebOrigin parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int separator = trimmed.indexOf("://");
        String scheme = separator < 0 ? "" : trimmed.substring(0, separator).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("not an http or https origin: " + text);
        }
        String rest = trimmed.substring(separator + 3);
        String authority = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
        // host[:port] or [v6][:port]. A user, path, query or fragment leaves characters in the host that no host has.
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? authority : authority.substring(0, close + 1);
            port = close < 0 ? "" : authority.substring(close + 1);
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? "" : authority.substring(colon);
        }
        // An IPv6 address without brackets (http://::1:80) is no origin: where its port begins would be a guess.
        if (host.isEmpty() || !host.startsWith("[") && host.contains(":")
                || !(port.isEmpty() || port.startsWith(":") && PORT.matcher(port.substring(1)).matches())) {
            throw new IllegalArgumentException("not an origin (scheme://host:port only): " + text);
        }
        try {
            return new WebOrigin(scheme, host, port.isEmpty() ? defaultPort(scheme) : Integer.parseInt(port.substring(1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an origin (scheme://host:port only): " + text, e);
        }
    }

    /**
     * @return the origin a URL is sent to: its scheme, its host ({@link URI#getHost}, the one after
     *         any user info, which an HTTP client connects to) and its port or the scheme's default
     * @throws IllegalArgumentException if the URL is not an absolute http or https URL with a host
     *                                  (Java's {@code URI} takes none from {@code http://127.1/}, say)
     */
    public static WebOrigin of(URI url) {
        if (url == null || url.getScheme() == null || url.getHost() == null) {
            throw new IllegalArgumentException("not an http or https URL with a host: " + url);
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        return new WebOrigin(scheme, url.getHost(), url.getPort() == -1 ? defaultPort(scheme) : url.getPort());
    }

    /** @return {@code scheme://host:port}, the port always written */
    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /** @param host lower case @return the host in the form origins are compared in, or null if a URL cannot name it */
    private static String canonicalHost(String host) {
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        String literal = bracketed ? host.substring(1, host.length() - 1) : host;
        if (literal.contains(":")) {
            return ipv6(literal);
        }
        return !bracketed && NAME.matcher(host).matches() ? host : null;
    }

    /** @return the IPv6 literal bracketed in its shortest spelling, the IPv4 address of an IPv4-mapped one, or null */
    private static String ipv6(String literal) {
        if (!IPV6.matcher(literal).matches()) {
            return null;
        }
        InetAddress address;
        try {
            // Starting with a hex digit or ':' and holding a ':', it is parsed as an IPv6 literal, never looked up in DNS.
            address = InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
        return address instanceof Inet4Address ? address.getHostAddress() : "[" + shortest(address.getAddress()) + "]";
    }

    /** @return the 16 bytes as RFC 5952 writes them: groups in lower-case hex, the longest run of two or more zero groups (the first of equals) as {@code ::} */
    private static String shortest(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int runStart = -1;
        int runLength = 1;
        for (int i = 0; i < 8; ) {
            int end = i;
            while (end < 8 && groups[end] == 0) {
                end++;
            }
            if (end - i > runLength) {
                runStart = i;
                runLength = end - i;
            }
            i = Math.max(end, i + 1);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                text.append("::");
                i += runLength - 1;
            } else {
                if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                    text.append(':');
                }
                text.append(Integer.toHexString(groups[i]));
            }
        }
        return text.toString();
    }
}
