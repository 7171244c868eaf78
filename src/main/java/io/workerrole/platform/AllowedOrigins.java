package io.workerrole.platform;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The origins the worker may call on someone else's behalf (a fetch job's URL, a job's callback),
 * from a comma-separated setting. An entry is an origin, {@code scheme://host:port} with scheme
 * http or https, or a bare host, which means that host's default ports only (http 80, https 443);
 * a host may be {@code *.example.com}, any host under example.com (not example.com itself). A URL
 * is allowed when its scheme, host and port (the scheme's default when it names none) are those
 * of an entry: another port of an allowed host is another service, and is refused. Hosts are
 * compared by name without regard to case or a final dot, IPv6 literals in any spelling; what a
 * permitted name resolves to is the admin's DNS. Anything not listed is refused, so a host written
 * in an unusual form (an IPv4 address as one number, say) is refused rather than guessed at. An
 * empty list allows nothing.
 */
public final class AllowedOrigins {

    /** Host names and IPv4 literals: what an entry's host or a wildcard's domain may be made of. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    /** One allowed origin; {@code host} is {@code *.domain} for a wildcard. */
    private record Origin(String scheme, String host, int port) {

        boolean matches(String scheme, String host, int port) {
            return this.scheme.equals(scheme) && this.port == port
                    && (this.host.startsWith("*.") ? host.endsWith(this.host.substring(1)) && host.length() > this.host.length() - 1
                    : this.host.equals(host));
        }

        @Override
        public String toString() {
            return AllowedOrigins.toString(scheme, host, port);
        }
    }

    /**
     * What a list is for, for messages: {@code new Use("callbacks", "worker.callback.allowedOrigins")}.
     *
     * @param what what the worker does not do when the list is empty, in the plural ("callbacks")
     * @param setting the setting that holds the list
     */
    public record Use(String what, String setting) {
    }

    private final List<Origin> origins;

    private AllowedOrigins(List<Origin> origins) {
        this.origins = Collections.unmodifiableList(origins);
    }

    /**
     * @param list comma-separated entries; blank entries are skipped
     * @throws IllegalArgumentException naming the first entry that is neither an http(s) origin
     *         nor a host
     */
    public static AllowedOrigins parse(String list) {
        List<Origin> origins = new ArrayList<>();
        for (String raw : list == null ? new String[0] : list.split(",")) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            for (Origin origin : entry(entry, raw.trim())) {
                if (!origins.contains(origin)) {
                    origins.add(origin);
                }
            }
        }
        return new AllowedOrigins(origins);
    }

    /** @return the origins of one entry: one for an origin, two (http:80, https:443) for a bare host */
    private static List<Origin> entry(String entry, String raw) {
        int separator = entry.indexOf("://");
        if (separator < 0) {
            String host = host(entry, true);
            if (host == null) {
                throw notAnEntry(raw);
            }
            return List.of(new Origin("http", host, 80), new Origin("https", host, 443));
        }
        String scheme = entry.substring(0, separator);
        String rest = entry.substring(separator + 3);
        String authority = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw notAnEntry(raw);
        }
        // host[:port] or [v6][:port]; a path, a query or user info is no part of an origin.
        int portAt = authority.startsWith("[") ? authority.indexOf("]:") + 1 : authority.lastIndexOf(':');
        String host = host(portAt > 0 ? authority.substring(0, portAt) : authority, true);
        int port = portAt > 0 ? port(authority.substring(portAt + 1)) : defaultPort(scheme);
        if (host == null || port < 0 || (!authority.startsWith("[") && authority.indexOf(':') != authority.lastIndexOf(':'))) {
            throw notAnEntry(raw);
        }
        return List.of(new Origin(scheme, host, port));
    }

    private static IllegalArgumentException notAnEntry(String raw) {
        return new IllegalArgumentException("'" + raw + "' is not an origin (http://host:port, https://host:port) or a host");
    }

    /** @return whether the URL may be called: http or https, to an allowed scheme, host and port */
    public boolean permits(URI uri) {
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        // URI.getHost() is the host after any user info: the one an HTTP client connects to.
        String host = host(uri.getHost().toLowerCase(Locale.ROOT), false);
        int port = uri.getPort() == -1 ? defaultPort(scheme) : uri.getPort();
        if (host == null || port < 0) {
            return false;
        }
        return origins.stream().anyMatch(origin -> origin.matches(scheme, host, port));
    }

    /**
     * @param field the field that holds the URL, for the message ({@code "callbackUrl"})
     * @param use what the list is for, for the message
     * @return why the URL may not be called, naming the field and the setting to edit; empty if it may
     */
    public Optional<String> refusal(String field, String url, Use use) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            return Optional.of("\"" + field + "\" is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            return Optional.of("\"" + field + "\" must be an absolute http or https URL");
        }
        if (origins.isEmpty()) {
            return Optional.of("\"" + field + "\": " + use.what() + " are off: no origin is listed in " + use.setting()
                    + " (an admin lists there the origins the worker may call, as scheme://host:port)");
        }
        if (!permits(uri)) {
            return Optional.of("\"" + field + "\" origin " + origin(uri) + " is not in " + use.setting()
                    + " (an admin lists there the origins the worker may call)");
        }
        return Optional.empty();
    }

    /** @return whether no origin is allowed */
    public boolean isEmpty() {
        return origins.isEmpty();
    }

    /** @return the URL's origin, {@code scheme://host:port} with the port always written; for messages and logs */
    public static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return toString(scheme, host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
                uri.getPort() == -1 ? defaultPort(scheme) : uri.getPort());
    }

    /** @return the origins, as in {@code [http://localhost:8080, https://*.example.com:443]} */
    @Override
    public String toString() {
        return origins.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AllowedOrigins allowed && origins.equals(allowed.origins);
    }

    @Override
    public int hashCode() {
        return origins.hashCode();
    }

    private static String toString(String scheme, String host, int port) {
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }

    /** @return the port, 1 to 65535, or -1 */
    private static int port(String text) {
        if (!PORT.matcher(text).matches()) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? port : -1;
    }

    /**
     * @param wildcard whether {@code *.domain} is accepted (in entries, not in URLs)
     * @return a lower-case host in the form origins are compared in, or null if it is not one
     */
    private static String host(String host, boolean wildcard) {
        if (wildcard && host.startsWith("*.")) {
            String domain = name(host.substring(2));
            return domain == null ? null : "*." + domain;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.contains(":")) {
            return ipv6(bare);
        }
        return name(bare);
    }

    /** @return the name without its optional final dot ("localhost." is localhost), or null */
    private static String name(String name) {
        String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return NAME.matcher(bare).matches() ? bare : null;
    }

    /** @return the IPv6 literal in one spelling (::1 and 0:0:0:0:0:0:0:1 are one host), or null */
    private static String ipv6(String literal) {
        if (!literal.matches("[0-9a-f:][0-9a-f:.]*")) {
            return null;
        }
        try {
            // Starting with a hex digit or ':' and holding a ':', it is parsed as an IPv6 literal, never looked up in DNS.
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
