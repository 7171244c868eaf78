package io.workerrole.jobs.boundary;

import io.workerrole.jobs.control.intake.JobMessages;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * Consumes job messages from {@code worker.jobs} (bound in WEB-INF/ibm-ejb-jar-bnd.xml). Thin by
 * design: anything that goes wrong while recording the job is rethrown, so the message is
 * redelivered, and after the queue's redelivery limit lands in {@code worker.dead}.
 *
 * <p>No JTA transaction: the job store, not the broker, decides whether a message was already
 * accepted (by its message id), so no XA between the broker and the database is needed.
 */
@MessageDriven(name = "JobMessageListener", activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue")
})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class JobMessageListener implements MessageListener {

    @Inject
    JobMessages messages;

    @Override
    public void onMessage(Message message) {
        try {
            messages.accept(message);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not accept job message; it will be redelivered", e);
        }
    }
}
