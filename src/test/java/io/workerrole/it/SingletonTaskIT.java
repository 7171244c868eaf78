package io.workerrole.it;

import io.workerrole.it.library.BeaconTask;
import io.workerrole.it.support.Api;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.testing.LocalPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A singleton background task on two servers sharing one PostgreSQL database, with the shipped
 * lease (15 s): it runs on one of them while the other stands by (each server's health says
 * which); freezing its server hands it to the other once it has stopped, without waiting for the
 * lease to lapse; killing the server that runs it (kill -9) lets the other start it within 30 s;
 * stopping a server gives its lease up. The task records where it runs five times a second, by
 * the database's clock: the record shows it on one server at a time, never both.
 */
class SingletonTaskIT {

    private static final String DATABASE = LocalPostgres.uniqueDatabaseName("worker_it");
    private static LibertyServer first;
    private static LibertyServer second;

    @BeforeAll
    static void startTwoServersOnOneDatabase() throws Exception {
        LocalPostgres.createDatabase(DATABASE);
        // Beside the job store's schema, which Flyway wants to itself.
        LocalPostgres.execute(DATABASE, "CREATE SCHEMA probe");
        LocalPostgres.execute(DATABASE, "CREATE TABLE probe.beacon (pid BIGINT NOT NULL, at TIMESTAMPTZ NOT NULL)");
        first = server("workerLeaderA", 23080, 23076);
        second = server("workerLeaderB", 23180, 23176);
        first.launch();
        second.launch();
        for (LibertyServer server : List.of(first, second)) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> server.status("/health/ready") == 200);
        }
    }

    private static LibertyServer server(String name, int httpPort, int jmsPort) throws Exception {
        return LibertyServer.create(name, httpPort, jmsPort, Map.of(
                "worker.datasource", "jdbc/workerPostgres",
                "worker.postgres.database", DATABASE,
                "worker.serverId", name))
                .withHandlerLibrary(BeaconTask.class);
    }

    @AfterAll
    static void stopServersAndDropDatabase() throws SQLException {
        LibertyServer.stopAll(first, second);
        LocalPostgres.dropDatabase(DATABASE);
    }

    @Test
    void theTaskRunsOnOneServerAtATimeMovesOnFreezeAndIsTakenOverWithin30SecondsOfAKill() throws Exception {
        LibertyServer holder = await().atMost(Duration.ofSeconds(30)).until(SingletonTaskIT::runningOn, h -> h != null);
        LibertyServer other = holder == first ? second : first;
        assertEquals("STANDBY", taskState(other));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> "RUNNING".equals(taskState(holder)) && "STANDBY".equals(taskState(other)));

        holder.writeOverride("freeze.xml", "<variable name=\"worker.freeze\" value=\"true\"/>");
        Instant frozeAt = Instant.now();
        // Given up once stopped, and taken at the other's next attempt (every 5 s): no lapse of 15 s.
        await().atMost(Duration.ofSeconds(12)).until(() -> "RUNNING".equals(taskState(other)));
        Duration handedOver = Duration.between(frozeAt, Instant.now());
        assertEquals("HELD", taskState(holder));
        holder.removeOverride("freeze.xml");
        await().atMost(Duration.ofSeconds(10)).until(() -> "STANDBY".equals(taskState(holder)));

        long victimPid = other.pid();
        Instant killedAt = Instant.now();
        other.kill();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> "RUNNING".equals(taskState(holder)));
        Duration takenOver = Duration.between(killedAt, Instant.now());
        long holderPid = holder.pid();
        await().atMost(Duration.ofSeconds(5)).until(() -> lastBeatBy() == holderPid);

        List<Long> runs = runsOfBeats();
        assertEquals(List.of(holderPid, victimPid, holderPid), runs,
                "the record shows one server at a time: the first holder, the other after the freeze, the first after the kill");
        System.out.printf("singleton handed over on freeze in %d ms, taken over %d ms after a kill -9%n",
                handedOver.toMillis(), takenOver.toMillis());

        holder.stop();
        assertEquals(0, number("SELECT COUNT(*) FROM worker_lease WHERE name = 'task:beacon'"),
                "a server that stops gives the lease up");
    }

    /** @return the server whose health says the task runs there, when exactly one does */
    private static LibertyServer runningOn() {
        boolean onFirst = "RUNNING".equals(taskState(first));
        boolean onSecond = "RUNNING".equals(taskState(second));
        return onFirst == onSecond ? null : onFirst ? first : second;
    }

    /** @return the beacon's state in the server's health (liveness answers even while frozen) */
    private static String taskState(LibertyServer server) {
        Api.Answer answer = server.api().get("/health/live");
        JsonObject data = answer.json().getJsonArray("checks").stream().map(c -> c.asJsonObject())
                .filter(c -> c.getString("name").equals("worker-role")).findFirst().orElseThrow().getJsonObject("data");
        return data.getString("task.beacon.state", null);
    }

    /** @return the process ids of the beats in the order of their time, each run of one server's beats as one entry */
    private static List<Long> runsOfBeats() throws SQLException {
        List<Long> runs = new ArrayList<>();
        try (Connection c = LocalPostgres.dataSource(DATABASE).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT pid FROM probe.beacon ORDER BY at");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                long pid = rs.getLong(1);
                if (runs.isEmpty() || runs.get(runs.size() - 1) != pid) {
                    runs.add(pid);
                }
            }
        }
        return runs;
    }

    private static long lastBeatBy() throws SQLException {
        return number("SELECT pid FROM probe.beacon ORDER BY at DESC LIMIT 1");
    }

    private static long number(String sql) throws SQLException {
        try (Connection c = LocalPostgres.dataSource(DATABASE).getConnection();
             PreparedStatement s = c.prepareStatement(sql);
             ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }
}
