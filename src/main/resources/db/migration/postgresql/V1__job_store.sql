-- The job store (PostgreSQL). Keep in step with derby/V1__job_store.sql.
CREATE TABLE worker_job (
    id              VARCHAR(36)   NOT NULL,
    seq             BIGINT        GENERATED ALWAYS AS IDENTITY,
    type            VARCHAR(100)  NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    priority        SMALLINT      NOT NULL,
    source          VARCHAR(16)   NOT NULL,
    payload         TEXT,
    result          TEXT,
    error           VARCHAR(4000),
    progress        SMALLINT      NOT NULL DEFAULT 0,
    checkpoint      TEXT,
    attempts        INT           NOT NULL DEFAULT 0,
    max_attempts    INT           NOT NULL,
    idempotency_key VARCHAR(200),
    message_id      VARCHAR(200),
    correlation_id  VARCHAR(200),
    reply_to        VARCHAR(500),
    callback_url    VARCHAR(2000),
    owner           VARCHAR(200),
    lease_until     TIMESTAMPTZ,
    run_after       TIMESTAMPTZ   NOT NULL,
    enqueued_at     TIMESTAMPTZ   NOT NULL,
    created_at      TIMESTAMPTZ   NOT NULL,
    started_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ   NOT NULL,
    CONSTRAINT worker_job_pk PRIMARY KEY (id),
    CONSTRAINT worker_job_seq_uq UNIQUE (seq),
    CONSTRAINT worker_job_idempotency_uq UNIQUE (idempotency_key),
    CONSTRAINT worker_job_message_uq UNIQUE (message_id)
);

-- Claims: runnable jobs by priority, then age.
CREATE INDEX worker_job_claim ON worker_job (state, priority DESC, seq);
CREATE INDEX worker_job_owner ON worker_job (owner, state);
CREATE INDEX worker_job_type ON worker_job (type, seq);

CREATE TABLE worker_job_event (
    seq     BIGINT        GENERATED ALWAYS AS IDENTITY,
    job_id  VARCHAR(36)   NOT NULL,
    state   VARCHAR(16)   NOT NULL,
    entered_at TIMESTAMPTZ   NOT NULL,
    detail  VARCHAR(4000),
    CONSTRAINT worker_job_event_pk PRIMARY KEY (seq)
);
CREATE INDEX worker_job_event_job ON worker_job_event (job_id, seq);
