package io.workerrole.it.support;

import jakarta.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A client of one server's schedule API, for tests. */
public final class Schedules {

    private final Api api;

    public Schedules(Api api) {
        this.api = api;
    }

    /** Creates a schedule and insists that it was created. */
    public JsonObject create(String json) {
        Api.Answer created = api.post("/api/schedules", "application/json", json.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, created.status(), created.body());
        return created.json();
    }

    public void pause(String name) {
        assertEquals(200, api.post("/api/schedules/" + name + "/pause", "application/json", new byte[0]).status());
    }

    public void resume(String name) {
        assertEquals(200, api.post("/api/schedules/" + name + "/resume", "application/json", new byte[0]).status());
    }

    /** @return every schedule, by name */
    public List<JsonObject> all() {
        return api.all("/api/schedules?limit=500", "schedules");
    }

    /** @return the schedule's firings with the outcome (all when null), newest first; none if it has no history */
    public List<JsonObject> firings(String name, String outcome) {
        Api.Answer answer = api.get("/api/schedules/" + name + "/firings?limit=500" + (outcome == null ? "" : "&outcome=" + outcome));
        if (answer.status() == 404) {
            return List.of();
        }
        return answer.json().getJsonArray("firings").stream().map(v -> v.asJsonObject()).toList();
    }
}
