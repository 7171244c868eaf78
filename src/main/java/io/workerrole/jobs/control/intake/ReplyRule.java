package io.workerrole.jobs.control.intake;

import io.workerrole.jobs.control.JobSettings;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides whether a job message's JMSReplyTo is honoured. The worker sends its replies with its
 * own rights, which reach every queue of the broker, so it replies only where the sender itself
 * may receive: a temporary queue of the sender's, or a queue the admin listed in
 * {@code worker.jms.replyQueues}. Anything else (the worker's own {@code worker.jobs} and
 * {@code worker.dead}, another application's queue, a topic) is refused with the reason, and no
 * reply is ever sent there.
 *
 * <p>A temporary queue is told by what the broker itself makes of the destination, not by a
 * name a sender could pick:
 * <ul>
 * <li>Liberty's messaging engine decodes every JMSReplyTo as a plain queue (never a
 * {@link TemporaryQueue}), and treats a destination as temporary exactly when its name begins
 * with {@code _Q} (its JsDestinationAddressImpl.isTemporary): a sender may write such a name,
 * but a reply to it can only reach a temporary queue, never a permanent one.</li>
 * <li>Artemis' JMS client hands a {@link TemporaryQueue} when the message says so; any sender
 * can say so of any address. So a "temporary" queue that bears the name of one of the worker's
 * own queues is refused too, and the broker's security does the rest: the worker may send only
 * to addresses without security settings of their own (liberty/artemis.sh).</li>
 * </ul>
 */
public final class ReplyRule {

    /** The prefix the embedded messaging engine gives temporary queues, and treats as temporary. */
    static final String ENGINE_TEMPORARY_QUEUE_PREFIX = "_Q";

    private final Set<String> replyQueues;
    private final Supplier<Set<String>> workerQueues;

    /**
     * @param replyQueues the queue names of {@code worker.jms.replyQueues}
     * @param workerQueues the names of the worker's own queues (jobs, replies, dead letters),
     *        which no destination that calls itself temporary may name: asked for only then
     */
    public ReplyRule(Set<String> replyQueues, Supplier<Set<String>> workerQueues) {
        this.replyQueues = Set.copyOf(replyQueues);
        this.workerQueues = workerQueues;
    }

    /** @return the rule as the settings are now, the queues of the worker's JNDI names kept out of "temporary" */
    public static ReplyRule of(JobSettings settings) {
        return new ReplyRule(settings.jmsReplyQueues(), () -> JmsDestinations.queueNames(
                "jms/worker/jobs", "jms/worker/dead", "jms/worker/replies", settings.replyQueue(), settings.deadLetterQueue()));
    }

    /** What the rule made of a JMSReplyTo: where to reply (or null: nowhere), or why not. */
    public record Verdict(String replyTo, String refusal) {

        static Verdict none() {
            return new Verdict(null, null);
        }

        static Verdict to(String replyTo) {
            return new Verdict(replyTo, null);
        }

        static Verdict refused(String reason) {
            return new Verdict(null, reason);
        }

        public boolean refused() {
            return refusal != null;
        }
    }

    /** @return where to reply (as {@link JmsDestinations} describes it), nowhere, or the reason it is refused */
    public Verdict judge(Destination replyTo) throws JMSException {
        if (replyTo == null) {
            return Verdict.none();
        }
        if (replyTo instanceof Topic topic) {
            String kind = topic instanceof TemporaryTopic ? "a temporary topic" : "the topic";
            return Verdict.refused("JMSReplyTo is " + kind + " " + topic.getTopicName() + ": " + where());
        }
        if (!(replyTo instanceof Queue queue)) {
            return Verdict.refused("JMSReplyTo is neither a queue nor a topic (" + replyTo.getClass().getSimpleName() + "): " + where());
        }
        String name = queue.getQueueName();
        if (replyQueues.contains(name)) {
            return Verdict.to(JmsDestinations.describe(queue));
        }
        if (temporary(queue, name)) {
            if (workerQueues.get().contains(name)) {
                return Verdict.refused("JMSReplyTo calls the worker's own queue " + name + " a temporary queue: " + where());
            }
            return Verdict.to(JmsDestinations.describe(queue));
        }
        return Verdict.refused("JMSReplyTo names the queue " + name + ", which is neither a temporary queue of the sender's nor in "
                + JobSettings.JMS_REPLY_QUEUES + " " + replyQueues.stream().sorted().toList() + ": " + where());
    }

    /**
     * Judges a reply destination the job store kept ({@link JmsDestinations}) again when the reply
     * is sent: a job recorded before this rule, or before the admin unlisted a queue, may name
     * one of the worker's own queues or a topic. A queue of another name cannot be told from an
     * Artemis temporary queue by its name alone, and was judged when the message came.
     *
     * @return why the reply may not be sent there, or null if it may
     */
    public String refusalOfKept(String described) {
        if (described == null || described.startsWith("jndi:")) {
            return null; // the admin's or the application's own queue, by its JNDI name
        }
        if (described.startsWith("topic:")) {
            return "the reply would go to a topic (" + described.substring("topic:".length()) + "): " + where();
        }
        String name = described.substring(described.indexOf(':') + 1);
        if (!replyQueues.contains(name) && workerQueues.get().contains(name)) {
            return "the reply would go to the worker's own queue " + name + ", not in " + JobSettings.JMS_REPLY_QUEUES + ": " + where();
        }
        return null;
    }

    private static boolean temporary(Queue queue, String name) {
        return queue instanceof TemporaryQueue || name != null && name.startsWith(ENGINE_TEMPORARY_QUEUE_PREFIX);
    }

    private static String where() {
        return "the worker replies only to a temporary queue of the sender's or a queue in " + JobSettings.JMS_REPLY_QUEUES
                + ", where the sender may receive";
    }
}
