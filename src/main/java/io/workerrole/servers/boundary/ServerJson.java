package io.workerrole.servers.boundary;

import io.workerrole.servers.entity.ServerStatus;
import jakarta.json.JsonObject;

import java.time.Duration;
import java.time.Instant;

import static io.workerrole.platform.SharedJson.JSON;

/** A server's last heartbeat as {@code /api/servers} and the overview show it. */
public final class ServerJson {

    private ServerJson() {
    }

    /**
     * @param now   the answering server's time
     * @param lease how long a heartbeat holds: an older one shows the server as gone
     */
    public static JsonObject view(ServerStatus server, Instant now, Duration lease) {
        return JSON.createObjectBuilder()
                .add("serverId", server.serverId())
                .add("host", server.host())
                .add("startedAt", server.startedAt().toString())
                .add("lastSeen", server.lastSeen().toString())
                .add("phase", server.phase())
                .add("frozen", server.frozen())
                .add("running", server.running())
                .add("concurrency", server.concurrency())
                .add("gone", server.goneAt(now, lease))
                .add("role", server.profile().role())
                .add("version", server.profile().version())
                .add("types", JSON.createArrayBuilder(server.profile().types()))
                .build();
    }
}
