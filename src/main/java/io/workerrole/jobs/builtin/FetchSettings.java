package io.workerrole.jobs.builtin;

import io.workerrole.platform.WorkerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Where the {@code fetch} example may call: a list of hosts, so that jobs cannot reach anything they like. */
@ApplicationScoped
public class FetchSettings {

    public static final String ALLOWED_HOSTS = "worker.fetch.allowedHosts";

    @Inject
    WorkerSettings settings;

    /** @return the host names (lower case) that fetch jobs may call */
    public Set<String> allowedHosts() {
        return Arrays.stream(settings.readString(ALLOWED_HOSTS, "localhost,127.0.0.1").split(","))
                .map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).collect(Collectors.toSet());
    }
}
