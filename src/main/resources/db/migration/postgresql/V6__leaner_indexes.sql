-- Fewer index entries per job (postgresql). Keep in step with derby/V6__leaner_indexes.sql.
-- A job's row is updated twice on its way (started, finished), and as each update changes its
-- state, PostgreSQL writes a new entry for the new row version into every index of the table.

-- The owner index goes. Every outcome is written WHERE id = ? AND owner = ? AND state = 'RUNNING'
-- (fenced by its owner), and the planner, offered both, read it through (owner, state) rather
-- than the primary key: each job's RUNNING row versions leave dead entries under (owner,
-- 'RUNNING') until a vacuum, so every outcome stepped over the dead entries of all the jobs its
-- server had run before. Only lease renewals and recovery look jobs up by owner, a few times a
-- minute; they read the RUNNING jobs through the claim index.
DROP INDEX worker_job_owner;

-- Most jobs have no JMS message id, no idempotency key, no sequence, and are not finished yet:
-- partial indexes hold entries only for rows that have one, instead of an entry for each null
-- of each row version. Uniqueness is the same (nulls never collided), and so are the look-ups,
-- which all ask for a value.
ALTER TABLE worker_job DROP CONSTRAINT worker_job_message_uq;
CREATE UNIQUE INDEX worker_job_message_uq ON worker_job (message_id) WHERE message_id IS NOT NULL;
ALTER TABLE worker_job DROP CONSTRAINT worker_job_idempotency_uq;
CREATE UNIQUE INDEX worker_job_idempotency_uq ON worker_job (idempotency_key) WHERE idempotency_key IS NOT NULL;
ALTER TABLE worker_job DROP CONSTRAINT worker_job_sequence_uq;
CREATE UNIQUE INDEX worker_job_sequence_uq ON worker_job (sequence_key, sequence_number) WHERE sequence_key IS NOT NULL;
DROP INDEX worker_job_finished;
CREATE INDEX worker_job_finished ON worker_job (finished_at, state) WHERE finished_at IS NOT NULL;
