package io.workerrole.jobs.control.intake;

import jakarta.json.JsonValue;

import java.util.Optional;

/**
 * Implemented by a handler that can tell from a payload alone that its job could never run (the
 * built-in {@code fetch} of a URL it may not call): such a job is refused when it is submitted
 * (422, or REJECTED and dead-lettered over JMS) instead of being accepted only to end DEAD. The
 * handler checks again when it runs, since its rules may have changed in between.
 */
public interface PayloadCheck {

    /** @return why a job with this payload is refused, naming the field; empty if it is acceptable */
    Optional<String> refusal(JsonValue payload);
}
