package io.workerrole.servers.boundary;

import io.workerrole.servers.control.ServerStore;
import io.workerrole.servers.entity.ServerStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** The servers sharing the job store, by their heartbeats, for readers outside servers (the dashboard's overview). */
@ApplicationScoped
public class ServerList {

    @Inject
    ServerStore store;

    /** @return the first {@code max} servers by id, with their last heartbeat */
    public List<ServerStatus> first(int max) {
        return store.page(max, null);
    }
}
