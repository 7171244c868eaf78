package io.workerrole.it;

import io.workerrole.it.library.BeaconTask;
import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.testing.LocalPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * the database's clock: the record shows it on one server at a time, never both. A continuous
 * singleton script (issue 14) rides along: it moves with the freeze and is taken over within 30 s
 * of the kill, and the killed server's program does not beat on beside the survivor's.
 */
@ConcurrentClass
class SingletonTaskIT {

    private static final String DATABASE = LocalPostgres.uniqueDatabaseName("worker_it");
    /** Where the continuous singleton script of both servers writes its beats: the server's name, a line each. */
    private static final Path LOOKOUT_BEATS = Path.of("target/singleton-lookout-beats.txt").toAbsolutePath();

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer first;
    private static LibertyServer second;

    @BeforeAll
    static void startTwoServersOnOneDatabase() throws Exception {
        SERVERS.createDatabase(DATABASE);
        // Beside the job store's schema, which Flyway wants to itself.
        LocalPostgres.execute(DATABASE, "CREATE SCHEMA probe");
        LocalPostgres.execute(DATABASE, "CREATE TABLE probe.beacon (pid BIGINT NOT NULL, at TIMESTAMPTZ NOT NULL)");
        first = server("workerLeaderA");
        second = server("workerLeaderB");
        Files.deleteIfExists(LOOKOUT_BEATS);
        for (LibertyServer server : List.of(first, second)) {
            putLookoutScript(server);
        }
        first.launch();
        second.launch();
        for (LibertyServer server : List.of(first, second)) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> server.status("/health/ready") == 200);
        }
    }

    private static LibertyServer server(String name) throws Exception {
        return SERVERS.createOnPostgres(name, DATABASE, Map.of())
                .withHandlerLibrary(BeaconTask.class);
    }

    /** A continuous singleton script in the server's scripts folder, silent on its output, that beats into a shared file. */
    private static void putLookoutScript(LibertyServer server) throws IOException {
        Path folder = Files.createDirectories(server.dir().resolve("jobs/continuous/lookout"));
        Files.writeString(folder.resolve("run.sh"), "while [ ! -f \"$WEBJOBS_SHUTDOWN_FILE\" ]; do echo " + server.name()
                + " >> " + LOOKOUT_BEATS + "; sleep 0.2; done\n");
        Files.writeString(folder.resolve("settings.job"), "{\"is_singleton\": true, \"stopping_wait_time\": 2}");
    }

    @Test
    void theTaskRunsOnOneServerAtATimeMovesOnFreezeAndIsTakenOverWithin30SecondsOfAKill() throws Exception {
        LibertyServer holder = await().atMost(Duration.ofSeconds(30)).until(SingletonTaskIT::runningOn, h -> h != null);
        LibertyServer other = holder == first ? second : first;
        assertEquals("STANDBY", taskState(other));
        // The window is what is asserted; the rest of atMost only spares a slow poll on a loaded machine (what breaks this stays broken).
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20))
                .until(() -> "RUNNING".equals(taskState(holder)) && "STANDBY".equals(taskState(other)));

        holder.writeOverride("freeze.xml", "<variable name=\"worker.freeze\" value=\"true\"/>");
        Instant frozeAt = Instant.now();
        // Given up once stopped, and taken at the other's next attempt (every 5 s): no lapse of 15 s.
        await().atMost(Duration.ofSeconds(12)).until(() -> "RUNNING".equals(taskState(other)));
        Duration handedOver = Duration.between(frozeAt, Instant.now());
        assertEquals("HELD", taskState(holder));
        // The script singleton has a lease of its own, which the freeze of the holder moves to the
        // other too: awaited before the unfreeze, or the holder, unfrozen, could take it back first.
        await().atMost(Duration.ofSeconds(12)).until(() -> "RUNNING".equals(state(other, "script:lookout")));
        holder.removeOverride("freeze.xml");
        await().atMost(Duration.ofSeconds(10)).until(() -> "STANDBY".equals(taskState(holder)));
        List<String> lookoutBefore = runsOfLookout();

        long victimPid = other.pid();
        Instant killedAt = Instant.now();
        other.kill();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> "RUNNING".equals(taskState(holder)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> "RUNNING".equals(state(holder, "script:lookout")));
        Duration scriptTakenOver = Duration.between(killedAt, Instant.now());
        // The killed server's program must not beat on beside the new one (its watchdog ends it with its server).
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> runsOfLookout().size() > lookoutBefore.size());
        List<String> lookout = runsOfLookout();
        assertEquals(other.name(), lookoutBefore.get(lookoutBefore.size() - 1), "the script ran on the other server: " + lookoutBefore);
        assertEquals(holder.name(), lookout.get(lookout.size() - 1), "then on the survivor: " + lookout);
        assertEquals(lookoutBefore.size() + 1, lookout.size(), "one server at a time, nothing left of the killed one's run: " + lookout);
        Duration takenOver = Duration.between(killedAt, Instant.now());
        long holderPid = holder.pid();
        await().atMost(Duration.ofSeconds(5)).until(() -> lastBeatBy() == holderPid);

        List<Long> runs = runsOfBeats();
        assertEquals(List.of(holderPid, victimPid, holderPid), runs,
                "the record shows one server at a time: the first holder, the other after the freeze, the first after the kill");
        System.out.printf("singleton handed over on freeze in %d ms, taken over %d ms after a kill -9 (the script singleton %d ms)%n",
                handedOver.toMillis(), takenOver.toMillis(), scriptTakenOver.toMillis());

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
        return state(server, "beacon");
    }

    /** @return a task's state in the server's health */
    private static String state(LibertyServer server, String task) {
        Api.Answer answer = server.api().get("/health/live");
        JsonObject data = answer.json().getJsonArray("checks").stream().map(c -> c.asJsonObject())
                .filter(c -> c.getString("name").equals("worker-role")).findFirst().orElseThrow().getJsonObject("data");
        return data.getString("task." + task + ".state", null);
    }

    /** @return the servers the lookout script beat on, in order, each run of one server's beats as one entry */
    private static List<String> runsOfLookout() throws IOException {
        List<String> runs = new ArrayList<>();
        for (String server : Files.exists(LOOKOUT_BEATS) ? Files.readAllLines(LOOKOUT_BEATS) : List.<String>of()) {
            if (!server.isBlank() && (runs.isEmpty() || !runs.get(runs.size() - 1).equals(server))) {
                runs.add(server);
            }
        }
        return runs;
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
