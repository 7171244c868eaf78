package io.workerrole.platform;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts the worker may call on someone else's behalf (a fetch job's URL, a job's callback),
 * from a comma-separated setting: exact host names or IP literals, compared without regard to
 * case, and {@code *.example.com} for any host under example.com (not example.com itself).
 * Hosts are compared by name, as the URL gives them: what a permitted name resolves to is the
 * admin's DNS. Anything not listed is refused, so a host written in an unusual form (an IPv4
 * address as one number, say) is refused rather than guessed at.
 */
public final class AllowedHosts {

    /** Host names and IPv4 literals: what an entry or a wildcard's domain may be made of. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");

    /** The entries as listed (normalized), for messages. */
    private final List<String> entries;

    private AllowedHosts(List<String> entries) {
        this.entries = Collections.unmodifiableList(entries);
    }

    /**
     * @param list comma-separated entries; blank entries are skipped
     * @throws IllegalArgumentException naming the first entry that is neither a host name, an
     *         IP literal nor {@code *.domain}
     */
    public static AllowedHosts parse(String list) {
        List<String> entries = new ArrayList<>();
        for (String raw : list == null ? new String[0] : list.split(",")) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            boolean wildcard = entry.startsWith("*.");
            String host = wildcard ? name(entry.substring(2)) : normalize(entry);
            if (host == null) {
                throw new IllegalArgumentException("'" + raw.trim() + "' is not a host name, an IP address or *.domain");
            }
            String normalized = wildcard ? "*." + host : host;
            if (!entries.contains(normalized)) {
                entries.add(normalized);
            }
        }
        return new AllowedHosts(entries);
    }

    /** @return whether the URI's host is allowed; the host is the one an HTTP client connects to, after any user info */
    public boolean permits(URI uri) {
        return uri != null && permits(uri.getHost());
    }

    /** @return whether the host (a name or an IP literal, IPv6 with or without brackets) is allowed */
    public boolean permits(String host) {
        String candidate = host == null ? null : normalize(host.trim().toLowerCase(Locale.ROOT));
        if (candidate == null) {
            return false;
        }
        for (String entry : entries) {
            boolean match = entry.startsWith("*.")
                    ? candidate.endsWith(entry.substring(1)) && candidate.length() > entry.length() - 1
                    : candidate.equals(entry);
            if (match) {
                return true;
            }
        }
        return false;
    }

    /** @return the entries, as in {@code [localhost, 127.0.0.1, *.example.com]} */
    @Override
    public String toString() {
        return entries.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AllowedHosts hosts && entries.equals(hosts.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    /** @return a lower-case host in the form entries are compared in, or null if it is not one */
    private static String normalize(String host) {
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
