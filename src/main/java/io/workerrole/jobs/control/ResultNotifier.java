package io.workerrole.jobs.control;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Job;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.TextMessage;
import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the caller how a job ended, in every way it asked: a reply message (with its
 * correlation id) and an HTTP callback. Neither may hold up the worker: callbacks run
 * asynchronously and are retried with backoff; a failure to notify never changes the job's
 * recorded state.
 */
@ApplicationScoped
public class ResultNotifier {

    static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(ResultNotifier.class.getName());

    @Resource(lookup = "jms/worker/cf")
    ConnectionFactory connectionFactory;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    JobSettings settings;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Sends the reply and callback for a job that reached a final state. */
    public void finished(Job job, JobState state, String result, String error) {
        JsonObject outcome = JobJson.outcome(job, state, result, error);
        if (job.replyTo() != null) {
            reply(job, outcome);
        }
        if (job.callbackUrl() != null) {
            callback(job.id(), URI.create(job.callbackUrl()), outcome.toString(), 1);
        }
    }

    private void reply(Job job, JsonObject outcome) {
        try (JMSContext context = connectionFactory.createContext()) {
            TextMessage message = context.createTextMessage(outcome.toString());
            message.setJMSCorrelationID(job.correlationId());
            message.setStringProperty("workerJobId", job.id());
            message.setStringProperty("workerJobState", outcome.getString("state"));
            context.createProducer().send(JmsDestinations.resolve(context, job.replyTo()), message);
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "[job " + job.id() + " " + job.type() + "] could not send the reply to " + job.replyTo(), e);
        }
    }

    private void callback(String jobId, URI url, String body, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(CALLBACK_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() / 100 == 2) {
                return;
            }
            String why = failure != null ? failure.toString() : "HTTP " + response.statusCode();
            int attempts = settings.callbackAttempts();
            if (attempt >= attempts) {
                LOG.severe(() -> "[job " + jobId + "] callback to " + url + " failed " + attempt + " times, giving up: " + why);
                return;
            }
            long delayMs = 1000L << Math.min(attempt - 1, 10);
            LOG.warning(() -> "[job " + jobId + "] callback to " + url + " failed (" + why + "); retrying in " + delayMs + " ms");
            scheduler.schedule(() -> callback(jobId, url, body, attempt + 1), delayMs, TimeUnit.MILLISECONDS);
        });
    }
}
