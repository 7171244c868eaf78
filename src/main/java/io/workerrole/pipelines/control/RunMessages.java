package io.workerrole.pipelines.control;

import io.workerrole.jobs.control.PipelineRunMessages;
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
 * "idempotencyKey": ...}}. A message without an idempotency key gets its JMS message id as one,
 * so that a redelivery does not start a second run.
 */
@ApplicationScoped
public class RunMessages implements PipelineRunMessages {

    @Inject
    PipelineCatalog catalog;

    @Inject
    PipelineConductor conductor;

    @Override
    public boolean isRunRequest(String body) {
        if (!body.contains("\"pipeline\"")) {
            return false; // most messages are jobs: no second parse for them
        }
        return object(body) instanceof JsonObject object && RunRequests.isRunRequest(object);
    }

    @Override
    public void start(String body, String messageId) {
        try {
            if (!(object(body) instanceof JsonObject object)) {
                throw new InvalidPipelineException("not a JSON object");
            }
            RunRequest request = RunRequests.parse(object, null);
            String key = request.idempotencyKey() != null ? request.idempotencyKey() : "jms:" + messageId;
            conductor.start(catalog.require(request.pipeline()), request.payload(), key);
        } catch (InvalidPipelineException e) {
            throw new IllegalArgumentException("cannot start a pipeline run: " + e.getMessage(), e);
        }
    }

    private static JsonValue object(String body) {
        try (var reader = JSON.createReader(new StringReader(body))) {
            return reader.readValue();
        } catch (JsonException e) {
            return null;
        }
    }
}
