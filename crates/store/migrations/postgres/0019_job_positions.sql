-- Job positions (vị trí việc làm) of a unit (PostgreSQL): title, group, rank, the people the
-- position needs and, when there is one, the deciding document. Positions carried to a successor
-- by a restructuring event name it.
CREATE TABLE job_positions (
    id             BIGSERIAL PRIMARY KEY,
    unit_id        BIGINT NOT NULL REFERENCES units(id),
    title          TEXT NOT NULL CHECK (length(trim(title)) > 0),
    position_group TEXT NOT NULL CHECK (position_group IN ('leadership','professional','support')),
    rank           TEXT,
    people         BIGINT NOT NULL CHECK (people >= 0),
    decision       TEXT,
    event_id       BIGINT REFERENCES restructuring_events(id),
    recorded_at    TIMESTAMPTZ NOT NULL,
    recorded_by    BIGINT
);
CREATE INDEX job_positions_unit ON job_positions(unit_id);
