package io.workerrole.api;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A job to enqueue through {@link Jobs}, with every option a job message has. Build one with
 * {@link #of(String)}.
 *
 * @param type the job type
 * @param payload a {@link jakarta.json.JsonValue}, any object JSON-B can bind, or null
 * @param priority 0 (lowest) to 9, or null for the default (4)
 * @param idempotencyKey jobs with one key run to success at most once; null for none
 * @param sequenceKey jobs of one sequence key run one after another in {@code sequenceNumber} order; null for none
 * @param sequenceNumber the job's place in its sequence (0 or more), with a sequence key
 * @param callbackUrl where to POST the job's final status, at an origin in worker.callback.allowedOrigins (none by default); null for none
 * @param replyQueue the JNDI name of a queue to send the job's final status to, or null for none
 * @param runAt when to run it at the earliest (it waits SCHEDULED until then), or null
 * @param delay how long after it is enqueued to run it at the earliest, or null; at most one of runAt and delay
 * @param mutex jobs of one mutex key never run at once, on any server of the fleet: each waits QUEUED
 *        while another of its key runs; null for none (since 0.3.0)
 */
public record JobSpec(
        String type,
        Object payload,
        Integer priority,
        String idempotencyKey,
        String sequenceKey,
        Long sequenceNumber,
        URI callbackUrl,
        String replyQueue,
        Instant runAt,
        Duration delay,
        String mutex) {

    public JobSpec {
        Objects.requireNonNull(type, "a job needs a type");
        if ((sequenceKey == null) != (sequenceNumber == null)) {
            throw new IllegalArgumentException("a sequence needs both its key and a number");
        }
        if (runAt != null && delay != null) {
            throw new IllegalArgumentException("a job runs at a time or after a delay, not both");
        }
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("a delay cannot be negative: " + delay);
        }
    }

    /** A job without a mutex (the constructor of 0.2.0). */
    public JobSpec(String type, Object payload, Integer priority, String idempotencyKey, String sequenceKey, Long sequenceNumber,
                   URI callbackUrl, String replyQueue, Instant runAt, Duration delay) {
        this(type, payload, priority, idempotencyKey, sequenceKey, sequenceNumber, callbackUrl, replyQueue, runAt, delay, null);
    }

    /** @return a builder for a job of the given type */
    public static Builder of(String type) {
        return new Builder(type);
    }

    /** Builds a {@link JobSpec}; every option is optional. */
    public static final class Builder {
        private final String type;
        private Object payload;
        private Integer priority;
        private String idempotencyKey;
        private String sequenceKey;
        private Long sequenceNumber;
        private URI callbackUrl;
        private String replyQueue;
        private Instant runAt;
        private Duration delay;
        private String mutex;

        private Builder(String type) {
            this.type = type;
        }

        public Builder payload(Object payload) {
            this.payload = payload;
            return this;
        }

        /** @param priority 0 (lowest) to 9 */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder idempotencyKey(String key) {
            this.idempotencyKey = key;
            return this;
        }

        /** Runs the job after the jobs of the same key with lower numbers. */
        public Builder sequence(String key, long number) {
            this.sequenceKey = key;
            this.sequenceNumber = number;
            return this;
        }

        public Builder callback(URI url) {
            this.callbackUrl = url;
            return this;
        }

        /** @param jndiName a queue the worker can send to, such as {@code jms/worker/replies} */
        public Builder replyTo(String jndiName) {
            this.replyQueue = jndiName;
            return this;
        }

        /** Runs the job at this time at the earliest; until then it waits SCHEDULED. */
        public Builder runAt(Instant time) {
            this.runAt = time;
            this.delay = null;
            return this;
        }

        /** Runs the job this long after it is enqueued at the earliest; until then it waits SCHEDULED. */
        public Builder delay(Duration wait) {
            this.delay = wait;
            this.runAt = null;
            return this;
        }

        /**
         * Never runs the job at the same time as another job of the same key, on any server: it
         * waits QUEUED while one of its key is RUNNING (from its claim until its outcome is
         * recorded). Jobs of one key still run in priority and arrival order, but a sequence is
         * the way to make that order strict.
         *
         * @param key 1 to 200 characters, such as {@code "account-42"}
         */
        public Builder mutex(String key) {
            this.mutex = key;
            return this;
        }

        /** @throws IllegalArgumentException if the delay is negative */
        public JobSpec build() {
            return new JobSpec(type, payload, priority, idempotencyKey, sequenceKey, sequenceNumber, callbackUrl, replyQueue, runAt, delay, mutex);
        }
    }
}
