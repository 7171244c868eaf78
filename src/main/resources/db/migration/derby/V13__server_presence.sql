-- Each server's presence lock (derby). Keep in step with postgresql/V13__server_presence.sql.
-- Unused on Derby, a single server's job store with no advisory locks: there a running job is
-- taken back by its lease alone. The table is here so that both schemas stay the same.
-- On PostgreSQL a server holds a session advisory lock of its own while it lives
-- (platform.ServerPresence), whose key lock_key is given out here once per server id.
CREATE TABLE worker_presence (
    server_id     VARCHAR(200)  NOT NULL,
    lock_key      INT           GENERATED ALWAYS AS IDENTITY,
    registered_at TIMESTAMP     NOT NULL,
    CONSTRAINT worker_presence_pk PRIMARY KEY (server_id),
    CONSTRAINT worker_presence_key_uq UNIQUE (lock_key)
);
