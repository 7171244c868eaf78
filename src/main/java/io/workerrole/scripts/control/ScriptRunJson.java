package io.workerrole.scripts.control;

import io.workerrole.scripts.entity.ScriptKind;
import io.workerrole.scripts.entity.ScriptRun;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;

import java.io.StringReader;
import java.time.Instant;
import java.util.Locale;

import static io.workerrole.platform.SharedJson.JSON;

/** A run's record as its folder's {@code run.json} holds it, and as {@code /api/scripts} shows it. */
public final class ScriptRunJson {

    private ScriptRunJson() {
    }

    static String write(ScriptRun run) {
        return object(run).toString();
    }

    public static JsonObject object(ScriptRun run) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("runId", run.runId())
                .add("script", run.script())
                .add("kind", run.kind().name().toLowerCase(Locale.ROOT))
                .add("server", run.server())
                .add("arguments", JSON.createArrayBuilder(run.arguments()))
                .add("startedAt", run.startedAt().toString())
                .add("outcome", run.outcome().name());
        if (run.jobId() != null) {
            json.add("jobId", run.jobId());
        }
        if (run.endedAt() != null) {
            json.add("endedAt", run.endedAt().toString());
        }
        if (run.exitCode() != null) {
            json.add("exitCode", run.exitCode());
        }
        return json.build();
    }

    /** @throws RuntimeException if the text is not a run's record */
    static ScriptRun read(String text) {
        JsonObject json;
        try (var reader = JSON.createReader(new StringReader(text))) {
            json = reader.readObject();
        }
        return new ScriptRun(json.getString("runId"), json.getString("script"), ScriptKind.valueOf(json.getString("kind").toUpperCase(Locale.ROOT)),
                json.getString("jobId", null), json.getString("server"),
                json.getJsonArray("arguments").getValuesAs(JsonString::getString),
                Instant.parse(json.getString("startedAt")),
                json.containsKey("endedAt") ? Instant.parse(json.getString("endedAt")) : null,
                ScriptRun.Outcome.valueOf(json.getString("outcome")),
                json.containsKey("exitCode") ? json.getJsonNumber("exitCode").intValueExact() : null);
    }
}
