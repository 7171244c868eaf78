-- Mutual exclusion by key (derby). Keep in step with postgresql/V15__job_mutexes.sql.
-- Jobs with one mutex key never run at once: a claim passes over a job whose key has a RUNNING
-- job (ClaimStrategy), found through this index. Derby has one server, whose dispatcher
-- serializes claims; it has no partial indexes, so no unique index backs the rule here.
ALTER TABLE worker_job ADD COLUMN mutex_key VARCHAR(200);
CREATE INDEX worker_job_mutex ON worker_job (mutex_key, state);
