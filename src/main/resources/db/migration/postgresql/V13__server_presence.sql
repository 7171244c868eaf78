-- Each server's presence lock (postgresql). Keep in step with derby/V13__server_presence.sql.
-- A server of a PostgreSQL job store holds a session advisory lock of its own while it lives
-- (platform.ServerPresence); PostgreSQL frees it the moment the server's session ends, so the
-- others can take over its running jobs at once instead of waiting for their leases to lapse.
-- lock_key is the lock's key, given out here once per server id: an identity, so that no two
-- servers ever share a key (a hash of their ids might). A row is also a promise: its server holds
-- its lock while it lives. A server that takes over by lease only (worker.takeover=lease) has no
-- row, and nor has a server of an earlier version: a lock nobody holds means nothing for them.
CREATE TABLE worker_presence (
    server_id     VARCHAR(200)  NOT NULL,
    lock_key      INT           GENERATED ALWAYS AS IDENTITY,
    registered_at TIMESTAMPTZ   NOT NULL,
    CONSTRAINT worker_presence_pk PRIMARY KEY (server_id),
    CONSTRAINT worker_presence_key_uq UNIQUE (lock_key)
);
