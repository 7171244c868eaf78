-- Ordered jobs (derby). Keep in step with postgresql/V3__job_sequences.sql.
-- Jobs with a sequence run in number order per key; one (key, number) is one job, so a second
-- message with the same key and number is a duplicate of the first.
ALTER TABLE worker_job ADD COLUMN sequence_key VARCHAR(200);
ALTER TABLE worker_job ADD COLUMN sequence_number BIGINT;
ALTER TABLE worker_job ADD CONSTRAINT worker_job_sequence_uq UNIQUE (sequence_key, sequence_number);
