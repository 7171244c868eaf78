package io.workerrole.platform.security;

import io.workerrole.platform.rest.ErrorBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.List;

/** A 403 that says which role the call needs, so that an admin knows which group to add the user to. */
@Provider
public class MissingRole implements ExceptionMapper<ForbiddenException> {

    @Context
    ResourceInfo resource;

    @Context
    SecurityContext security;

    @Override
    public Response toResponse(ForbiddenException e) {
        Principal user = security.getUserPrincipal();
        List<String> roles = rolesAllowed(resource.getResourceMethod());
        if (user == null || roles.isEmpty()) {
            return ErrorBody.of(403, e.getMessage());
        }
        return ErrorBody.of(403, "user " + user.getName() + " is not in the role this call needs: "
                + String.join(" or ", roles));
    }

    private static List<String> rolesAllowed(Method method) {
        if (method == null) {
            return List.of();
        }
        RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            allowed = method.getDeclaringClass().getAnnotation(RolesAllowed.class);
        }
        return allowed == null ? List.of() : List.of(allowed.value());
    }
}
