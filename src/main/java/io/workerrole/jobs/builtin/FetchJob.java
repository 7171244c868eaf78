package io.workerrole.jobs.builtin;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.NonRetryableJobException;
import io.workerrole.jobs.control.intake.PayloadCheck;
import io.workerrole.platform.AllowedOrigins;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import java.net.URI;
import java.util.Optional;
import java.util.logging.Logger;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * {@code fetch}: GETs {@code {"url": "http://..."}} and returns {@code {"status", "body"}}. An
 * example of a handler calling another service through MicroProfile Fault Tolerance (see
 * {@link RemoteCall}). Only origins listed in {@code worker.fetch.allowedOrigins} (none by
 * default) can be called: a job of another URL is refused when it is submitted, and, should the
 * list have changed since, ends DEAD without a call when it runs. A service that cannot be reached
 * fails the attempt with "could not reach ORIGIN", whatever the cause (refused, reset, timed out,
 * TLS): what an open port answered would tell it from a closed one; the details go to the server's
 * log, with the job's id.
 */
@ApplicationScoped
@JobType("fetch")
public class FetchJob implements JobHandler, PayloadCheck {

    static final int MAX_BODY_CHARS = 10_000;
    private static final Logger LOG = Logger.getLogger(FetchJob.class.getName());

    @Inject
    RemoteCall remote;

    @Inject
    FetchSettings settings;

    @Override
    public Optional<String> refusal(JsonValue payload) {
        if (payload.getValueType() != JsonValue.ValueType.OBJECT
                || payload.asJsonObject().get("url") == null
                || payload.asJsonObject().get("url").getValueType() != JsonValue.ValueType.STRING) {
            return Optional.of("\"payload.url\" is required: the payload of a fetch job is {\"url\": \"http://...\"}");
        }
        return settings.allowedOrigins().refusal("payload.url", payload.asJsonObject().getString("url"), FetchSettings.FETCH_JOBS);
    }

    @Override
    public Object handle(JobContext job) {
        // Checked again now: the admin may have narrowed the list since the job was accepted.
        refusal(job.payload()).ifPresent(reason -> {
            throw new NonRetryableJobException(reason);
        });
        URI uri = URI.create(job.payload().asJsonObject().getString("url"));
        RemoteCall.Answer answer = call(job, uri);
        String body = answer.body().length() > MAX_BODY_CHARS ? answer.body().substring(0, MAX_BODY_CHARS) : answer.body();
        JsonObject result = JSON.createObjectBuilder().add("status", answer.status()).add("body", body).build();
        job.log().info("fetched " + uri + ": " + answer.status());
        return result;
    }

    private RemoteCall.Answer call(JobContext job, URI uri) {
        String unreachable = "could not reach " + AllowedOrigins.origin(uri);
        try {
            return remote.get(uri);
        } catch (RemoteCall.Unreachable | TimeoutException | CircuitBreakerOpenException e) {
            // One message for every way of not getting an answer; a 5xx answer (RemoteCallFailed) may be told as it is.
            LOG.info(() -> "[job " + job.jobId() + " fetch] " + unreachable + " (" + e + (e.getCause() == null ? "" : ", " + e.getCause()) + ")");
            throw new RemoteCall.Unreachable(unreachable, null);
        }
    }
}
