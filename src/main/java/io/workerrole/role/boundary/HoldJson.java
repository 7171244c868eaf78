package io.workerrole.role.boundary;

import io.workerrole.role.entity.Hold;
import jakarta.json.JsonObjectBuilder;

import static io.workerrole.platform.SharedJson.JSON;

/** A hold as the API and the dashboard show it: {@code {"heldBy", "since", "reason", "until"}}, the last two when set. */
public final class HoldJson {

    private HoldJson() {
    }

    public static JsonObjectBuilder of(Hold hold) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("heldBy", hold.heldBy())
                .add("since", hold.heldAt().toString());
        if (hold.reason() != null) {
            json.add("reason", hold.reason());
        }
        if (hold.until() != null) {
            json.add("until", hold.until().toString());
        }
        return json;
    }
}
