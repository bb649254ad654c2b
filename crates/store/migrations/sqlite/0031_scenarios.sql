-- Scenarios (phương án sắp xếp): a named draft set of restructuring events for a province.
-- Draft events are kept as the monitor's forms here, not as rows of `restructuring_events`,
-- so the daily job never applies them and as-of queries never see them. Applying a scenario
-- records its events with the scenario's deciding document, links each draft to the event it
-- became, and marks the scenario applied.
CREATE TABLE scenarios (
    id              INTEGER PRIMARY KEY,
    province_id     INTEGER NOT NULL REFERENCES units(id),
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    note            TEXT,
    created_by      INTEGER,
    created_at      TEXT NOT NULL,
    applied_at      TEXT,
    applied_by      INTEGER,
    decision        TEXT,
    decision_date   TEXT,
    decision_issuer TEXT
);
CREATE INDEX scenarios_province ON scenarios(province_id, id);

CREATE TABLE scenario_events (
    id          INTEGER PRIMARY KEY,
    scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
    form_json   TEXT NOT NULL,
    event_id    INTEGER REFERENCES restructuring_events(id),
    created_at  TEXT NOT NULL
);
CREATE INDEX scenario_events_scenario ON scenario_events(scenario_id, id);
