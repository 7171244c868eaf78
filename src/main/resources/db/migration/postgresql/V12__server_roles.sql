-- Servers by job type (postgresql). Keep in step with derby/V12__server_roles.sql.
-- Each heartbeat says what the server is deployed as: its role (worker.role), the WAR's version,
-- and the job types it runs (its handlers', narrowed by worker.types.include and .exclude), so
-- that every server can tell which types some live server runs: the intake accepts those, and a
-- queued job of another type says it waits for one. Rows written before this migration (by a
-- server of an older version, still beating during an upgrade) read as the default role and an
-- unknown version, with no types.
ALTER TABLE worker_server ADD COLUMN role VARCHAR(40) DEFAULT 'worker' NOT NULL;
ALTER TABLE worker_server ADD COLUMN version VARCHAR(100) DEFAULT 'unknown' NOT NULL;

-- The types of each server, one row each: a server rewrites its own only when they change (an
-- edit of its include or exclude list, a script added or removed), not at every beat. They go
-- with their server's row when it is pruned (a day after its last beat).
CREATE TABLE worker_server_type (
    server_id VARCHAR(200)  NOT NULL,
    type      VARCHAR(100)  NOT NULL,
    CONSTRAINT worker_server_type_pk PRIMARY KEY (server_id, type),
    CONSTRAINT worker_server_type_server_fk FOREIGN KEY (server_id) REFERENCES worker_server (server_id) ON DELETE CASCADE
);
