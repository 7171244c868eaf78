package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.ArtemisBroker;
import io.workerrole.it.support.ArtemisWorker;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.CorrelatedMessages;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.User;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that are neither Liberty nor Artemis's own Java client, on the worker running on Artemis,
 * whose one acceptor also speaks AMQP 1.0. The README's examples are run here exactly as a user
 * runs them — examples/clients/amqp/Enqueue.java with {@code java} on the Qpid JMS classpath the
 * build writes, examples/clients/python/enqueue.py with Debian's python3 and python3-qpid-proton —
 * so that they cannot rot: each must print its job's reply, found by its correlation id, and the
 * worker's API must show that job as one that came over JMS. A message that is not text is
 * REJECTED with the reason, and the producer is told so on its reply queue. The broker and worker
 * are those ArtemisIT uses too ({@link ArtemisWorker}).
 */
@ExtendWith(ArtemisWorker.Shared.class)
@ConcurrentClass
@ResourceLock(ArtemisWorker.SHARED)
class ArtemisClientsIT {

    private static final Duration REPLY_WAIT = Duration.ofSeconds(30);
    /** An example waits 30 s for its reply; this leaves it time to start (javac, the JVM) and to fail on its own. */
    private static final Duration EXAMPLE_WAIT = Duration.ofSeconds(90);
    /**
     * Debian's Python: python3-qpid-proton is installed for it, not for a python3 that may come
     * first on the PATH (pyenv's, a virtualenv's).
     */
    private static final String DEBIAN_PYTHON = "/usr/bin/python3";

    private static ArtemisBroker broker;
    private static LibertyServer server;

    @BeforeAll
    static void shareTheBrokerAndWorker(ArtemisWorker shared) {
        broker = shared.broker();
        server = shared.server();
    }

    @Test
    void theJavaAmqpExampleRunsItsJobAndPrintsTheReplyToItsCorrelationId() throws IOException {
        String correlationId = "amqp-java-" + UUID.randomUUID();
        String classpath = Files.readString(Path.of("target/amqp-client.classpath")).trim();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        String output = runExample(java, "-cp", classpath, "examples/clients/amqp/Enqueue.java", correlationId);

        assertEchoReplied(output, correlationId);
    }

    @Test
    void thePythonExampleRunsItsJobAndPrintsTheReplyToItsCorrelationId() throws IOException {
        String correlationId = "python-" + UUID.randomUUID();

        String output = runExample(DEBIAN_PYTHON, "examples/clients/python/enqueue.py", correlationId);

        assertEchoReplied(output, correlationId);
    }

    /**
     * The examples send text because the worker takes nothing else: over AMQP a binary body (Python
     * bytes, a BytesMessage) arrives as a BytesMessage, and so does a STOMP frame with a
     * content-length header on Artemis.
     */
    @Test
    void aBytesMessageOverAmqpIsRejectedWithTheReasonAndItsProducerIsToldOnItsReplyQueue() throws JMSException {
        String correlationId = "amqp-bytes-" + UUID.randomUUID();
        try (JMSContext jms = broker.amqpContext(User.SUBMITTER)) {
            Queue replies = jms.createQueue("worker.replies");
            BytesMessage message = jms.createBytesMessage();
            message.writeBytes("{\"type\": \"echo\", \"payload\": {}}".getBytes(StandardCharsets.UTF_8));
            jms.createProducer().setJMSCorrelationID(correlationId).setJMSReplyTo(replies).send(jms.createQueue("worker.jobs"), message);

            JsonObject reply = receiveReply(jms, replies, correlationId);
            assertEquals("REJECTED", reply.getString("state"));
            assertEquals("not a text message (BytesMessage): job messages are JSON text", reply.getString("error"));
            assertEquals("REJECTED", server.api().job(reply.getString("jobId")).getString("state"));
        }
    }

    /**
     * A producer over AMQP may ask for its reply on a temporary queue of its own (liberty/artemis.sh
     * lets submitters make them and the worker send to them): the worker replies there, as it does
     * for Artemis's own client (ArtemisIT).
     */
    @Test
    void aProducerOverAmqpGetsItsReplyOnATemporaryQueueOfItsOwn() throws JMSException {
        String correlationId = "amqp-temporary-" + UUID.randomUUID();
        try (JMSContext jms = broker.amqpContext(User.SUBMITTER)) {
            TemporaryQueue replies = jms.createTemporaryQueue();
            jms.createProducer().setJMSCorrelationID(correlationId).setJMSReplyTo(replies)
                    .send(jms.createQueue("worker.jobs"), "{\"type\": \"echo\", \"payload\": {\"to\": \"temporary\"}}");

            JsonObject reply = receiveReply(jms, replies, correlationId);
            assertEquals("SUCCEEDED", reply.getString("state"));
            assertEquals(Api.parse("{\"to\": \"temporary\"}"), reply.get("result"));
        }
    }

    /** Checks an example's output — the reply to its echo job — against the job in the worker's API. */
    private static void assertEchoReplied(String output, String correlationId) {
        JsonObject reply = Api.parse(output).asJsonObject();
        assertEquals("SUCCEEDED", reply.getString("state"), output);
        assertEquals(correlationId, reply.getString("correlationId"));
        assertEquals(Api.parse("{\"hello\": \"world\"}"), reply.get("result"));

        JsonObject job = server.api().job(reply.getString("jobId"));
        assertEquals("SUCCEEDED", job.getString("state"));
        assertEquals("JMS", job.getString("source"));
        assertEquals(correlationId, job.getString("correlationId"));
    }

    /**
     * Runs an example from the project's folder, pointed at this test's broker and user the way
     * the README tells users to (its environment variables), and returns what it printed.
     */
    private static String runExample(String... command) throws IOException {
        Path output = Files.createTempFile("example", ".out");
        Path errors = Files.createTempFile("example", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(errors.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("WORKER_ARTEMIS_HOST", "127.0.0.1");
        environment.put("WORKER_ARTEMIS_PORT", Integer.toString(broker.port()));
        environment.put("WORKER_CLIENT_USER", User.SUBMITTER.name());
        environment.put("WORKER_CLIENT_PASSWORD", User.SUBMITTER.password());
        Process process = builder.start();
        try {
            boolean ended = process.waitFor(EXAMPLE_WAIT.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            String printed = Files.readString(output);
            String complaints = Files.readString(errors);
            assertTrue(ended, () -> String.join(" ", command) + " did not end within " + EXAMPLE_WAIT + ": " + complaints);
            assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed: " + complaints);
            return printed;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            Files.delete(output);
            Files.delete(errors);
        }
    }

    private static JsonObject receiveReply(JMSContext jms, Queue replies, String correlationId) throws JMSException {
        return Api.parse(((TextMessage) CorrelatedMessages.receive(jms, replies, correlationId, REPLY_WAIT)).getText()).asJsonObject();
    }
}
