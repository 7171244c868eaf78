package io.workerrole.jobs.control.intake;

import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.entity.Job;
import io.workerrole.platform.SharedJson;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.json.JsonObjectBuilder;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * The dead-letter queue ({@code worker.dead}): a copy of each message the worker could not
 * accept, and of each job from a message that died, with the reason in the
 * {@code workerDeadReason} property.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = "workerDeadReason";
    public static final String JOB_ID = "workerJobId";
    public static final String ORIGINAL_MESSAGE_ID = "workerOriginalMessageId";
    public static final String ATTEMPTS = "workerAttempts";

    /** Job ids per selector when dead letters are removed. */
    private static final int DISCARD_BATCH = 100;
    /** How long a removal waits for one more matching message before it is done. */
    private static final Duration DISCARD_WAIT = Duration.ofMillis(200);

    @Resource(lookup = "jms/worker/cf")
    ConnectionFactory connectionFactory;

    @Inject
    JobSettings settings;

    /**
     * Sends a copy of the message, with its body as received, to the dead-letter queue.
     *
     * @param text the body if it was a text message, else null
     */
    public void send(Message original, String text, String reason, String jobId) throws JMSException, NamingException {
        try (JMSContext context = connectionFactory.createContext()) {
            Message copy;
            if (original instanceof BytesMessage bytes) {
                byte[] body = new byte[(int) bytes.getBodyLength()];
                bytes.reset();
                bytes.readBytes(body);
                copy = context.createBytesMessage();
                ((BytesMessage) copy).writeBytes(body);
            } else {
                copy = context.createTextMessage(text);
            }
            copy.setJMSCorrelationID(original.getJMSCorrelationID());
            copy.setStringProperty(REASON, reason);
            copy.setStringProperty(JOB_ID, jobId);
            copy.setStringProperty(ORIGINAL_MESSAGE_ID, original.getJMSMessageID());
            context.createProducer().send(InitialContext.doLookup(settings.deadLetterQueue()), copy);
        }
    }

    /**
     * Sends a job that came as a message and died (attempts used up, or not retryable) to the
     * dead-letter queue: its request as a job message, so that it can be looked at or sent again,
     * with the last error and the number of attempts.
     */
    public void sendDead(Job job, String error) throws JMSException, NamingException {
        JsonObjectBuilder request = JSON.createObjectBuilder().add("type", job.type()).add("payload", SharedJson.readStored(job.payload()));
        if (job.idempotencyKey() != null) {
            request.add("idempotencyKey", job.idempotencyKey());
        }
        if (job.sequenceKey() != null) {
            request.add("sequence", JSON.createObjectBuilder().add("key", job.sequenceKey()).add("number", job.sequenceNumber()));
        }
        if (job.mutexKey() != null) {
            request.add("mutex", job.mutexKey());
        }
        if (job.callbackUrl() != null) {
            request.add("callbackUrl", job.callbackUrl());
        }
        try (JMSContext context = connectionFactory.createContext()) {
            Message copy = context.createTextMessage(request.build().toString());
            copy.setJMSCorrelationID(job.correlationId());
            copy.setStringProperty(REASON, error);
            copy.setStringProperty(JOB_ID, job.id());
            copy.setStringProperty(ORIGINAL_MESSAGE_ID, job.messageId());
            copy.setIntProperty(ATTEMPTS, job.attempts());
            context.createProducer().setPriority(job.priority()).send(InitialContext.doLookup(settings.deadLetterQueue()), copy);
        }
    }

    /**
     * Removes the dead letters of these jobs (those sent by {@link #sendDead}; a message that was
     * never accepted has no job to requeue).
     *
     * @return how many were removed
     */
    public int discard(List<String> jobIds) throws NamingException {
        int removed = 0;
        try (JMSContext context = connectionFactory.createContext()) {
            Queue dead = InitialContext.doLookup(settings.deadLetterQueue());
            for (int from = 0; from < jobIds.size(); from += DISCARD_BATCH) {
                String selector = jobIds.subList(from, Math.min(from + DISCARD_BATCH, jobIds.size())).stream()
                        .map(id -> "'" + id.replace("'", "''") + "'")
                        .collect(Collectors.joining(", ", JOB_ID + " IN (", ")"));
                try (JMSConsumer consumer = context.createConsumer(dead, selector)) {
                    while (consumer.receive(DISCARD_WAIT.toMillis()) != null) {
                        removed++;
                    }
                }
            }
        }
        return removed;
    }
}
