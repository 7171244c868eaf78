-- Holds an operator puts on the whole fleet or on one job type (PUT /api/fleet/freeze) (postgresql).
-- Keep in step with derby/V14__holds.sql. Every server reads this table about twice a second
-- (role/control/FleetHolds): a row whose scope is '*' freezes every server as worker.freeze does;
-- any other scope is a job type that no server claims while the row holds. A hold with an
-- until_at lifts itself then; a lapsed row is deleted by the next change of the holds.
CREATE TABLE worker_hold (
    scope     VARCHAR(200)   NOT NULL,
    held_by   VARCHAR(200)   NOT NULL,
    reason    VARCHAR(1000),
    held_at   TIMESTAMPTZ    NOT NULL,
    until_at  TIMESTAMPTZ,
    CONSTRAINT worker_hold_pk PRIMARY KEY (scope)
);
