-- Each server's heartbeat (derby). Keep in step with postgresql/V9__servers.sql.
-- Every server writes its own row every third of worker.lease (what it is doing, how busy it
-- is); GET /api/servers reads them all, and shows a server whose last_seen is older than the
-- lease as gone. Rows not seen for a day are deleted: a server's name changes with each new
-- container, and the table would otherwise keep every one for ever.
CREATE TABLE worker_server (
    server_id   VARCHAR(200)  NOT NULL,
    host        VARCHAR(255)  NOT NULL,
    started_at  TIMESTAMP     NOT NULL,
    last_seen   TIMESTAMP     NOT NULL,
    phase       VARCHAR(16)   NOT NULL,
    frozen      BOOLEAN       NOT NULL,
    running     INT           NOT NULL,
    concurrency INT           NOT NULL,
    CONSTRAINT worker_server_pk PRIMARY KEY (server_id)
);
