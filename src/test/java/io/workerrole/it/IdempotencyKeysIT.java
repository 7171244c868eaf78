package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.Deployments;
import io.workerrole.it.support.JmsProbeServlet;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.User;
import io.workerrole.it.support.WorkerServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Idempotency keys belong to their caller (issue 28, R30). Over HTTP, another user's key is a
 * new job or run and reveals nothing of the first; the same user's duplicate is answered with
 * the earlier job, whole only for a caller with job-viewer (submitter has none; admin has every
 * role). Over JMS, the key is the sender's as the messaging engine authenticated it (JMSXUserID):
 * two users with one key get two jobs, one user twice gets one, and a sender cannot pass for
 * another by setting JMSXUserID itself. The JMS senders are remote clients on a producer server
 * of their own, signing in as submitter and admin.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class IdempotencyKeysIT {

    private static final String APP = "idempotency";
    private static final String PIPELINE = "{\"steps\": [{\"type\": \"echo\"}]}";

    private final Api admin = new Api(APP).as(User.ADMIN);
    private final Api submitter = new Api(APP).as(User.SUBMITTER);
    private final Api viewer = new Api(APP).as(User.VIEWER);

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer producer;
    private static Api remote;

    @Deployment(testable = false)
    static WebArchive worker() {
        return Deployments.worker(APP);
    }

    @BeforeEach
    void workerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> WorkerServer.health("ready").status() == 200);
    }

    @Test
    void anotherUsersKeyIsANewJobThatRevealsNothingOfTheFirst() {
        String key = "order-" + UUID.randomUUID();
        Answer first = admin.submit("{\"type\": \"echo\", \"idempotencyKey\": \"" + key + "\", \"payload\": {\"card\": \"4111-secret\"}}");
        assertEquals(202, first.status(), first.body());

        Answer other = submitter.submit("{\"type\": \"echo\", \"idempotencyKey\": \"" + key + "\", \"payload\": {\"mine\": 1}}");

        assertEquals(202, other.status(), "a new job of the submitter's own: " + other.body());
        assertNotEquals(first.json().getString("id"), other.json().getString("id"));
        assertFalse(other.body().contains("4111-secret"), other.body());
        JsonObject mine = admin.awaitState(other.json().getString("id"), "SUCCEEDED", Duration.ofSeconds(30));
        assertEquals(Api.parse("{\"mine\": 1}"), mine.get("result"), "the submitter's job ran with its own payload");
        assertEquals(Set.of(first.json().getString("id"), other.json().getString("id")), jobsWithKey(key),
                "a viewer still finds every job of the key");
    }

    @Test
    void aDuplicateIsTheEarlierJobWholeForAViewerAndOnlyItsIdAndStateForASubmitterWithoutJobViewer() {
        String key = "mine-" + UUID.randomUUID();
        Answer first = submitter.submit("{\"type\": \"echo\", \"idempotencyKey\": \"" + key + "\", \"payload\": {\"n\": 1}}");
        assertEquals(202, first.status(), first.body());
        String id = first.json().getString("id");
        admin.awaitState(id, "SUCCEEDED", Duration.ofSeconds(30));

        Answer again = submitter.submit("{\"type\": \"echo\", \"idempotencyKey\": \"" + key + "\", \"payload\": {\"n\": 2}}");

        assertEquals(200, again.status(), again.body());
        assertEquals(Set.of("id", "state"), again.json().keySet(), again.body());
        assertEquals(id, again.json().getString("id"));
        assertEquals("SUCCEEDED", again.json().getString("state"));
        assertEquals(id, again.header("Location").orElseThrow().substring(again.header("Location").orElseThrow().lastIndexOf('/') + 1));

        String adminKey = "admins-" + UUID.randomUUID();
        String adminsJob = admin.submit("{\"type\": \"echo\", \"idempotencyKey\": \"" + adminKey + "\", \"payload\": {\"n\": 3}}")
                .json().getString("id");
        admin.awaitState(adminsJob, "SUCCEEDED", Duration.ofSeconds(30));
        Answer whole = admin.submit("{\"type\": \"echo\", \"idempotencyKey\": \"" + adminKey + "\"}");
        assertEquals(200, whole.status(), whole.body());
        assertEquals(adminsJob, whole.json().getString("id"));
        assertEquals(Api.parse("{\"n\": 3}"), whole.json().get("result"), "a viewer sees the job whole");
    }

    @Test
    void aPipelineRunsKeyIsItsCallersAndADuplicateShowsOthersOnlyItsIdAndState() {
        String pipeline = "keyed-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, admin.put("/api/pipelines/" + pipeline, PIPELINE).status());
        String key = "run-" + UUID.randomUUID();
        Answer first = startRun(admin, pipeline, "{\"payload\": {\"card\": \"4111-secret\"}, \"idempotencyKey\": \"" + key + "\"}");
        assertEquals(201, first.status(), first.body());

        Answer other = startRun(submitter, pipeline, "{\"payload\": {\"mine\": 1}, \"idempotencyKey\": \"" + key + "\"}");
        assertEquals(201, other.status(), "a run of the submitter's own: " + other.body());
        assertNotEquals(first.json().getString("id"), other.json().getString("id"));
        assertFalse(other.body().contains("4111-secret"), other.body());

        Answer again = startRun(submitter, pipeline, "{\"payload\": {\"mine\": 2}, \"idempotencyKey\": \"" + key + "\"}");
        assertEquals(200, again.status(), again.body());
        assertEquals(Set.of("id", "state"), again.json().keySet(), again.body());
        assertEquals(other.json().getString("id"), again.json().getString("id"));

        Answer whole = startRun(admin, pipeline, "{\"idempotencyKey\": \"" + key + "\"}");
        assertEquals(200, whole.status(), whole.body());
        assertEquals(first.json().getString("id"), whole.json().getString("id"));
        assertEquals(Api.parse("{\"card\": \"4111-secret\"}"), whole.json().get("payload"), "a viewer sees the run whole");
        assertEquals(2, runsWithKey(pipeline, key).size());
    }

    @Test
    void overJmsTwoUsersWithOneKeyGetTwoJobsAndOneUserTwiceGetsOne() throws Exception {
        startProducer();
        String key = "jms-" + UUID.randomUUID();
        String message = "{\"type\": \"echo\", \"idempotencyKey\": \"" + key + "\"}";
        send(message, User.SUBMITTER, "");
        send(message, User.SUBMITTER, "");
        send(message, User.ADMIN, "");

        awaitExactly(2, () -> jobsWithKey(key).size());
    }

    @Test
    void aJmsSenderCannotPassForAnotherBySettingJmsxUserId() throws Exception {
        startProducer();
        String key = "forged-" + UUID.randomUUID();
        String message = "{\"type\": \"echo\", \"idempotencyKey\": \"" + key + "\"}";
        send(message, User.SUBMITTER, "");
        awaitExactly(1, () -> jobsWithKey(key).size());

        Answer forged = remote.post("/probe/jms/send?" + as(User.ADMIN) + "&property.JMSXUserID=" + User.SUBMITTER.name(),
                "text/plain", message.getBytes(StandardCharsets.UTF_8));

        assertEquals(200, forged.status(), "the client sends it: " + forged.body());
        awaitExactly(2, () -> jobsWithKey(key).size()); // the engine put the admin's own name over it
    }

    @Test
    void overJmsAPipelineRunsKeyIsItsSendersToo() throws Exception {
        startProducer();
        String pipeline = "keyed-jms-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, admin.put("/api/pipelines/" + pipeline, PIPELINE).status());
        String key = "jms-run-" + UUID.randomUUID();
        String message = "{\"pipeline\": \"" + pipeline + "\", \"payload\": 1, \"idempotencyKey\": \"" + key + "\"}";
        send(message, User.SUBMITTER, "");
        send(message, User.SUBMITTER, "");
        send(message, User.ADMIN, "");

        awaitExactly(2, () -> runsWithKey(pipeline, key).size());
    }

    /** Waits until the count is reached, then makes sure it stays there (a late duplicate would add one). */
    private static void awaitExactly(int expected, java.util.concurrent.Callable<Integer> count) {
        await().atMost(Duration.ofSeconds(30)).until(count, n -> n >= expected);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(count, n -> n == expected);
    }

    private Answer startRun(Api api, String pipeline, String body) {
        return api.post("/api/pipelines/" + pipeline + "/runs", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private Set<String> jobsWithKey(String key) {
        return Set.copyOf(viewer.all("/api/jobs?idempotencyKey=" + URLEncoder.encode(key, StandardCharsets.UTF_8), "jobs")
                .stream().map(job -> job.getString("id")).toList());
    }

    private List<JsonObject> runsWithKey(String pipeline, String key) {
        return viewer.all("/api/pipelines/runs?pipeline=" + pipeline + "&limit=500", "runs").stream()
                .filter(run -> key.equals(run.getString("idempotencyKey", null))).toList();
    }

    private static void send(String body, User user, String query) {
        Answer sent = remote.post("/probe/jms/send?" + as(user) + query, "text/plain", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, sent.status(), sent.body());
    }

    /** @return the probe's query parameters to sign in to the engine as the user */
    private static String as(User user) {
        return "user=" + user.name() + "&password=" + URLEncoder.encode(user.password(), StandardCharsets.UTF_8);
    }

    /** A producer on a server of its own, a remote client of the worker's messaging engine (as in JmsSecurityIT). */
    private static void startProducer() throws Exception {
        if (producer != null) {
            return;
        }
        Path war = Files.createTempDirectory("producer").resolve("producer.war");
        ShrinkWrap.create(WebArchive.class, "producer.war").addClass(JmsProbeServlet.class)
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        producer = SERVERS.create("workerKeysProducerIT", httpPort -> """
                <server>
                    <featureManager>
                        <feature>servlet-6.0</feature>
                        <feature>jsonp-2.1</feature>
                        <feature>jndi-1.0</feature>
                        <feature>messagingClient-3.0</feature>
                    </featureManager>
                    <httpEndpoint id="defaultHttpEndpoint" host="localhost" httpPort="%d" httpsPort="-1"/>
                    <jmsConnectionFactory jndiName="jms/worker/cf">
                        <properties.wasJms remoteServerAddress="localhost:%s:BootstrapBasicMessaging"/>
                    </jmsConnectionFactory>
                    <jmsQueue jndiName="jms/worker/jobs"><properties.wasJms queueName="worker.jobs"/></jmsQueue>
                    <jmsQueue jndiName="jms/worker/replies"><properties.wasJms queueName="worker.replies"/></jmsQueue>
                </server>
                """.formatted(httpPort, System.getProperty("liberty.jms.port", "17276")), war)
                .start("/producer/probe/jms/depth?queue=jms/worker/replies&" + as(User.SUBMITTER));
        remote = new Api(producer.uri("/producer").toString(), "producer");
    }
}
