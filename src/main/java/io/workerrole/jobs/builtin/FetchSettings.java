package io.workerrole.jobs.builtin;

import io.workerrole.platform.AllowedHosts;
import io.workerrole.platform.WorkerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Where the {@code fetch} example may call: a list of hosts, so that jobs cannot reach anything they like. */
@ApplicationScoped
public class FetchSettings {

    public static final String ALLOWED_HOSTS = "worker.fetch.allowedHosts";

    @Inject
    WorkerSettings settings;

    /** @return the hosts that fetch jobs may call */
    public AllowedHosts allowedHosts() {
        return settings.readHosts(ALLOWED_HOSTS, "localhost,127.0.0.1");
    }
}
