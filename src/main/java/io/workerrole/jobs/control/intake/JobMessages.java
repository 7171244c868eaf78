package io.workerrole.jobs.control.intake;

import io.workerrole.jobs.boundary.PipelineRunMessages;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.entity.Acceptance;
import io.workerrole.jobs.entity.Arrival;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.jobs.entity.JobSource;
import io.workerrole.platform.Database;
import io.workerrole.platform.rest.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import javax.naming.NamingException;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * Turns a job message into a job. The message is consumed only once the job is recorded (the
 * listener rethrows otherwise, so the broker redelivers); a redelivered message is recognised
 * by its message id and not recorded twice. A message that can never become a job (not text,
 * bad JSON, unknown type, too large) is recorded as REJECTED and moved to the dead-letter queue
 * at once, without retries. So is one whose JMSCorrelationID is longer than the job store keeps:
 * its job could never be recorded, and redelivering it would only end in worker.dead with no job
 * and no reason. So is one whose JMSReplyTo names a queue the sender may not receive from
 * ({@link ReplyRule}): its job is REJECTED with the reason, and nothing is sent there.
 */
@ApplicationScoped
public class JobMessages {

    /** How much of a rejected message's body the job store keeps; the dead letter has all of it. */
    static final int KEPT_BODY_CHARS = 10_000;

    /** The longest JMSCorrelationID the job store keeps (worker_job.correlation_id). */
    static final int MAX_CORRELATION_ID_CHARS = 200;

    /** The JMS-defined property of the sending user's identity, set by the provider on send. */
    static final String JMSX_USER_ID = "JMSXUserID";

    @Inject
    JobIntake intake;

    @Inject
    DeadLetters deadLetters;

    @Inject
    Instance<PipelineRunMessages> runs;

    @Inject
    Clock clock;

    @Inject
    JobSettings settings;

    public void accept(Message message) throws JMSException, NamingException {
        ReplyRule.Verdict reply = ReplyRule.of(settings).judge(message.getJMSReplyTo());
        Arrival arrival = arrival(message, reply).by(sender(message));
        if (arrival.correlationId() != null && arrival.correlationId().length() > MAX_CORRELATION_ID_CHARS) {
            rejectUnkeptCorrelationId(message, arrival);
            return;
        }
        if (reply.refused()) {
            String body = message instanceof TextMessage text ? text.getText() : null;
            reject(message, body, peekType(body), reply.refusal(), arrival);
            return;
        }
        if (!(message instanceof TextMessage textMessage)) {
            reject(message, null, null, "not a text message (" + kind(message) + "): job messages are JSON text", arrival);
            return;
        }
        String body = textMessage.getText();
        if (body != null) {
            try {
                if (runs.get().startIfRunRequest(body, arrival.messageId(), arrival.idempotencyScope())) {
                    return;
                }
            } catch (IllegalArgumentException e) {
                reject(message, body, null, e.getMessage(), arrival);
                return;
            }
        }
        JobRequest request;
        try {
            request = intake.parse(body);
        } catch (InvalidRequestException e) {
            reject(message, body, peekType(body), e.getMessage(), arrival);
            return;
        }
        intake.submit(request, arrival);
    }

    /**
     * Rejects a message whose correlation id the job store cannot keep. The rejected job is recorded
     * under the message id instead, as for a message without a correlation id, so the rejection's
     * reply carries the message id; the dead letter keeps the message as it was, its id with it.
     */
    private void rejectUnkeptCorrelationId(Message message, Arrival arrival) throws JMSException, NamingException {
        String body = message instanceof TextMessage text ? text.getText() : null;
        String reason = "JMSCorrelationID is longer than " + MAX_CORRELATION_ID_CHARS + " characters ("
                + arrival.correlationId().length() + "): the worker cannot keep it to correlate the reply";
        reject(message, body, peekType(body), reason, arrival.withCorrelationId(arrival.messageId()));
    }

    private void reject(Message message, String body, String type, String reason, Arrival arrival)
            throws JMSException, NamingException {
        String kept = body == null ? null : Database.truncate(body, KEPT_BODY_CHARS);
        Acceptance rejected = intake.reject(type, kept, reason, arrival);
        deadLetters.send(message, body, reason, rejected.job().id());
    }

    /** @param reply what became of the JMSReplyTo: a refused one is no reply */
    private Arrival arrival(Message message, ReplyRule.Verdict reply) throws JMSException {
        String messageId = message.getJMSMessageID();
        String correlationId = message.getJMSCorrelationID() != null ? message.getJMSCorrelationID() : messageId;
        long sent = message.getJMSTimestamp();
        return new Arrival(JobSource.JMS, messageId, correlationId, reply.replyTo(),
                sent > 0 ? Instant.ofEpochMilli(sent) : clock.instant(), message.getJMSPriority());
    }

    /**
     * @return the sender as the broker authenticated it (JMSXUserID), or null if it has none: on
     *         Liberty's engine with messagingSecurity, the user of the sender's connection, set by
     *         the engine; on Artemis, its validated user (_AMQ_VALIDATED_USER), which the broker
     *         sets over the sender's own with populate-validated-user (liberty/artemis.sh does)
     */
    static String sender(Message message) throws JMSException {
        String user = message.getStringProperty(JMSX_USER_ID);
        return user == null || user.isBlank() ? null : user;
    }

    private static String kind(Message message) {
        if (message instanceof BytesMessage) {
            return "BytesMessage";
        }
        if (message instanceof MapMessage) {
            return "MapMessage";
        }
        if (message instanceof ObjectMessage) {
            return "ObjectMessage";
        }
        if (message instanceof StreamMessage) {
            return "StreamMessage";
        }
        return "Message";
    }

    /** @return the "type" of a rejected body, if it has one, for the record */
    static String peekType(String body) {
        if (body == null || body.length() > KEPT_BODY_CHARS) {
            return null;
        }
        try (JsonReader reader = JSON.createReader(new StringReader(body))) {
            JsonObject json = reader.readObject();
            return json.containsKey("type") && json.get("type") instanceof jakarta.json.JsonString s ? s.getString() : null;
        } catch (JsonException | ClassCastException | IllegalStateException e) {
            return null;
        }
    }
}
