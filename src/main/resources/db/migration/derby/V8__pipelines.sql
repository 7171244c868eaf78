-- Pipelines (derby). Keep in step with postgresql/V8__pipelines.sql.

-- Pipelines posted as JSON (PUT /api/pipelines/NAME); those declared in code are not stored.
CREATE TABLE worker_pipeline (
    name        VARCHAR(100)  NOT NULL,
    definition  CLOB          NOT NULL,
    updated_at  TIMESTAMP   NOT NULL,
    CONSTRAINT worker_pipeline_pk PRIMARY KEY (name)
);

-- A run of a pipeline. Its definition is copied in, so that editing a pipeline never changes a
-- run under way. step/attempt name the forward step under way (attempt counts the restarts of a
-- step past its deadline); undo_list is the ordered ids of the succeeded jobs to compensate,
-- set once the run starts compensating and nothing of it runs any more; undo_next indexes it.
-- Every change to a run takes its row lock first (checked_at is set), so that the servers and
-- threads that move a run on do it one at a time.
CREATE TABLE worker_pipeline_run (
    id                  VARCHAR(36)   NOT NULL,
    seq                 BIGINT        GENERATED ALWAYS AS IDENTITY,
    pipeline            VARCHAR(100)  NOT NULL,
    definition          CLOB          NOT NULL,
    state               VARCHAR(24)   NOT NULL,
    step                INT           NOT NULL,
    attempt             INT           NOT NULL,
    payload             CLOB,
    result              CLOB,
    error               VARCHAR(4000),
    failed_step         VARCHAR(100),
    idempotency_key     VARCHAR(200),
    undo_list           CLOB,
    undo_next           INT           NOT NULL DEFAULT 0,
    step_deadline       TIMESTAMP,
    cancel_requested_at TIMESTAMP,
    checked_at          TIMESTAMP   NOT NULL,
    created_at          TIMESTAMP   NOT NULL,
    updated_at          TIMESTAMP   NOT NULL,
    finished_at         TIMESTAMP,
    CONSTRAINT worker_pipeline_run_pk PRIMARY KEY (id),
    CONSTRAINT worker_pipeline_run_seq_uq UNIQUE (seq),
    CONSTRAINT worker_pipeline_run_idempotency_uq UNIQUE (idempotency_key)
);
-- The supervisor's look at runs under way: the ones checked longest ago first.
CREATE INDEX worker_pipeline_run_active ON worker_pipeline_run (state, checked_at);
CREATE INDEX worker_pipeline_run_pipeline ON worker_pipeline_run (pipeline, seq);
-- Retention: ended runs, oldest first (the supervisor deletes them after worker.jobs.retention).
CREATE INDEX worker_pipeline_run_finished ON worker_pipeline_run (finished_at);

-- The jobs a run started: its steps' (one per branch of a fanned-out step, per attempt) and its
-- compensations' (undoes names the step's job that a compensation undoes).
CREATE TABLE worker_pipeline_job (
    job_id      VARCHAR(36)   NOT NULL,
    run_id      VARCHAR(36)   NOT NULL,
    step        INT           NOT NULL,
    branch      INT           NOT NULL,
    attempt     INT           NOT NULL,
    undoes      VARCHAR(36),
    CONSTRAINT worker_pipeline_job_pk PRIMARY KEY (job_id)
);
CREATE INDEX worker_pipeline_job_run ON worker_pipeline_job (run_id, step, branch);
