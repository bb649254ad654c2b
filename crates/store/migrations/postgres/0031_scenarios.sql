-- Scenarios (phương án sắp xếp): a named draft set of restructuring events for a province.
-- Draft events are kept as the monitor's forms here, not as rows of `restructuring_events`,
-- so the daily job never applies them and as-of queries never see them. Applying a scenario
-- records its events with the scenario's deciding document, links each draft to the event it
-- became, and marks the scenario applied.
CREATE TABLE scenarios (
    id              BIGSERIAL PRIMARY KEY,
    province_id     BIGINT NOT NULL REFERENCES units(id),
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    note            TEXT,
    created_by      BIGINT,
    created_at      TIMESTAMPTZ NOT NULL,
    applied_at      TIMESTAMPTZ,
    applied_by      BIGINT,
    decision        TEXT,
    decision_date   DATE,
    decision_issuer TEXT
);
CREATE INDEX scenarios_province ON scenarios(province_id, id);

CREATE TABLE scenario_events (
    id          BIGSERIAL PRIMARY KEY,
    scenario_id BIGINT NOT NULL REFERENCES scenarios(id),
    form_json   TEXT NOT NULL,
    event_id    BIGINT REFERENCES restructuring_events(id),
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX scenario_events_scenario ON scenario_events(scenario_id, id);
