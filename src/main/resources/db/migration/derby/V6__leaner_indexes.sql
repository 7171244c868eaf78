-- Fewer index entries per job (derby). Keep in step with postgresql/V6__leaner_indexes.sql.
-- The owner index goes: outcomes, fenced WHERE id = ? AND owner = ? AND state = 'RUNNING', must
-- find their row by the primary key, and only lease renewals and recovery look jobs up by
-- owner, a few times a minute, through the claim index. (PostgreSQL also makes its indexes of
-- optional columns partial; Derby has no partial indexes.)
DROP INDEX worker_job_owner;
