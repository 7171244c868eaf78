package io.workerrole.platform.security;

import io.workerrole.platform.WebOrigin;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.platform.rest.ErrorBody;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

import java.util.Set;

/**
 * Refuses a request that changes something (POST, PUT, DELETE, PATCH) when a browser says it
 * comes from a page of another site: its {@code Origin} is not one the worker is reached at
 * ({@code worker.http.publicOrigins}, by default the server's own HTTP and HTTPS endpoints) nor
 * one in {@code worker.http.allowedOrigins}, compared by scheme, host and port. A browser that has
 * signed in with basic credentials sends them with any request, so without this a web page an
 * operator opens — on any site, or on another port of the worker's own machine — could requeue or
 * delete through a plain form or a script. The request's own {@code Host} header and URL take no
 * part: whoever sends the request chooses them. Clients that are not browsers send no
 * {@code Origin} and pass; JSON-only bodies (415 otherwise) close the other half of the same hole
 * for {@code POST /api/jobs}.
 */
@Provider
@PreMatching
public class CrossSiteRequestGuard implements ContainerRequestFilter {

    public static final String PUBLIC_ORIGINS = "worker.http.publicOrigins";
    public static final String ALLOWED_ORIGINS = "worker.http.allowedOrigins";
    static final String HTTP_PORT = "default.http.port";
    static final String HTTPS_PORT = "default.https.port";
    /** The endpoint's defaults in server.xml, for a server whose configuration does not declare them. */
    static final String DEFAULT_HTTP_HOST = "localhost";
    static final int DEFAULT_HTTP_PORT = 9080;
    static final int DEFAULT_HTTPS_PORT = 9443;
    private static final String ORIGINS = "comma-separated origins such as https://worker.example.com:8443";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    WorkerSettings settings;

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin == null || SAFE_METHODS.contains(request.getMethod())) {
            return;
        }
        if (!admitted(origin, trusted())) {
            request.abortWith(ErrorBody.of(403, "cross-site request refused: Origin " + origin
                    + " is not an origin this server is reached at (" + PUBLIC_ORIGINS + ") nor one listed in "
                    + ALLOWED_ORIGINS + "; an admin lists it there to allow it"));
        }
    }

    /** @return whether a browser's {@code Origin} header names a trusted origin; an opaque ({@code null}) or malformed one never does */
    static boolean admitted(String origin, TrustedOrigins trusted) {
        try {
            return trusted.admits(WebOrigin.parse(origin));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private TrustedOrigins trusted() {
        TrustedOrigins own = TrustedOrigins.ownEndpoints(settings.readString(ShippedPasswordsCheck.HTTP_HOST, DEFAULT_HTTP_HOST),
                settings.readInt(HTTP_PORT, DEFAULT_HTTP_PORT, -1), settings.readInt(HTTPS_PORT, DEFAULT_HTTPS_PORT, -1));
        TrustedOrigins reachedAt = settings.readParsed(PUBLIC_ORIGINS, own, TrustedOrigins::parse, ORIGINS);
        return reachedAt.and(settings.readParsed(ALLOWED_ORIGINS, TrustedOrigins.NONE, TrustedOrigins::parse, ORIGINS));
    }
}
