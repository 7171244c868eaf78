package io.workerrole.platform.security;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

import java.net.URI;
import java.security.Principal;
import java.util.logging.Logger;

/**
 * The audit log: one line per {@link Audited} call, with the user's name, the action (method and
 * path, which names the job or schedule it touched, with its query) and how it ended — refusals
 * included, so a 403 is on record too. Lines go to the logger {@code io.workerrole.audit}, at
 * INFO, into Liberty's messages.log; admins can route that logger elsewhere.
 */
@Provider
@Audited
public class AuditTrail implements ContainerResponseFilter {

    static final Logger LOG = Logger.getLogger("io.workerrole.audit");

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Principal user = request.getSecurityContext().getUserPrincipal();
        String who = user == null ? "(anonymous)" : user.getName();
        URI uri = request.getUriInfo().getRequestUri();
        String what = request.getMethod() + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        LOG.info(() -> "[audit] " + who + " " + what + " -> " + response.getStatus());
    }
}
