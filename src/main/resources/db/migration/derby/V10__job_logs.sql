-- What job handlers write through JobLog (derby). Keep in step with postgresql/V10__job_logs.sql.
-- Each job keeps its last worker.jobs.logLines lines; they go with the job when retention deletes
-- it (ON DELETE CASCADE). A job that logs nothing has no rows: the jobs' hot paths never touch this table.
CREATE TABLE worker_job_log (
    seq        BIGINT        GENERATED ALWAYS AS IDENTITY,
    job_id     VARCHAR(36)   NOT NULL,
    attempt    INT           NOT NULL,
    logged_at  TIMESTAMP     NOT NULL,
    level      VARCHAR(8)    NOT NULL,
    message    VARCHAR(4000) NOT NULL,
    CONSTRAINT worker_job_log_pk PRIMARY KEY (seq),
    CONSTRAINT worker_job_log_job_fk FOREIGN KEY (job_id) REFERENCES worker_job (id) ON DELETE CASCADE
);
CREATE INDEX worker_job_log_job ON worker_job_log (job_id, seq);
