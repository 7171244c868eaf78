package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.CallbackListener;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker never calls a port of its own machine for a submitter (reliability R30, issue 28):
 * under the shipped server.xml callbacks and fetch jobs are off, so a loopback port is refused
 * (422) and never called; with an origin allowed, another port of the same host is refused; and
 * a fetch that could not reach an allowed origin reads the same whether its port was closed,
 * open but silent, open and not HTTP, or not TLS, the details only in the server's log.
 */
@ConcurrentClass
@ResourceLock(CallbackListener.FIXED_PORT)
class OutboundOriginsIT {

    private static final String ORIGINS = "origins.xml";

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;
    private static Api api;

    @BeforeAll
    static void startServer() throws Exception {
        // The shipped server.xml, but for ports, passwords, and one attempt per fetch job (so that an error is final at once);
        // the fetch job's circuit breaker and bulkhead off, so that every fetch really calls its origin, all at once.
        server = SERVERS.create("workerOutboundIT", Map.of("worker.retry.maxAttempts.fetch", "1"))
                .jvmOptions("-Dio.workerrole.jobs.builtin.RemoteCall/get/CircuitBreaker/enabled=false",
                        "-Dio.workerrole.jobs.builtin.RemoteCall/get/Bulkhead/enabled=false")
                .start();
        api = server.api();
    }

    @Test
    void underTheShippedDefaultsAFetchOfALoopbackPortIsRefusedAndNothingIsCalled() throws IOException {
        try (CallbackListener secret = CallbackListener.startElsewhere()) {
            String url = secret.origin() + "/internal-secret";
            int fetchJobs = api.allJobs("fetch").size();

            Api.Answer refused = api.submit("{\"type\": \"fetch\", \"payload\": {\"url\": \"" + url + "\"}}");

            assertEquals(422, refused.status(), refused.body());
            assertTrue(refused.json().getString("message").startsWith(
                    "\"payload.url\": fetch jobs are off: no origin is listed in worker.fetch.allowedOrigins"), refused.body());
            assertEquals(fetchJobs, api.allJobs("fetch").size(), "no job was made");
            assertEquals(0, secret.received().size());
        }
    }

    @Test
    void underTheShippedDefaultsACallbackToALoopbackPortIsRefused() throws IOException {
        try (CallbackListener listener = CallbackListener.start()) {
            int echoJobs = api.allJobs("echo").size();
            for (String url : List.of(listener.url(), "http://127.0.0.1:5432/", server.uri("/health").toString())) {
                Api.Answer refused = api.submit("{\"type\": \"echo\", \"callbackUrl\": \"" + url + "\"}");

                assertEquals(422, refused.status(), refused.body());
                assertTrue(refused.json().getString("message").startsWith(
                        "\"callbackUrl\": callbacks are off: no origin is listed in worker.callback.allowedOrigins"), refused.body());
            }
            assertEquals(echoJobs, api.allJobs("echo").size(), "no job was made");
        }
    }

    @Test
    void withAnOriginAllowedAnotherPortOfTheSameHostIsRefused() throws IOException {
        try (CallbackListener listener = CallbackListener.start(); CallbackListener otherPort = CallbackListener.startElsewhere()) {
            allow(Map.of("worker.callback.allowedOrigins", CallbackListener.ORIGIN, "worker.fetch.allowedOrigins", CallbackListener.ORIGIN));
            String other = otherPort.url();

            for (String job : List.of("{\"type\": \"echo\", \"callbackUrl\": \"" + other + "\"}",
                    "{\"type\": \"fetch\", \"payload\": {\"url\": \"" + other + "\"}}",
                    "{\"type\": \"fetch\", \"payload\": {\"url\": \"" + listener.url().replace("127.0.0.1", "localhost") + "\"}}",
                    "{\"type\": \"fetch\", \"payload\": {\"url\": \"" + listener.url().replace("http:", "https:") + "\"}}")) {
                Api.Answer refused = api.submit(job);
                assertEquals(422, refused.status(), job + ": " + refused.body());
                assertTrue(refused.json().getString("message").contains(" is not in worker."), refused.body());
            }
            assertEquals(0, otherPort.received().size(), "nothing was sent to the other port");

            String id = api.submit("{\"type\": \"echo\", \"payload\": 3, \"callbackUrl\": \"" + listener.url() + "\"}").json().getString("id");
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.accepted().size() == 1);
            assertTrue(listener.accepted().get(0).contains(id), "the allowed origin is called back");
        } finally {
            shippedDefaults();
        }
    }

    @Test
    void aFetchThatCannotReachItsOriginReadsTheSameWhetherThePortIsOpenOrClosed() throws Exception {
        try (CallbackListener http = CallbackListener.startElsewhere();
             RawPort resets = RawPort.open(socket -> { });
             RawPort notHttp = RawPort.open(socket -> socket.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII)));
             RawPort silent = RawPort.open(null)) {
            int closed = freePort();
            Map<String, String> urls = new LinkedHashMap<>();
            urls.put("closed", "http://127.0.0.1:" + closed + "/internal-secret");
            urls.put("open, connection closed at once", "http://127.0.0.1:" + resets.port() + "/internal-secret");
            urls.put("open, not HTTP", "http://127.0.0.1:" + notHttp.port() + "/internal-secret");
            urls.put("open, never answers", "http://127.0.0.1:" + silent.port() + "/internal-secret");
            urls.put("open, not TLS", http.url().replace("http:", "https:"));
            allow(Map.of("worker.fetch.allowedOrigins", String.join(",", urls.values().stream().map(OutboundOriginsIT::origin).toList())));

            Map<String, String> ids = new LinkedHashMap<>();
            urls.forEach((what, url) -> {
                Api.Answer accepted = api.submit("{\"type\": \"fetch\", \"payload\": {\"url\": \"" + url + "\"}}");
                assertEquals(202, accepted.status(), what + ": " + accepted.body());
                ids.put(what, accepted.json().getString("id"));
            });

            List<String> errors = new ArrayList<>();
            for (Map.Entry<String, String> job : ids.entrySet()) {
                String error = api.awaitState(job.getValue(), "DEAD", Duration.ofSeconds(60)).getString("error");
                errors.add(job.getKey() + ": " + error.replace(origin(urls.get(job.getKey())), "ORIGIN"));
            }
            for (String error : errors) {
                assertEquals(errors.get(0).replaceFirst("^[^:]*: ", ""), error.replaceFirst("^[^:]*: ", ""), "every way reads alike: " + errors);
            }
            assertTrue(errors.get(0).endsWith(": Unreachable: could not reach ORIGIN (attempt 1 of 1)"), errors.toString());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String log = Files.readString(server.dir().resolve("logs/messages.log"));
                ids.values().forEach(id -> assertTrue(log.contains("[job " + id + " fetch] could not reach "), "the details are logged with the job id"));
            });
            // Called for real, not cut short by a circuit breaker (how many times depends on @Retry and the HTTP client's own retry).
            for (RawPort open : List.of(resets, notHttp, silent)) {
                assertTrue(open.accepted().get() >= 1, "port " + open.port() + " was called");
            }
            assertTrue(http.received().isEmpty(), "a TLS hello is no request");
        } finally {
            shippedDefaults();
        }
    }

    /** Allows these origins (live, as an admin would) and waits until the server has applied them. */
    private static void allow(Map<String, String> variables) throws IOException {
        StringBuilder xml = new StringBuilder();
        variables.forEach((name, value) -> xml.append("    <variable name=\"").append(name).append("\" value=\"").append(value).append("\"/>\n"));
        server.writeOverride(ORIGINS, xml.toString());
        // A fetch job of the first allowed origin, due in 300 days, is accepted once the file is applied; then it is cancelled, never to run.
        String probe = "{\"type\": \"fetch\", \"payload\": {\"url\": \"" + variables.get("worker.fetch.allowedOrigins").split(",")[0]
                + "/\"}, \"runAt\": \"" + Instant.now().plus(Duration.ofDays(300)) + "\"}";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Api.Answer answer = api.submit(probe);
            if (answer.status() == 202) {
                api.post("/api/jobs/" + answer.json().getString("id") + "/cancel", "application/json", new byte[0]);
            }
            return answer.status() == 202;
        });
    }

    /**
     * Takes the allowed origins away again (live) and waits until the server has applied that, so
     * that any test after this one sees the shipped defaults: fetch jobs off.
     */
    private static void shippedDefaults() throws IOException {
        server.removeOverride(ORIGINS);
        String probe = "{\"type\": \"fetch\", \"payload\": {\"url\": \"" + CallbackListener.ORIGIN + "/\"}, \"runAt\": \""
                + Instant.now().plus(Duration.ofDays(300)) + "\"}";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Api.Answer answer = api.submit(probe);
            if (answer.status() == 202) {
                api.post("/api/jobs/" + answer.json().getString("id") + "/cancel", "application/json", new byte[0]);
            }
            return answer.status() == 422 && answer.json().getString("message").contains("fetch jobs are off");
        });
    }

    private static String origin(String url) {
        return url.substring(0, url.indexOf('/', url.indexOf("://") + 3));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A loopback port that accepts connections and treats each one its way: null holds it open, saying nothing. */
    private record RawPort(ServerSocket socket, List<Socket> held, AtomicInteger accepted) implements AutoCloseable {

        interface Behaviour {
            void on(Socket socket) throws IOException;
        }

        static RawPort open(Behaviour behaviour) throws IOException {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            RawPort port = new RawPort(server, new CopyOnWriteArrayList<>(), new AtomicInteger());
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        port.accepted().incrementAndGet();
                        if (behaviour == null) {
                            port.held().add(socket);
                            continue;
                        }
                        try (socket; OutputStream out = socket.getOutputStream()) {
                            behaviour.on(socket);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // closed: the test is over
                    }
                }
            }, "raw-port-" + server.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return port;
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket held : held) {
                held.close();
            }
        }
    }
}
