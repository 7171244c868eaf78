package io.workerrole.jobs.boundary;

import io.workerrole.platform.security.Roles;
import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The worker's HTTP API under /api; its OpenAPI document is at /openapi (UI at /openapi/ui).
 * Every call needs a user in the role its method names ({@code @RolesAllowed}): basic
 * credentials from the server's user registry, or a bearer token where admins turned tokens on.
 */
@ApplicationPath("/api")
@DeclareRoles({Roles.VIEWER, Roles.SUBMITTER, Roles.OPERATOR, Roles.ADMIN})
@OpenAPIDefinition(info = @Info(title = "Worker Role", version = "1",
        description = "Submit background jobs and follow them to their result. Every call needs a user in a role: "
                + "job-viewer for every GET, job-submitter to submit, job-operator to requeue and to pause or resume schedules, "
                + "job-admin to create, replace or delete schedules. Without credentials: 401; without the role: 403."),
        security = {@SecurityRequirement(name = JobsApplication.BASIC), @SecurityRequirement(name = JobsApplication.BEARER)})
@SecurityScheme(securitySchemeName = JobsApplication.BASIC, type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "A user of the server's registry (basicRegistry, LDAP)")
@SecurityScheme(securitySchemeName = JobsApplication.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "A MicroProfile JWT whose groups claim names the roles, where the server has mpJwt on")
public class JobsApplication extends Application {

    static final String BASIC = "basic";
    static final String BEARER = "bearer";
}
