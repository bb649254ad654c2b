-- The staffing ledger (biên chế) per unit, and reduction targets (SQLite). Each figure is
-- keyed so that entering it again replaces it: a quota per unit, year and ledger line; a
-- headcount per unit, day and line; leadership posts per unit and day. Secondments and
-- leavers are rows of their own (several per period are normal).

CREATE TABLE staffing_quotas (
    id                INTEGER PRIMARY KEY,
    unit_id           INTEGER NOT NULL REFERENCES units(id),
    year              INTEGER NOT NULL,
    category          TEXT NOT NULL CHECK (category IN ('civil_servant','public_employee','contract')),
    state_budget_paid INTEGER NOT NULL,
    count             INTEGER NOT NULL CHECK (count >= 0),
    decision          TEXT NOT NULL,
    recorded_at       TEXT NOT NULL,
    recorded_by       INTEGER,
    UNIQUE (unit_id, year, category, state_budget_paid)
);

CREATE TABLE staffing_headcounts (
    id                INTEGER PRIMARY KEY,
    unit_id           INTEGER NOT NULL REFERENCES units(id),
    on_date           TEXT NOT NULL,
    category          TEXT NOT NULL CHECK (category IN ('civil_servant','public_employee','contract')),
    state_budget_paid INTEGER NOT NULL,
    count             INTEGER NOT NULL CHECK (count >= 0),
    recorded_at       TEXT NOT NULL,
    recorded_by       INTEGER,
    UNIQUE (unit_id, on_date, category, state_budget_paid)
);

CREATE TABLE staffing_leadership (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    on_date     TEXT NOT NULL,
    heads       INTEGER NOT NULL CHECK (heads >= 0),
    deputies    INTEGER NOT NULL CHECK (deputies >= 0),
    deputy_cap  INTEGER CHECK (deputy_cap >= 0),
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER,
    UNIQUE (unit_id, on_date)
);

CREATE TABLE staffing_secondments (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    from_date   TEXT NOT NULL,
    to_date     TEXT,
    people      INTEGER NOT NULL CHECK (people >= 0),
    note        TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER
);
CREATE INDEX staffing_secondments_unit ON staffing_secondments(unit_id, from_date);

CREATE TABLE staffing_leavers (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (reason IN ('early_retirement','resignation','other')),
    policy      TEXT NOT NULL,
    people      INTEGER NOT NULL CHECK (people >= 0),
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER
);
CREATE INDEX staffing_leavers_unit ON staffing_leavers(unit_id, period_from);

-- A reduction target: scope is a JSON list of unit ids (empty: every unit of the province),
-- categories a comma-separated list of staff categories.
CREATE TABLE staffing_targets (
    id                     INTEGER PRIMARY KEY,
    province_id            INTEGER NOT NULL REFERENCES units(id),
    plan_id                INTEGER REFERENCES plans(id),
    title                  TEXT NOT NULL,
    percent                REAL NOT NULL,
    direction              TEXT NOT NULL CHECK (direction IN ('decrease','increase','cap')),
    categories             TEXT NOT NULL,
    state_budget_paid_only INTEGER NOT NULL,
    baseline_year          INTEGER NOT NULL,
    deadline               TEXT,
    scope_json             TEXT NOT NULL DEFAULT '[]',
    created_at             TEXT NOT NULL,
    created_by             INTEGER
);
CREATE INDEX staffing_targets_province ON staffing_targets(province_id);
