-- The staffing ledger (biên chế) per unit, and reduction targets (PostgreSQL). Each figure is
-- keyed so that entering it again replaces it: a quota per unit, year and ledger line; a
-- headcount per unit, day and line; leadership posts per unit and day. Secondments and
-- leavers are rows of their own (several per period are normal).

CREATE TABLE staffing_quotas (
    id                BIGSERIAL PRIMARY KEY,
    unit_id           BIGINT NOT NULL REFERENCES units(id),
    year              BIGINT NOT NULL,
    category          TEXT NOT NULL CHECK (category IN ('civil_servant','public_employee','contract')),
    state_budget_paid BOOLEAN NOT NULL,
    count             BIGINT NOT NULL CHECK (count >= 0),
    decision          TEXT NOT NULL,
    recorded_at       TIMESTAMPTZ NOT NULL,
    recorded_by       BIGINT,
    UNIQUE (unit_id, year, category, state_budget_paid)
);

CREATE TABLE staffing_headcounts (
    id                BIGSERIAL PRIMARY KEY,
    unit_id           BIGINT NOT NULL REFERENCES units(id),
    on_date           DATE NOT NULL,
    category          TEXT NOT NULL CHECK (category IN ('civil_servant','public_employee','contract')),
    state_budget_paid BOOLEAN NOT NULL,
    count             BIGINT NOT NULL CHECK (count >= 0),
    recorded_at       TIMESTAMPTZ NOT NULL,
    recorded_by       BIGINT,
    UNIQUE (unit_id, on_date, category, state_budget_paid)
);

CREATE TABLE staffing_leadership (
    id          BIGSERIAL PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    on_date     DATE NOT NULL,
    heads       BIGINT NOT NULL CHECK (heads >= 0),
    deputies    BIGINT NOT NULL CHECK (deputies >= 0),
    deputy_cap  BIGINT CHECK (deputy_cap >= 0),
    recorded_at TIMESTAMPTZ NOT NULL,
    recorded_by BIGINT,
    UNIQUE (unit_id, on_date)
);

CREATE TABLE staffing_secondments (
    id          BIGSERIAL PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    from_date   DATE NOT NULL,
    to_date     DATE,
    people      BIGINT NOT NULL CHECK (people >= 0),
    note        TEXT,
    recorded_at TIMESTAMPTZ NOT NULL,
    recorded_by BIGINT
);
CREATE INDEX staffing_secondments_unit ON staffing_secondments(unit_id, from_date);

CREATE TABLE staffing_leavers (
    id          BIGSERIAL PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    period_from DATE NOT NULL,
    period_to   DATE NOT NULL,
    reason      TEXT NOT NULL CHECK (reason IN ('early_retirement','resignation','other')),
    policy      TEXT NOT NULL,
    people      BIGINT NOT NULL CHECK (people >= 0),
    recorded_at TIMESTAMPTZ NOT NULL,
    recorded_by BIGINT
);
CREATE INDEX staffing_leavers_unit ON staffing_leavers(unit_id, period_from);

-- A reduction target: scope is a JSON list of unit ids (empty: every unit of the province),
-- categories a comma-separated list of staff categories.
CREATE TABLE staffing_targets (
    id                     BIGSERIAL PRIMARY KEY,
    province_id            BIGINT NOT NULL REFERENCES units(id),
    plan_id                BIGINT REFERENCES plans(id),
    title                  TEXT NOT NULL,
    percent                DOUBLE PRECISION NOT NULL,
    direction              TEXT NOT NULL CHECK (direction IN ('decrease','increase','cap')),
    categories             TEXT NOT NULL,
    state_budget_paid_only BOOLEAN NOT NULL,
    baseline_year          BIGINT NOT NULL,
    deadline               DATE,
    scope_json             TEXT NOT NULL DEFAULT '[]',
    created_at             TIMESTAMPTZ NOT NULL,
    created_by             BIGINT
);
CREATE INDEX staffing_targets_province ON staffing_targets(province_id);
