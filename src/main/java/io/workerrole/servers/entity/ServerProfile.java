package io.workerrole.servers.entity;

import java.util.List;

/**
 * What a server is deployed as, as its heartbeat says: the servers of one role run the same job
 * types, and during a rolling upgrade servers of two versions share the store.
 *
 * @param role its {@code worker.role}
 * @param version the version of its WAR (the pom's version and when it was built), or its
 *                {@code worker.version}; {@code unknown} when neither says
 * @param types the job types it runs, in alphabetical order: its handlers', narrowed by
 *              {@code worker.types.include} and {@code worker.types.exclude}
 */
public record ServerProfile(String role, String version, List<String> types) {

    public ServerProfile {
        types = List.copyOf(types);
    }
}
