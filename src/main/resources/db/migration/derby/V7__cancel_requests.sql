-- Cancelling a running job (derby). Keep in step with postgresql/V7__cancel_requests.sql.
-- A waiting job is cancelled at once; a running one is only asked to stop: the request is kept
-- here, so that the server running it (any server) sees it at its next lease renewal, tells the
-- handler, and records the job CANCELLED when the handler returns.
ALTER TABLE worker_job ADD COLUMN cancel_requested_at TIMESTAMP;
