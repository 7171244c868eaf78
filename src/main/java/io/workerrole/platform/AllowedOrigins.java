package io.workerrole.platform;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
 * empty list allows nothing. Entries and URLs are compared as {@link WebOrigin}s; what is this
 * list's own — bare hosts, wildcards, names without their final dot — is written here on top of them.
 */
public final class AllowedOrigins {

    /**
     * One allowed origin, or with {@code wildcard} every host under its host on its scheme and
     * port. Its host has no final dot: the lists compare names without one.
     */
    private record Entry(WebOrigin origin, boolean wildcard) {

        boolean admits(WebOrigin url) {
            return wildcard ? origin.scheme().equals(url.scheme()) && origin.port() == url.port()
                    && url.host().endsWith("." + origin.host())
                    : origin.equals(url);
        }

        @Override
        public String toString() {
            return wildcard ? origin.scheme() + "://*." + origin.host() + ":" + origin.port() : origin.toString();
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

    private final List<Entry> entries;

    private AllowedOrigins(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
    }

    /**
     * @param list comma-separated entries; blank entries are skipped
     * @throws IllegalArgumentException naming the first entry that is neither an http(s) origin
     *         nor a host
     */
    public static AllowedOrigins parse(String list) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : list == null ? new String[0] : list.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            for (Entry parsed : entry(entry)) {
                if (!entries.contains(parsed)) {
                    entries.add(parsed);
                }
            }
        }
        return new AllowedOrigins(entries);
    }

    /** @return the entries of one: one for an origin, two (http:80, https:443) for a bare host */
    private static List<Entry> entry(String entry) {
        int separator = entry.indexOf("://");
        int hostAt = separator < 0 ? 0 : separator + 3;
        boolean wildcard = entry.startsWith("*.", hostAt);
        // A wildcard's domain is parsed as the host of an origin; the "*." is this list's own rule.
        String text = wildcard ? entry.substring(0, hostAt) + entry.substring(hostAt + 2) : entry;
        List<WebOrigin> origins;
        try {
            origins = separator < 0 ? List.of(new WebOrigin("http", text, 80), new WebOrigin("https", text, 443))
                    : List.of(WebOrigin.parse(text));
        } catch (IllegalArgumentException e) {
            throw notAnEntry(entry);
        }
        if (wildcard && origins.get(0).host().startsWith("[")) {
            throw notAnEntry(entry);
        }
        return origins.stream().map(origin -> new Entry(withoutFinalDot(origin), wildcard)).toList();
    }

    private static IllegalArgumentException notAnEntry(String raw) {
        return new IllegalArgumentException("'" + raw + "' is not an origin (http://host:port, https://host:port) or a host");
    }

    /** @return whether the URL may be called: http or https, to an allowed scheme, host and port */
    public boolean permits(URI uri) {
        WebOrigin origin;
        try {
            origin = withoutFinalDot(WebOrigin.of(uri));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return entries.stream().anyMatch(entry -> entry.admits(origin));
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
        if (entries.isEmpty()) {
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
        return entries.isEmpty();
    }

    /** @return the URL's origin, {@code scheme://host:port} with the port always written; for messages and logs */
    public static String origin(URI uri) {
        try {
            return WebOrigin.of(uri).toString();
        } catch (IllegalArgumentException e) {
            // Only a URL no list allows gets here (a port out of range, say): name what it has, still without user, path or query.
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
            return scheme + "://" + host + ":" + port;
        }
    }

    /** @return the origins, as in {@code [http://localhost:8080, https://*.example.com:443]} */
    @Override
    public String toString() {
        return entries.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AllowedOrigins allowed && entries.equals(allowed.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    /** @return the origin with its host's final dot dropped: "localhost." names localhost, and the lists compare names so */
    private static WebOrigin withoutFinalDot(WebOrigin origin) {
        String host = origin.host();
        return host.endsWith(".") ? new WebOrigin(origin.scheme(), host.substring(0, host.length() - 1), origin.port()) : origin;
    }
}
