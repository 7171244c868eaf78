package io.workerrole.jobs.builtin;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.NonRetryableJobException;
import io.workerrole.platform.AllowedHosts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.net.URI;
import java.util.Locale;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * {@code fetch}: GETs {@code {"url": "http://..."}} and returns {@code {"status", "body"}}. An
 * example of a handler calling another service through MicroProfile Fault Tolerance (see
 * {@link RemoteCall}). Only hosts listed in {@code worker.fetch.allowedHosts} (default: this
 * machine) can be called; another host, or a URL that is not http(s), is not retryable.
 */
@ApplicationScoped
@JobType("fetch")
public class FetchJob implements JobHandler {

    static final int MAX_BODY_CHARS = 10_000;

    @Inject
    RemoteCall remote;

    @Inject
    FetchSettings settings;

    @Override
    public Object handle(JobContext job) {
        URI uri = uri(job.payload());
        RemoteCall.Answer answer = remote.get(uri);
        String body = answer.body().length() > MAX_BODY_CHARS ? answer.body().substring(0, MAX_BODY_CHARS) : answer.body();
        JsonObject result = JSON.createObjectBuilder().add("status", answer.status()).add("body", body).build();
        job.log().info("fetched " + uri + ": " + answer.status());
        return result;
    }

    private URI uri(JsonValue payload) {
        if (payload.getValueType() != JsonValue.ValueType.OBJECT || !payload.asJsonObject().containsKey("url")) {
            throw new NonRetryableJobException("the payload must be {\"url\": \"http://...\"}");
        }
        URI uri;
        try {
            uri = URI.create(payload.asJsonObject().getString("url"));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new NonRetryableJobException("url is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new NonRetryableJobException("url must be http or https: " + uri);
        }
        AllowedHosts allowed = settings.allowedHosts();
        if (!allowed.permits(uri)) {
            throw new NonRetryableJobException("host " + uri.getHost() + " is not in " + FetchSettings.ALLOWED_HOSTS + " " + allowed);
        }
        return uri;
    }
}
