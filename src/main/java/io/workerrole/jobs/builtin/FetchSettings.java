package io.workerrole.jobs.builtin;

import io.workerrole.platform.AllowedOrigins;
import io.workerrole.platform.WorkerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Where the {@code fetch} example may call: a list of origins, none by default, so that jobs cannot reach anything they like. */
@ApplicationScoped
public class FetchSettings {

    public static final String ALLOWED_ORIGINS = "worker.fetch.allowedOrigins";
    /** What {@link #ALLOWED_ORIGINS} was called when it listed hosts (any port): no longer read. */
    static final String RETIRED_ALLOWED_HOSTS = "worker.fetch.allowedHosts";
    /** What the list is for, in refusals. */
    static final AllowedOrigins.Use FETCH_JOBS = new AllowedOrigins.Use("fetch jobs", ALLOWED_ORIGINS);

    @Inject
    WorkerSettings settings;

    /** @return the origins that fetch jobs may call; none until an admin lists them */
    public AllowedOrigins allowedOrigins() {
        return settings.readOrigins(ALLOWED_ORIGINS, RETIRED_ALLOWED_HOSTS);
    }
}
