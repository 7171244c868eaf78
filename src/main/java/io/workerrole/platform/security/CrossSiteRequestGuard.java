package io.workerrole.platform.security;

import io.workerrole.platform.WorkerSettings;
import io.workerrole.platform.rest.ErrorBody;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses a request that changes something (POST, PUT, DELETE, PATCH) when a browser says it
 * comes from another site: its {@code Origin} names another host than the one it was sent to
 * (or is {@code null}, an opaque origin), and is not in {@code worker.http.allowedOrigins}.
 * A browser that has signed in with basic credentials sends them with any request, so without
 * this a web page an operator opens could requeue or delete through a plain form. Clients that
 * are not browsers send no {@code Origin} and pass; JSON-only bodies (415 otherwise) close the
 * other half of the same hole for {@code POST /api/jobs}.
 */
@Provider
@PreMatching
public class CrossSiteRequestGuard implements ContainerRequestFilter {

    public static final String ALLOWED_ORIGINS = "worker.http.allowedOrigins";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    WorkerSettings settings;

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin == null || SAFE_METHODS.contains(request.getMethod())) {
            return;
        }
        if (!sameHost(origin, request.getUriInfo().getRequestUri()) && !allowedOrigins().contains(origin.toLowerCase(Locale.ROOT))) {
            request.abortWith(ErrorBody.of(403, "cross-site request refused: Origin " + origin
                    + " is not this server; list it in " + ALLOWED_ORIGINS + " to allow it"));
        }
    }

    /** Same host name as the request's, whatever the scheme and port: a proxy in front may change those. */
    static boolean sameHost(String origin, URI request) {
        try {
            String host = URI.create(origin).getHost();
            return host != null && request.getHost() != null && host.equalsIgnoreCase(request.getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Set<String> allowedOrigins() {
        return Arrays.stream(settings.readString(ALLOWED_ORIGINS, "").split(","))
                .map(o -> o.trim().toLowerCase(Locale.ROOT)).filter(o -> !o.isEmpty()).collect(Collectors.toSet());
    }
}
