package io.workerrole.jobs.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/** The worker's HTTP API under /api; its OpenAPI document is at /openapi (UI at /openapi/ui). */
@ApplicationPath("/api")
@OpenAPIDefinition(info = @Info(title = "Worker Role", version = "1",
        description = "Submit background jobs and follow them to their result."))
public class JobsApplication extends Application {
}
