package io.workerrole.jobs.control.intake;

import jakarta.jms.Destination;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.Topic;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.HashSet;
import java.util.Set;

/**
 * Destinations as the job store keeps them: "queue:NAME", "topic:NAME" (from a JMSReplyTo) or
 * "jndi:NAME" (a configured queue), so that any server can send a job's reply.
 */
public final class JmsDestinations {

    private JmsDestinations() {
    }

    /** @return the destination as text, or null */
    public static String describe(Destination destination) throws JMSException {
        if (destination instanceof Queue queue) {
            return "queue:" + queue.getQueueName();
        }
        if (destination instanceof Topic topic) {
            return "topic:" + topic.getTopicName();
        }
        return null;
    }

    /** @return the names of the queues bound at these JNDI names (one bound to nothing, or to no queue, is left out) */
    public static Set<String> queueNames(String... jndiNames) {
        Set<String> names = new HashSet<>();
        for (String jndiName : jndiNames) {
            try {
                if (InitialContext.doLookup(jndiName) instanceof Queue queue && queue.getQueueName() != null) {
                    names.add(queue.getQueueName());
                }
            } catch (NamingException | JMSException e) {
                // not a queue of this server's: nothing to keep out
            }
        }
        return names;
    }

    public static String jndi(String jndiName) {
        return "jndi:" + jndiName;
    }

    /** Resolves a described destination for sending. */
    public static Destination resolve(JMSContext context, String described) throws NamingException {
        int colon = described.indexOf(':');
        String kind = described.substring(0, colon);
        String name = described.substring(colon + 1);
        return switch (kind) {
            case "queue" -> context.createQueue(name);
            case "topic" -> context.createTopic(name);
            case "jndi" -> InitialContext.doLookup(name);
            default -> throw new IllegalArgumentException("unknown destination " + described);
        };
    }
}
