// Sends one job to the worker over AMQP 1.0 (Qpid JMS) and prints the worker's reply.
//   java -cp "$(cat target/amqp-client.classpath)" examples/clients/amqp/Enqueue.java [CORRELATION_ID]
// The broker and user come from WORKER_ARTEMIS_HOST, WORKER_ARTEMIS_PORT, WORKER_CLIENT_USER and
// WORKER_CLIENT_PASSWORD (defaults: the broker liberty/artemis.sh makes, user submitter).
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import org.apache.qpid.jms.JmsConnectionFactory;

import java.util.UUID;

public class Enqueue {

    public static void main(String[] args) {
        String url = "amqp://" + env("WORKER_ARTEMIS_HOST", "127.0.0.1") + ":" + env("WORKER_ARTEMIS_PORT", "61616");
        String correlationId = args.length > 0 ? args[0] : UUID.randomUUID().toString();
        var factory = new JmsConnectionFactory(url);
        try (JMSContext jms = factory.createContext(env("WORKER_CLIENT_USER", "submitter"), env("WORKER_CLIENT_PASSWORD", "submitter-change-me"))) {
            Queue replies = jms.createQueue("worker.replies");
            // A job is JSON text; the worker answers on JMSReplyTo with the same correlation id.
            jms.createProducer().setJMSCorrelationID(correlationId).setJMSReplyTo(replies)
                    .send(jms.createQueue("worker.jobs"), "{\"type\": \"echo\", \"payload\": {\"hello\": \"world\"}}");
            // Take only this job's reply: other producers' replies stay on the queue for them.
            try (JMSConsumer consumer = jms.createConsumer(replies, "JMSCorrelationID = '" + correlationId + "'")) {
                String reply = consumer.receiveBody(String.class, 30_000);
                if (reply == null) {
                    throw new IllegalStateException("no reply within 30 s");
                }
                System.out.println(reply);   // {"jobId": "...", "state": "SUCCEEDED", "result": {"hello": "world"}, ...}
            }
        }
    }

    private static String env(String name, String fallback) {
        return System.getenv().getOrDefault(name, fallback);
    }
}
