-- Dashboard count cache, shared by every instance through the database (no process memory).
-- `dash_generations`: one counter per province (0 = assignments without a province), bumped
-- by every transaction that rewrites class intervals (crate::intervals::write_intervals),
-- i.e. every write that can change a count, a list or a due date the dashboards show.
CREATE TABLE dash_generations (
    province_key BIGINT PRIMARY KEY,
    generation   BIGINT NOT NULL
);
-- One computed dashboard per (scope, day): counts by unit and class, the first lines of the
-- overdue and due-soon lists (ids) with their totals, and the generation of its province when
-- the computation started. A row whose generation is behind the counter is recomputed.
CREATE TABLE dash_cache (
    scope_kind   TEXT NOT NULL CHECK (scope_kind IN ('province', 'plan')),
    scope_id     BIGINT NOT NULL,
    day          DATE NOT NULL,
    province_key BIGINT NOT NULL,
    generation   BIGINT NOT NULL,
    payload      TEXT NOT NULL,
    computed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope_kind, scope_id, day)
);
-- Pruning the rows of a province left behind by a newer generation.
CREATE INDEX dash_cache_province_generation ON dash_cache(province_key, generation);
-- The due-within-7-days lists of a province and of a plan: a due range inside the scope
-- (before: the due range over every province, then filtered).
CREATE INDEX assignments_province_due ON assignments(province_id, due);
CREATE INDEX assignments_plan_due ON assignments(plan_id, due);
-- The dashboard's plan picker: the most recently published plans of a province, and a
-- lookup by plan number, without reading every plan of the province.
CREATE INDEX plans_province_state_published ON plans(province_id, state, published_at);
CREATE INDEX plans_province_number ON plans(province_id, number);
