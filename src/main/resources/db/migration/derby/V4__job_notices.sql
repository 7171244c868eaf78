-- Notices of finished jobs (derby). Keep in step with postgresql/V4__job_notices.sql.
-- What a finished job owes its requester (a reply message, an HTTP callback, a dead-letter copy)
-- is written in the transaction that finishes the job, and deleted once sent: a server that dies
-- before sending leaves the row, and any server sends it once due_at has passed.
CREATE TABLE worker_notice (
    job_id      VARCHAR(36)   NOT NULL,
    channel     VARCHAR(16)   NOT NULL,
    attempts    INT           NOT NULL,
    due_at      TIMESTAMP     NOT NULL,
    last_error  VARCHAR(4000),
    CONSTRAINT worker_notice_pk PRIMARY KEY (job_id, channel),
    CONSTRAINT worker_notice_job_fk FOREIGN KEY (job_id) REFERENCES worker_job (id) ON DELETE CASCADE
);
CREATE INDEX worker_notice_due ON worker_notice (due_at);
