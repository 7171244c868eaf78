-- Schedules and the history of their firings (postgresql). Keep in step with derby/V2__schedules.sql.
CREATE TABLE worker_schedule (
    name          VARCHAR(200)  NOT NULL,
    kind          VARCHAR(16)   NOT NULL,
    cron          VARCHAR(200),
    time_zone     VARCHAR(64),
    every_ms      BIGINT,
    start_at      TIMESTAMPTZ,
    job_type      VARCHAR(100)  NOT NULL,
    payload       TEXT,
    priority      SMALLINT      NOT NULL,
    singleton     BOOLEAN       NOT NULL,
    missed_policy VARCHAR(16)   NOT NULL,
    origin        VARCHAR(16)   NOT NULL,
    paused        BOOLEAN       NOT NULL,
    version       BIGINT        NOT NULL,
    created_at    TIMESTAMPTZ     NOT NULL,
    updated_at    TIMESTAMPTZ     NOT NULL,
    CONSTRAINT worker_schedule_pk PRIMARY KEY (name)
);

-- One row per firing and scope ('*' for a singleton, else the server's id). The unique key is
-- the claim: of the servers that fire a singleton at one instant, one inserts the row (and the
-- job, in the same transaction); the others break the key and do nothing.
CREATE TABLE worker_schedule_firing (
    seq           BIGINT        GENERATED ALWAYS AS IDENTITY,
    schedule_name VARCHAR(200)  NOT NULL,
    scope         VARCHAR(200)  NOT NULL,
    scheduled_for TIMESTAMPTZ     NOT NULL,
    recorded_at   TIMESTAMPTZ     NOT NULL,
    outcome       VARCHAR(24)   NOT NULL,
    job_id        VARCHAR(36),
    server        VARCHAR(200)  NOT NULL,
    detail        VARCHAR(1000),
    CONSTRAINT worker_schedule_firing_pk PRIMARY KEY (seq),
    CONSTRAINT worker_schedule_firing_claim UNIQUE (schedule_name, scope, scheduled_for)
);
CREATE INDEX worker_schedule_firing_history ON worker_schedule_firing (schedule_name, seq);
