package io.workerrole.pipelines.control;

import io.workerrole.jobs.boundary.PipelineRunMessages;
import io.workerrole.pipelines.entity.RunRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * Starts the runs that job messages ask for: {@code {"pipeline": "NAME", "payload": ...,
 * "idempotencyKey": ...}}. The key is the sender's own (unique among the keys of the user the
 * broker authenticated). A message without an idempotency key gets its JMS message id as one, so
 * that a redelivery does not start a second run.
 */
@ApplicationScoped
public class RunMessages implements PipelineRunMessages {

    @Inject
    PipelineCatalog catalog;

    @Inject
    PipelineConductor conductor;

    @Override
    public boolean startIfRunRequest(String body, String messageId, String idempotencyScope) {
        if (!body.contains("\"pipeline\"")) {
            return false; // most messages are jobs: they are not parsed here
        }
        if (!(object(body) instanceof JsonObject object) || !RunRequests.isRunRequest(object)) {
            return false;
        }
        try {
            RunRequest request = RunRequests.parse(object, null);
            String key = request.idempotencyKey() != null ? request.idempotencyKey() : "jms:" + messageId;
            conductor.start(catalog.require(request.pipeline()), request.payload(), idempotencyScope, key);
            return true;
        } catch (InvalidPipelineException e) {
            throw new IllegalArgumentException("cannot start a pipeline run: " + e.getMessage(), e);
        }
    }

    /** @return the body as JSON, or null if it is none (the job intake then says why) */
    private static JsonValue object(String body) {
        try (var reader = JSON.createReader(new StringReader(body))) {
            return reader.readValue();
        } catch (JsonException e) {
            return null;
        }
    }
}
