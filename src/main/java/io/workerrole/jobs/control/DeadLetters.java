package io.workerrole.jobs.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;

import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The dead-letter queue ({@code worker.dead}): a copy of each message the worker could not
 * accept, with the reason in the {@code workerDeadReason} property.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = "workerDeadReason";
    public static final String JOB_ID = "workerJobId";
    public static final String ORIGINAL_MESSAGE_ID = "workerOriginalMessageId";

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
}
