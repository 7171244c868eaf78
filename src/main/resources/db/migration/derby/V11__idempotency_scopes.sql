-- Idempotency keys belong to their caller (derby). Keep in step with postgresql/V11__idempotency_scopes.sql.
-- A key is unique within its scope only: the way in and the caller it authenticated ('http:alice',
-- 'jms:alice', 'code'; see platform.security.IdempotencyScope), so that one caller's key never
-- finds, nor blocks, another caller's job or run. A row has a scope exactly when it has a key.
--
-- Existing rows: the worker's own keys keep working (a storage trigger's 'storage', a pipeline's
-- step keys 'pipeline', as the worker records them from now on), so that a file already taken or
-- a step already started is not started again. Nothing recorded who sent a key of HTTP, JMS or
-- code, so those rows go to 'unattributed', a scope no caller has: nobody's new key finds them
-- (a retry that straddles the upgrade makes a new job or run) and none of them is revealed.
ALTER TABLE worker_job ADD COLUMN idempotency_scope VARCHAR(200);
UPDATE worker_job SET idempotency_scope = CASE source WHEN 'STORAGE' THEN 'storage' WHEN 'PIPELINE' THEN 'pipeline'
    ELSE 'unattributed' END WHERE idempotency_key IS NOT NULL;
-- Key first: the listing's filter by key alone (GET /api/jobs?idempotencyKey=) reads this index too.
-- Derby's UNIQUE compares only rows whose columns are all non-null: jobs without a key never collide.
ALTER TABLE worker_job DROP CONSTRAINT worker_job_idempotency_uq;
ALTER TABLE worker_job ADD CONSTRAINT worker_job_idempotency_uq UNIQUE (idempotency_key, idempotency_scope);
ALTER TABLE worker_job ADD CONSTRAINT worker_job_idempotency_scoped
    CHECK (idempotency_key IS NULL OR idempotency_scope IS NOT NULL);

ALTER TABLE worker_pipeline_run ADD COLUMN idempotency_scope VARCHAR(200);
UPDATE worker_pipeline_run SET idempotency_scope = 'unattributed' WHERE idempotency_key IS NOT NULL;
ALTER TABLE worker_pipeline_run DROP CONSTRAINT worker_pipeline_run_idempotency_uq;
ALTER TABLE worker_pipeline_run ADD CONSTRAINT worker_pipeline_run_idempotency_uq UNIQUE (idempotency_key, idempotency_scope);
ALTER TABLE worker_pipeline_run ADD CONSTRAINT worker_pipeline_run_idempotency_scoped
    CHECK (idempotency_key IS NULL OR idempotency_scope IS NOT NULL);
