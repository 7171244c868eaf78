-- Mutual exclusion by key (postgresql). Keep in step with derby/V15__job_mutexes.sql.
-- Jobs with one mutex key never run at once on any server: a claim passes over a job whose key
-- has a RUNNING job, found through worker_job_mutex (partial: most jobs have no key), and takes a
-- transaction advisory lock on a key before it starts a job of it (ClaimStrategy).
ALTER TABLE worker_job ADD COLUMN mutex_key VARCHAR(200);
CREATE INDEX worker_job_mutex ON worker_job (mutex_key, state) WHERE mutex_key IS NOT NULL;
-- The last line of defence: a bug in the claim then fails the claim instead of running two jobs
-- of one key at once.
CREATE UNIQUE INDEX worker_job_mutex_running ON worker_job (mutex_key) WHERE state = 'RUNNING' AND mutex_key IS NOT NULL;
