package io.workerrole.platform.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The web origins whose pages may change something through the API: the origins the worker is
 * reached at ({@code worker.http.publicOrigins}) and those an admin allows besides
 * ({@code worker.http.allowedOrigins}). Origins match by scheme, host and port
 * ({@link WebOrigin#sameMachineAs}); nothing of the request itself (its {@code Host} header, the
 * URL it was sent to) takes part, since a client chooses those.
 */
public final class TrustedOrigins {

    public static final TrustedOrigins NONE = new TrustedOrigins(List.of());

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
                own.add(WebOrigin.of("http", host.trim(), httpPort));
            }
            if (httpsPort > 0) {
                own.add(WebOrigin.of("https", host.trim(), httpsPort));
            }
        } catch (IllegalArgumentException e) {
            // A host Liberty listens on but a browser cannot name (an underscore, say) is never an Origin.
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
        return origins.stream().anyMatch(origin::sameMachineAs);
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
