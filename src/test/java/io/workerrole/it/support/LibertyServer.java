package io.workerrole.it.support;

import jakarta.json.JsonObject;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real Liberty server of its own, made the way an admin makes one: server-config/ copied into
 * a new server folder, a few variables overridden in configDropins/overrides, the worker's WAR
 * in dropins; started and stopped with the runtime's bin/server. For tests that need a server
 * configured differently from the Arquillian one, or several servers, or to kill one.
 */
public final class LibertyServer implements AutoCloseable {

    private static final String HANDLERS = "handlers";
    private static final Path TEST_JVM_OPTIONS = Path.of("liberty/test-server/configDropins/defaults/jvm.options");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path wlp = Path.of(System.getProperty("liberty.wlp.dir", "target/liberty/wlp")).toAbsolutePath();
    private final String name;
    private final int httpPort;
    private final int httpsPort;
    private final Path dir;
    /** What {@link #declareWar} declares: the libraries of the WAR's class loader and its role bindings. */
    private final Set<String> privateLibraries = new LinkedHashSet<>();
    private final Set<String> commonLibraries = new LinkedHashSet<>();
    private String roleBindings = "";

    private LibertyServer(String name, int httpPort, int httpsPort) {
        this.name = name;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.dir = wlp.resolve("usr/servers").resolve(name);
    }

    /**
     * Makes a fresh server folder (any old one is deleted). Tests get theirs from {@link LibertyServers},
     * which picks the ports.
     *
     * @param variables server.xml variables to override, on top of the ports and the test passwords ({@link User})
     */
    static LibertyServer create(String name, int httpPort, int httpsPort, int jmsPort, Map<String, String> variables) throws IOException {
        LibertyServer server = new LibertyServer(name, httpPort, httpsPort);
        server.deleteFolder();
        copyTree(Path.of("server-config"), server.dir);
        server.withTestJvmOptions();
        Path overrides = Files.createDirectories(server.dir.resolve("configDropins/overrides"));
        Map<String, String> all = new LinkedHashMap<>(User.passwordVariables());
        all.put("default.http.port", Integer.toString(httpPort));
        all.put("default.https.port", Integer.toString(httpsPort));
        all.put("worker.jms.port", Integer.toString(jmsPort));
        all.putAll(variables);
        String xml = all.entrySet().stream()
                .map(v -> "    <variable name=\"" + v.getKey() + "\" value=\"" + v.getValue() + "\"/>")
                .collect(Collectors.joining("\n", "<server>\n", "\n</server>\n"));
        Files.writeString(overrides.resolve("test.xml"), xml);
        Path dropins = Files.createDirectories(server.dir.resolve("dropins"));
        Files.copy(Path.of("target/worker-role.war"), dropins.resolve("worker-role.war"), StandardCopyOption.REPLACE_EXISTING);
        return server;
    }

    /** The JVM options of every test server (liberty/test-server), under any that {@link #jvmOptions} sets. */
    private void withTestJvmOptions() throws IOException {
        Path defaults = Files.createDirectories(dir.resolve("configDropins/defaults"));
        Files.copy(TEST_JVM_OPTIONS, defaults.resolve("jvm.options"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** @return the server's HTTP port (which its variables may have turned off: see {@link #httpsPort()}) */
    public int httpPort() {
        return httpPort;
    }

    /** @return the HTTPS port the server was given (-1 for one with a server.xml of the test's own) */
    public int httpsPort() {
        return httpsPort;
    }

    /**
     * Makes a fresh server folder with a server.xml of the test's own and one application.
     */
    static LibertyServer create(String name, int httpPort, String serverXml, Path war) throws IOException {
        LibertyServer server = new LibertyServer(name, httpPort, -1);
        server.deleteFolder();
        Files.createDirectories(server.dir);
        Files.writeString(server.dir.resolve("server.xml"), serverXml);
        server.withTestJvmOptions();
        Path dropins = Files.createDirectories(server.dir.resolve("dropins"));
        Files.copy(war, dropins.resolve(war.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        return server;
    }

    /** Adds an application to the server's dropins (before it starts, or live). */
    public LibertyServer deploy(Path war) throws IOException {
        Files.copy(war, dir.resolve("dropins").resolve(war.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        return this;
    }

    /**
     * Replaces the worker's WAR, where it is deployed (dropins, or apps once server.xml declares
     * it), with another build of it: an upgrade of a stopped server, which runs it when started.
     */
    public LibertyServer replaceWar(Path war) throws IOException {
        Path declared = dir.resolve("apps/worker-role.war");
        Path deployed = Files.exists(declared) ? declared : dir.resolve("dropins/worker-role.war");
        Files.copy(war, deployed, StandardCopyOption.REPLACE_EXISTING);
        return this;
    }

    /**
     * Adds the JMS probe ({@link JmsProbeServlet}) as the application {@code probe}: a producer and
     * queue browser inside the server, at {@link #probe()}.
     */
    public LibertyServer withJmsProbe() throws IOException {
        Path war = Files.createTempDirectory("probe").resolve("probe.war");
        ShrinkWrap.create(WebArchive.class, "probe.war").addClass(JmsProbeServlet.class)
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        // The worker's server.xml has no public servlet feature (its REST API does not need one); the probe does.
        writeOverride("probe.xml", "<featureManager><feature>servlet-6.0</feature></featureManager>");
        return deploy(war);
    }

    /**
     * Puts these handler classes in a jar with a beans.xml in a Liberty library that the worker's
     * class loader names as its private library, as an admin would deploy handlers of their own.
     */
    public LibertyServer withHandlerLibrary(Class<?>... handlers) throws IOException {
        writeHandlerJar(handlers);
        moveWarToApps(Path.of("target/worker-role.war"));
        commonLibraries.remove(HANDLERS);
        privateLibraries.add(HANDLERS);
        return declareWar();
    }

    /**
     * Puts these handler classes, as {@link #withHandlerLibrary}, and the API jar in a Liberty
     * library that the worker's class loader names as a common library, and deploys this WAR:
     * the one without its own copy of the API ({@code target/worker-role-thin.war}) loads the API
     * once, from the library, for the worker and for the handlers alike.
     */
    public LibertyServer withCommonHandlerLibrary(Path war, Path apiJar, Class<?>... handlers) throws IOException {
        Files.copy(apiJar, writeHandlerJar(handlers).resolveSibling("worker-role-api.jar"), StandardCopyOption.REPLACE_EXISTING);
        moveWarToApps(war);
        privateLibraries.remove(HANDLERS);
        commonLibraries.add(HANDLERS);
        return declareWar();
    }

    /**
     * Lets the worker see the JDBC drivers' library (as a common library of its class loader, as
     * docs/operations.md's "Several servers on one PostgreSQL" says), which its wake-ups across servers over PostgreSQL need.
     */
    public LibertyServer withDriversVisible() throws IOException {
        commonLibraries.add("jdbcDrivers");
        return declareWar();
    }

    /**
     * Binds the roles to groups as an admin does (before the server starts), with the WAR's
     * {@code <application-bnd>} in server.xml.
     *
     * @param bindings each role's {@code <group .../>} and {@code <user .../>} elements
     */
    public LibertyServer bindRoles(Map<String, List<String>> bindings) throws IOException {
        roleBindings = bindings.entrySet().stream()
                .map(role -> "            <security-role name=\"" + role.getKey() + "\">" + String.join("", role.getValue()) + "</security-role>")
                .collect(Collectors.joining("\n", "        <application-bnd>\n", "\n        </application-bnd>\n"));
        return declareWar();
    }

    private Path writeHandlerJar(Class<?>... handlers) throws IOException {
        Path jar = Files.createDirectories(dir.resolve(HANDLERS)).resolve("handlers.jar");
        ShrinkWrap.create(JavaArchive.class).addClasses(handlers)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml")
                .as(ZipExporter.class).exportTo(jar.toFile(), true);
        return jar;
    }

    /** Deploys this WAR as apps/worker-role.war instead of the one in dropins, so that server.xml can declare it. */
    private void moveWarToApps(Path war) throws IOException {
        Files.deleteIfExists(dir.resolve("dropins/worker-role.war"));
        Files.copy(war, Files.createDirectories(dir.resolve("apps")).resolve("worker-role.war"), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Declares the WAR in server.xml with all that was asked of it so far (its class loader's
     * libraries, its role bindings), in one element: Liberty takes two declarations of one WAR
     * as two applications. The WAR moves from dropins to apps if it is still there.
     */
    private LibertyServer declareWar() throws IOException {
        if (Files.exists(dir.resolve("dropins/worker-role.war"))) {
            moveWarToApps(Path.of("target/worker-role.war"));
        }
        String libraries = (privateLibraries.isEmpty() ? "" : " privateLibraryRef=\"" + String.join(",", privateLibraries) + "\"")
                + (commonLibraries.isEmpty() ? "" : " commonLibraryRef=\"" + String.join(",", commonLibraries) + "\"");
        String handlerLibrary = privateLibraries.contains(HANDLERS) || commonLibraries.contains(HANDLERS) ? """
                    <library id="handlers">
                        <fileset dir="${server.config.dir}/handlers" includes="*.jar"/>
                    </library>
                """ : "";
        writeOverride("worker-role-war.xml", handlerLibrary
                + "    <webApplication location=\"worker-role.war\" contextRoot=\"/\">\n"
                + (libraries.isEmpty() ? "" : "        <classloader" + libraries + "/>\n")
                + roleBindings
                + "    </webApplication>");
        return this;
    }

    /** @return a client of the JMS probe that {@link #withJmsProbe()} added */
    public Api probe() {
        return new Api(uri("/probe").toString(), "probe");
    }

    /** @return a client of the worker's own API */
    public Api api() {
        return new Api(uri("").toString(), "");
    }

    /**
     * @return the application's metrics as a viewer scrapes them: over HTTPS only (plain HTTP
     *         redirects there), trusting the server's own self-signed certificate
     */
    public Scrape metrics() throws IOException, GeneralSecurityException {
        HttpClient https = Tls.trusting(dir.resolve("resources/security/key.p12"), User.KEYSTORE_PASSWORD);
        Api.Answer answer = new Api("https://localhost:" + httpsPort, "").over(https).as(User.VIEWER).get("/metrics?scope=application");
        if (answer.status() != 200) {
            throw new IllegalStateException("/metrics answered " + answer.status() + ": " + answer.body());
        }
        return Scrape.parse(answer.body());
    }

    /** @return the worker-role check's data on {@code /health/live} (phase, frozen, each task's state), UP or DOWN */
    public JsonObject roleHealth() {
        Api.Answer live = api().get("/health/live");
        return new WorkerServer.Health(live.status(), live.json()).data();
    }

    /** Sets the server JVM's options (jvm.options), such as its heap size. */
    public LibertyServer jvmOptions(String... options) throws IOException {
        Files.writeString(dir.resolve("jvm.options"), String.join("\n", options) + "\n");
        return this;
    }

    /**
     * Sets a property of the server's bootstrap.properties (server-config ships one), before it
     * starts: the settings Liberty needs before it reads server.xml, such as worker.messaging.
     */
    public LibertyServer bootstrapProperty(String name, String value) throws IOException {
        Path file = dir.resolve("bootstrap.properties");
        List<String> lines = new ArrayList<>(Files.exists(file) ? Files.readAllLines(file) : List.of());
        lines.removeIf(line -> line.strip().startsWith(name + "="));
        lines.add(name + "=" + value);
        Files.write(file, lines);
        return this;
    }

    /** Writes configDropins/overrides/NAME with these server.xml elements (the server applies it live). */
    public void writeOverride(String name, String elements) throws IOException {
        WorkerServer.replace(Files.createDirectories(dir.resolve("configDropins/overrides")).resolve(name),
                "<server>\n" + elements + "\n</server>\n");
    }

    /** Removes a file that {@link #writeOverride} added. */
    public void removeOverride(String name) throws IOException {
        Files.deleteIfExists(dir.resolve("configDropins/overrides").resolve(name));
    }

    /** Starts the server without waiting for it (for a server that answers only over HTTPS, say). */
    public LibertyServer launch() {
        command("start");
        return this;
    }

    /**
     * Starts the server and waits until the path answers 200. A server that does not get there is
     * stopped before the failure is thrown: a test whose set-up fails never gets the server to
     * stop, and one left running would answer on the ports of the next test to use them.
     */
    public LibertyServer start(String readyPath) {
        launch();
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> status(readyPath) == 200);
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
        return this;
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + httpPort + path);
    }

    /** @return the server's folder, target/liberty/wlp/usr/servers/NAME */
    public Path dir() {
        return dir;
    }

    /** @return the server's name, which the tests also give it as its worker.serverId */
    public String name() {
        return name;
    }

    /** Starts the server and waits until the worker reports ready. */
    public LibertyServer start() {
        return start("/health/ready");
    }

    public void stop() {
        command("stop");
    }

    /** @return the process id of the server's JVM, while it runs */
    public long pid() throws IOException {
        return Long.parseLong(Files.readString(wlp.resolve("usr/servers/.pid/" + name + ".pid")).trim());
    }

    /** Kills the server's JVM at once (kill -9): no stop hooks, no shutdown of any kind. */
    public void kill() throws IOException {
        long pid = pid();
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        process.destroyForcibly();
        process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** @return the HTTP status of a GET, or -1 while nothing answers */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void command(String action) {
        try {
            Process process = new ProcessBuilder(wlp.resolve("bin/server").toString(), action, name)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("server " + action + " " + name + " did not finish");
            }
            if (process.exitValue() != 0 && !(action.equals("stop") && process.exitValue() == 1)) {
                throw new IllegalStateException("server " + action + " " + name + " exited " + process.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    void deleteFolder() throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
