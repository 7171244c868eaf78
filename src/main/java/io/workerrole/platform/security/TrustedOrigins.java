package io.workerrole.platform.security;

import io.workerrole.platform.WebOrigin;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The web origins whose pages may change something through the API: the origins the worker is
 * reached at ({@code worker.http.publicOrigins}) and those an admin allows besides
 * ({@code worker.http.allowedOrigins}). Origins match by scheme, host and port (localhost,
 * 127.0.0.1 and [::1] being one machine); nothing of the request itself (its {@code Host}
 * header, the URL it was sent to) takes part, since a client chooses those.
 */
public final class TrustedOrigins {

    public static final TrustedOrigins NONE = new TrustedOrigins(List.of());

    /** The names of this machine's loopback interface, which {@link #sameMachine} takes as one host. */
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    /** Hosts of an {@code httpEndpoint} that listens on every interface: the server cannot know its own name then. */
    private static final Set<String> EVERY_INTERFACE = Set.of("*", "0.0.0.0", "::", "[::]");

    private final List<WebOrigin> origins;

    private TrustedOrigins(List<WebOrigin> origins) {
        this.origins = List.copyOf(origins);
    }

    /**
     * @param list comma-separated origins ({@link WebOrigin#parse}), blanks ignored
     * @throws IllegalArgumentException naming the first entry that is not an origin
     */
    public static TrustedOrigins parse(String list) {
        return new TrustedOrigins(Stream.of(list.split(",")).map(String::trim).filter(o -> !o.isEmpty())
                .map(WebOrigin::parse).toList());
    }

    /**
     * The origins of the server's own endpoints, as its {@code httpEndpoint} is configured.
     *
     * @param host {@code worker.http.host}; {@code *} (every interface), or a name no URL can
     *             carry, gives no origin at all: the admin lists them
     * @param httpPort {@code default.http.port}, -1 when plain HTTP is off
     * @param httpsPort {@code default.https.port}, -1 when HTTPS is off
     */
    public static TrustedOrigins ownEndpoints(String host, int httpPort, int httpsPort) {
        if (EVERY_INTERFACE.contains(host.trim())) {
            return NONE;
        }
        List<WebOrigin> own = new ArrayList<>();
        try {
            if (httpPort > 0) {
                own.add(new WebOrigin("http", host.trim(), httpPort));
            }
            if (httpsPort > 0) {
                own.add(new WebOrigin("https", host.trim(), httpsPort));
            }
        } catch (IllegalArgumentException e) {
            // A host Liberty listens on but no URL can name (with a space, say) is never an Origin.
            return NONE;
        }
        return new TrustedOrigins(own);
    }

    /** @return both lists together */
    public TrustedOrigins and(TrustedOrigins more) {
        return new TrustedOrigins(Stream.concat(origins.stream(), more.origins.stream()).toList());
    }

    /** @return whether a page of this origin may send requests that change something */
    public boolean admits(WebOrigin origin) {
        return origins.stream().anyMatch(trusted -> sameMachine(trusted, origin));
    }

    /**
     * @return whether the two are the same origin, counting localhost, 127.0.0.1 and [::1] as one
     *         host: a server that listens on localhost is reached by all three, and a page served
     *         by any of them is the server's own
     */
    private static boolean sameMachine(WebOrigin one, WebOrigin other) {
        return one.equals(other) || one.scheme().equals(other.scheme()) && one.port() == other.port()
                && LOOPBACK.contains(one.host()) && LOOPBACK.contains(other.host());
    }

    public boolean isEmpty() {
        return origins.isEmpty();
    }

    /** @return the origins, comma-separated, as an admin would list them */
    @Override
    public String toString() {
        return origins.stream().map(WebOrigin::toString).collect(Collectors.joining(","));
    }
}
