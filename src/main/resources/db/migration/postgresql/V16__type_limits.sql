-- Fleet-wide limits per job type (worker.limits.TYPE.*, PUT /api/fleet/limits/{type}) (postgresql).
-- Keep in step with derby/V16__type_limits.sql. One row per limited type, locked by every claim
-- of the type (jobs/control/store/TypeLimitStore), so that claims of a limited type take turns
-- across the fleet: concurrency and per_second are the API's values (NULL: none set over the
-- API; server.xml's apply), set_by and set_at who set them and when; tokens and refilled_at are
-- the type's token bucket (its starts per second). The permits of a type are its RUNNING jobs,
-- counted in worker_job: none is kept here, so none can leak when a server dies.
CREATE TABLE worker_type_limit (
    type         VARCHAR(200)   NOT NULL,
    concurrency  INTEGER,
    per_second   DOUBLE PRECISION,
    set_by       VARCHAR(200),
    set_at       TIMESTAMPTZ,
    tokens       DOUBLE PRECISION   NOT NULL,
    refilled_at  TIMESTAMPTZ      NOT NULL,
    CONSTRAINT worker_type_limit_pk PRIMARY KEY (type)
);
