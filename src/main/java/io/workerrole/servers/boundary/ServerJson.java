package io.workerrole.servers.boundary;

import io.workerrole.servers.entity.ServerStatus;
import jakarta.json.JsonObject;

import static io.workerrole.platform.SharedJson.JSON;

/** A server's last heartbeat as {@code /api/servers} and the overview show it. */
public final class ServerJson {

    private ServerJson() {
    }

    /** @param gone whether its heartbeat is older than a lease */
    public static JsonObject view(ServerStatus server, boolean gone) {
        return JSON.createObjectBuilder()
                .add("serverId", server.serverId())
                .add("host", server.host())
                .add("startedAt", server.startedAt().toString())
                .add("lastSeen", server.lastSeen().toString())
                .add("phase", server.phase())
                .add("frozen", server.frozen())
                .add("running", server.running())
                .add("concurrency", server.concurrency())
                .add("gone", gone)
                .build();
    }
}
