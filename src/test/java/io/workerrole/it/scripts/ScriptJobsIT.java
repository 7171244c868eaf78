package io.workerrole.it.scripts;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.User;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Script jobs the WebJobs way, on a real worker: folders dropped into its scripts folder while it
 * runs ({@code ${server.config.dir}/jobs}, as shipped), bash, Python and a jar built here, run by
 * HTTP, by a job message over JMS and by their schedule; output line by line into the server's
 * log at the right level and into the run's log; exit codes to SUCCEEDED, retries and DEAD; a
 * program that ignores its shutdown file ended with its whole process tree; a broken folder
 * reported while the others run; continuous scripts supervised.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ScriptJobsIT {

    private static final String APP = "scripts";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final Api api = new Api(APP);
    private final Api operator = api.as(User.OPERATOR);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.worker(APP);
    }

    @BeforeEach
    void workerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    @AfterAll
    static void emptyTheScriptsFolder() {
        ScriptFolder.removeAll();
    }

    @Test
    void aBashScriptDroppedInRunsOverHttpWithItsArgumentsAndEnvironmentAndItsOutputIsLoggedLineByLine() {
        WorkerServer.Log log = WorkerServer.Log.fromNow();
        ScriptFolder.put("triggered", "greet", "run.sh", """
                echo "args: $1|$2"
                echo "env: $WEBJOBS_NAME $WEBJOBS_TYPE $WEBJOBS_RUN_ID $WORKER_JOB_ID $WORKER_ATTEMPT"
                echo "payload: $(cat "$WORKER_PAYLOAD_FILE")"
                echo "shutdown file: $WEBJOBS_SHUTDOWN_FILE"
                echo "something went sideways" >&2
                """);
        awaitScript("greet", "READY");

        Answer answer = operator.post("/api/scripts/greet/run", "application/json",
                "{\"args\": [\"a b\", \"c\"]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(202, answer.status(), answer.body());
        String id = answer.json().getString("id");
        JsonObject job = api.awaitState(id, "SUCCEEDED", WAIT);
        assertEquals("script:greet", job.getString("type"));
        String runId = job.getJsonObject("result").getString("runId");
        assertEquals(0, job.getJsonObject("result").getInt("exitCode"));

        String output = runLog("greet", runId);
        assertTrue(output.contains("INF args: a b|c"), output);
        assertTrue(output.contains("INF env: greet triggered " + runId + " " + id + " 1"), output);
        assertTrue(output.contains("INF payload: {\"args\":[\"a b\",\"c\"]}"), output);
        assertTrue(output.contains("ERR something went sideways"), output);
        String tag = "[script greet run " + runId + "] ";
        await().atMost(WAIT).until(() -> log.lines().stream().anyMatch(l -> l.contains(" I " + tag + "args: a b|c")));
        assertTrue(log.lines().stream().anyMatch(l -> l.contains(" E " + tag + "something went sideways")),
                "standard error at ERROR level: " + log.lines());

        JsonObject runs = api.get("/api/scripts/greet/runs").json();
        JsonObject run = runs.getJsonArray("runs").getJsonObject(0);
        assertEquals(runId, run.getString("runId"));
        assertEquals("SUCCEEDED", run.getString("outcome"));
        assertEquals(id, run.getString("jobId"));
        assertEquals(List.of("a b", "c"), run.getJsonArray("arguments").getValuesAs(jakarta.json.JsonString::getString));
    }

    @Test
    void aPythonScriptsExitCodesAreAttemptsRetriedUntilItsMaxAttemptsThenDeadAndJobMessagesStartIt() {
        ScriptFolder.put("triggered", "flaky", "run.py", """
                import os, sys
                attempt = int(os.environ["WORKER_ATTEMPT"])
                print("attempt", attempt, "of", sys.argv[1])
                sys.exit(0 if sys.argv[1] == "recovers" and attempt == 2 else 3)
                """, "settings.job", "{\"max_attempts\": 2}");
        awaitScript("flaky", "READY");

        api.sendMessage("{\"type\": \"script:flaky\", \"payload\": {\"args\": [\"recovers\"]}, \"idempotencyKey\": \"flaky-recovers\"}", Map.of());
        String recovers = await().atMost(WAIT).until(() -> jobWithKey("script:flaky", "flaky-recovers"), Optional::isPresent).get();
        JsonObject succeeded = api.awaitState(recovers, "SUCCEEDED", WAIT);
        assertEquals(2, succeeded.getInt("attempts"), succeeded.toString());

        String fails = operator.post("/api/scripts/flaky/run", "application/json", "{\"args\": [\"fails\"]}".getBytes(StandardCharsets.UTF_8))
                .json().getString("id");
        JsonObject dead = api.awaitState(fails, "DEAD", WAIT);
        assertEquals(2, dead.getInt("maxAttempts"), "settings.job's max_attempts");
        assertTrue(dead.getString("error").contains("exited with code 3"), dead.toString());
        assertTrue(runLog("flaky", dead.getString("error").replaceAll(".*\\(run ([^;]+);.*", "$1")).contains("INF attempt 2 of fails"));
    }

    @Test
    void aJarBuiltHereRunsWithTheServersJava() throws IOException {
        Path staging = Files.createDirectories(ScriptFolder.SCRIPTS.resolveSibling("jobs-staging").resolve("hello-jar"));
        buildJar(staging.resolve("hello.jar"), """
                public class Hello {
                    public static void main(String[] args) {
                        System.out.println("hello from java " + System.getProperty("java.version") + " to " + String.join(",", args));
                    }
                }
                """);
        ScriptFolder.moveIn(staging, "triggered", "hello-jar");
        awaitScript("hello-jar", "READY");

        String id = operator.post("/api/scripts/hello-jar/run", "application/json", "{\"args\": [\"you\"]}".getBytes(StandardCharsets.UTF_8))
                .json().getString("id");
        JsonObject job = api.awaitState(id, "SUCCEEDED", WAIT);
        String output = runLog("hello-jar", job.getJsonObject("result").getString("runId"));
        assertTrue(output.contains("INF hello from java ") && output.contains(" to you"), output);
    }

    @Test
    void aScheduledScriptRunsOnItsCronAndItsScheduleGoesWithItsFolder() {
        ScriptFolder.put("triggered", "ticker", "run.sh", "echo tick\n", "settings.job", "{\"schedule\": \"*/1 * * * * *\"}");
        JsonObject schedule = await().atMost(WAIT).until(() -> api.get("/api/schedules/script.ticker"), a -> a.status() == 200).json();
        assertEquals("script:ticker", schedule.getString("type"), schedule.toString());
        await().atMost(WAIT).until(() -> api.allJobs("script:ticker").stream().anyMatch(j -> j.getString("state").equals("SUCCEEDED")));

        ScriptFolder.remove("triggered", "ticker");
        await().atMost(WAIT).until(() -> api.get("/api/schedules/script.ticker").status() == 404);
        await().atMost(WAIT).until(() -> api.get("/api/scripts/ticker").status() == 404);
    }

    @Test
    void aProgramThatIgnoresItsShutdownFileIsEndedWithItsWholeProcessTreeWhenItsJobIsCancelled() throws IOException {
        ScriptFolder.put("triggered", "stubborn", "run.sh", """
                trap '' TERM
                sleep 300 &
                echo $! >> "$WEBJOBS_DATA_PATH/pids-$WEBJOBS_RUN_ID"
                python3 -c 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)' &
                echo $! >> "$WEBJOBS_DATA_PATH/pids-$WEBJOBS_RUN_ID"
                echo $$ >> "$WEBJOBS_DATA_PATH/pids-$WEBJOBS_RUN_ID"
                echo started
                while true; do sleep 0.1; done
                """, "settings.job", "{\"stopping_wait_time\": 1}");
        awaitScript("stubborn", "READY");
        String id = operator.post("/api/scripts/stubborn/run", "application/json", new byte[0]).json().getString("id");
        JsonObject running = api.awaitState(id, "RUNNING", WAIT);
        String runId = await().atMost(WAIT).until(() -> latestRun("stubborn"), Optional::isPresent).get();
        Path pidFile = WorkerServer.serverDir().resolve("jobs-data/stubborn/pids-" + runId);
        List<Long> pids = await().atMost(WAIT).until(() -> pids(pidFile), list -> list.size() == 3);
        assertTrue(pids.stream().allMatch(ScriptJobsIT::alive), "the program and its children run: " + pids);

        assertEquals(202, operator.post("/api/jobs/" + id + "/cancel", "application/json", new byte[0]).status());
        api.awaitState(id, "CANCELLED", WAIT);
        await().atMost(Duration.ofSeconds(10)).until(() -> pids.stream().noneMatch(ScriptJobsIT::alive));
        JsonObject run = api.get("/api/scripts/stubborn/runs/" + runId).json();
        assertEquals("KILLED", run.getString("outcome"), run.toString());
        assertTrue(Files.exists(WorkerServer.serverDir().resolve("jobs-data/stubborn/" + runId + "/output_log.txt")), running.toString());
    }

    @Test
    void aRunLongerThanItsTimeoutIsStoppedAndCountedFailed() {
        ScriptFolder.put("triggered", "slow", "run.sh", "echo going slow; sleep 30\n",
                "settings.job", "{\"timeout\": 1, \"max_attempts\": 1, \"stopping_wait_time\": 0}");
        awaitScript("slow", "READY");
        String id = operator.post("/api/scripts/slow/run", "application/json", new byte[0]).json().getString("id");
        JsonObject dead = api.awaitState(id, "DEAD", WAIT);
        assertTrue(dead.getString("error").contains("longer than its timeout"), dead.toString());
    }

    @Test
    void aBrokenFolderIsReportedWithTheReasonAndTheOthersRunOn() {
        WorkerServer.Log log = WorkerServer.Log.fromNow();
        ScriptFolder.put("triggered", "typo", "run.sh", "echo never\n", "settings.job", "{\"is_singelton\": true}");
        ScriptFolder.put("triggered", "nothing", "notes.txt", "no program here\n");
        ScriptFolder.put("triggered", "fine", "run.sh", "echo fine\n");

        JsonObject typo = awaitScript("typo", "PROBLEM");
        assertTrue(typo.getString("problem").contains("is_singelton"), typo.toString());
        assertTrue(awaitScript("nothing", "PROBLEM").getString("problem").contains(".sh"), "says what a program can be");
        awaitScript("fine", "READY");
        await().atMost(WAIT).until(() -> log.lines().stream().anyMatch(l -> l.contains(" E [script typo] ") && l.contains("is_singelton")));

        Answer refused = operator.post("/api/scripts/typo/run", "application/json", new byte[0]);
        assertEquals(404, refused.status(), refused.body());
        Answer wrongArgs = operator.post("/api/scripts/fine/run", "application/json", "{\"args\": [1]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(422, wrongArgs.status(), wrongArgs.body());
        assertEquals(403, api.as(User.VIEWER).post("/api/scripts/fine/run", "application/json", new byte[0]).status(),
                "viewers may look, not run");
    }

    @Test
    void aContinuousScriptRunsUntilItsFolderGoesAndIsRestartedWhenItExits() {
        ScriptFolder.put("continuous", "beat", "run.sh", """
                echo "beating"
                while [ ! -f "$WEBJOBS_SHUTDOWN_FILE" ]; do sleep 0.1; done
                echo "shutdown file seen"
                """);
        ScriptFolder.put("continuous", "blink", "run.sh", "echo blink\n");
        awaitScript("beat", "RUNNING");
        String runId = await().atMost(WAIT).until(() -> latestRun("beat"), Optional::isPresent).get();
        await().atMost(WAIT).until(() -> runLog("beat", runId).contains("INF beating"));
        JsonObject blink = await().atMost(WAIT).until(() -> script("blink"), s -> s.getJsonObject("task").getInt("restarts") >= 1);
        assertTrue(blink.getJsonObject("task").getString("lastError").contains("ended by itself"), blink.toString());

        ScriptFolder.remove("continuous", "beat");
        ScriptFolder.remove("continuous", "blink");
        await().atMost(WAIT).until(() -> api.get("/api/scripts/beat").status() == 404);
        JsonObject run = await().atMost(WAIT).until(() -> api.get("/api/scripts/beat/runs/" + runId),
                a -> a.status() == 200 && !a.json().getString("outcome").equals("RUNNING")).json();
        assertEquals("STOPPED", run.getString("outcome"), "it saw its shutdown file and exited");
        assertTrue(runLog("beat", runId).contains("INF shutdown file seen"));
        await().atMost(WAIT).until(() -> !WorkerServer.health("live").body().toString().contains("script:beat")); // its task is gone
    }

    private JsonObject awaitScript(String name, String state) {
        return await().atMost(WAIT).until(() -> script(name), s -> s != null && state.equals(s.getString("state")));
    }

    private JsonObject script(String name) {
        Answer answer = api.get("/api/scripts/" + name);
        return answer.status() == 200 ? answer.json() : null;
    }

    private String runLog(String script, String runId) {
        Answer answer = api.get("/api/scripts/" + script + "/runs/" + runId + "/log");
        assertEquals(200, answer.status(), answer.body());
        return answer.body();
    }

    private Optional<String> latestRun(String script) {
        Answer answer = api.get("/api/scripts/" + script + "/runs");
        if (answer.status() != 200 || answer.json().getJsonArray("runs").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(answer.json().getJsonArray("runs").getJsonObject(0).getString("runId"));
    }

    private Optional<String> jobWithKey(String type, String key) {
        return api.all("/api/jobs?type=" + URLEncoder.encode(type, StandardCharsets.UTF_8) + "&limit=100", "jobs").stream()
                .filter(j -> key.equals(j.getString("idempotencyKey", null)))
                .map(j -> j.getString("id")).findFirst();
    }

    private static List<Long> pids(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(Long::parseLong).toList() : List.of();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Compiles one class and packs it as an executable jar. */
    private static void buildJar(Path jar, String source) throws IOException {
        Path sources = Files.createTempDirectory("hello-jar");
        Path file = Files.writeString(sources.resolve("Hello.java"), source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", sources.toString(), file.toString()), "compiled");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hello");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry("Hello.class"));
            jarOut.write(Files.readAllBytes(sources.resolve("Hello.class")));
            jarOut.closeEntry();
        }
    }
}
