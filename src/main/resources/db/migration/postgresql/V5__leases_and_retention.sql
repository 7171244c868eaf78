-- Cluster-wide leases and the pruning of finished jobs (postgresql). Keep in step with
-- derby/V5__leases_and_retention.sql.
-- A lease names a piece of work that one server at a time does (pruning, singleton tasks): the
-- row's owner holds it until lease_until, renews it while it works, and any server takes it over
-- once it has lapsed. acquired_at is when the current owner took it (a renewal keeps it).
CREATE TABLE worker_lease (
    name        VARCHAR(200)  NOT NULL,
    owner       VARCHAR(200)  NOT NULL,
    lease_until TIMESTAMPTZ   NOT NULL,
    acquired_at TIMESTAMPTZ   NOT NULL,
    CONSTRAINT worker_lease_pk PRIMARY KEY (name)
);

-- Retention: finished jobs, oldest first, read a batch at a time. finished_at leads so that no
-- query of one state (the claim's state = 'QUEUED') is offered this index instead of its own:
-- with state first, Derby at times read the queued backlog through it and sorted it.
CREATE INDEX worker_job_finished ON worker_job (finished_at, state);
