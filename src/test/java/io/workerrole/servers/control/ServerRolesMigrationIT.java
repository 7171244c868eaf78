package io.workerrole.servers.control;

import io.workerrole.platform.Database;
import io.workerrole.platform.SchemaMigration;
import io.workerrole.servers.entity.ServerProfile;
import io.workerrole.servers.entity.ServerStatus;
import io.workerrole.testing.StoreAtVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * V12 on a store whose servers beat before it, on both databases: their rows read as the default
 * role and an unknown version, with no types (a server of the old version, still beating during
 * the upgrade, runs no type the others know of), and its next beat of the new version fills them in.
 */
class ServerRolesMigrationIT {

    @ParameterizedTest
    @ValueSource(strings = {"derby", "postgresql"})
    void aServerRowFromBeforeV12ReadsAsTheDefaultRoleAnUnknownVersionAndNoTypes(String database) throws SQLException {
        try (StoreAtVersion before = StoreAtVersion.of(database, "11")) {
            DataSource data = before.dataSource();
            Instant seen = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            try (Connection c = data.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO worker_server (server_id, host, "
                    + "started_at, last_seen, phase, frozen, running, concurrency) VALUES ('old@h', 'h', ?, ?, 'RUNNING', false, 0, 16)")) {
                s.setTimestamp(1, Timestamp.from(seen));
                s.setTimestamp(2, Timestamp.from(seen));
                s.executeUpdate();
            }

            SchemaMigration.migrate(data);

            ServerStore store = new ServerStore(new Database(data));
            assertEquals(List.of(new ServerProfile("worker", "unknown", List.of())), store.page(10, null).stream().map(ServerStatus::profile).toList());
            assertEquals(Set.of(), store.liveTypes(seen.minusSeconds(60), "new@h"));
            store.beat(new ServerStatus("old@h", "h", seen, seen.plusSeconds(20), "RUNNING", false, 0, 16,
                    new ServerProfile("images", "0.3.0+20261208.101010", List.of("thumbnail"))));
            store.replaceTypes("old@h", List.of("thumbnail"));
            assertEquals(List.of(new ServerProfile("images", "0.3.0+20261208.101010", List.of("thumbnail"))),
                    store.page(10, null).stream().map(ServerStatus::profile).toList(), "upgraded, it says what it is");
        }
    }
}
