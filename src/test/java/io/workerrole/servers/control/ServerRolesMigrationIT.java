package io.workerrole.servers.control;

import io.workerrole.platform.Database;
import io.workerrole.platform.SchemaMigration;
import io.workerrole.servers.entity.ServerProfile;
import io.workerrole.servers.entity.ServerStatus;
import io.workerrole.testing.LocalPostgres;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

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
        String schema = "roles_migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        DataSource data = dataSource(database, schema);
        try {
            Flyway.configure(SchemaMigration.class.getClassLoader()).dataSource(data)
                    .locations("classpath:db/migration/" + database).table("worker_schema_history")
                    .skipDefaultCallbacks(true).target("11").load().migrate();
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
        } finally {
            if (database.equals("postgresql")) {
                LocalPostgres.execute("test", "DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static DataSource dataSource(String database, String schema) throws SQLException {
        if (database.equals("derby")) {
            EmbeddedDataSource derby = new EmbeddedDataSource();
            derby.setDatabaseName("memory:" + schema);
            derby.setCreateDatabase("create");
            return derby;
        }
        LocalPostgres.execute("test", "CREATE SCHEMA " + schema);
        PGSimpleDataSource pg = LocalPostgres.dataSource("test");
        pg.setCurrentSchema(schema);
        return pg;
    }
}
