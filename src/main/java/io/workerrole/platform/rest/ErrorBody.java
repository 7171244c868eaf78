package io.workerrole.platform.rest;

import jakarta.json.JsonObject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Locale;

import static io.workerrole.platform.SharedJson.JSON;

/** Every error of the API is JSON: {"status": 422, "error": "Unprocessable Content", "message": "..."}. */
public final class ErrorBody {

    static final String RETRY_AFTER_SECONDS = "5";

    private ErrorBody() {
    }

    public static Response of(int status, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(json(status, message))
                .build();
    }

    /** @return the body alone, for answers that are not made by JAX-RS (the servlet container's error pages) */
    public static JsonObject json(int status, String message) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String reason = type != null ? type.getReasonPhrase() : status == 422 ? "Unprocessable Content" : "Error";
        return JSON.createObjectBuilder()
                .add("status", status)
                .add("error", reason)
                .add("message", message == null ? reason : message)
                .build();
    }

    /** @return a 503 that tells the client when to try again: the worker is starting, stopping, or without its store */
    public static Response retryLater(String message) {
        return Response.fromResponse(of(503, message)).header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    /** @return 503 with Retry-After for a request that needs the worker running, while it starts or stops */
    public static Response notRunning(Enum<?> phase) {
        return retryLater("the worker is " + phase.name().toLowerCase(Locale.ROOT) + "; try again shortly");
    }
}
