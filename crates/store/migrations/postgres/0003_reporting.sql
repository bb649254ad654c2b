-- Periodic reporting (PostgreSQL): a plan's reporting schedule, one report request per unit
-- and period, and the agency reports submitted against a request. A submitted report is
-- frozen: a correction is a new version that supersedes it, and every version is kept.

CREATE TABLE report_schedules (
    id           BIGSERIAL PRIMARY KEY,
    plan_id      BIGINT NOT NULL REFERENCES plans(id),
    period_kind  TEXT NOT NULL CHECK (period_kind IN ('monthly','quarterly','half_yearly','yearly','ad_hoc')),
    -- Day of the last month of the period the data is taken at (0 or past the month's end: its last day).
    cutoff_day   INTEGER NOT NULL CHECK (cutoff_day BETWEEN 0 AND 31),
    -- Days after the cut-off the agencies' reports are due.
    due_days     INTEGER NOT NULL CHECK (due_days BETWEEN 0 AND 90),
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_by   BIGINT,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX report_schedules_plan ON report_schedules(plan_id);

CREATE TABLE report_requests (
    id            BIGSERIAL PRIMARY KEY,
    plan_id       BIGINT NOT NULL REFERENCES plans(id),
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    schedule_id   BIGINT REFERENCES report_schedules(id),
    period_kind   TEXT NOT NULL,
    period_label  TEXT NOT NULL,
    period_start  DATE NOT NULL,
    period_end    DATE NOT NULL,
    cutoff        DATE NOT NULL,
    due           DATE NOT NULL,
    state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','submitted')),
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (plan_id, unit_id, period_start, period_end, cutoff)
);
CREATE INDEX report_requests_plan_cutoff ON report_requests(plan_id, cutoff);
CREATE INDEX report_requests_unit ON report_requests(unit_id, state);

CREATE TABLE agency_reports (
    id             BIGSERIAL PRIMARY KEY,
    request_id     BIGINT NOT NULL REFERENCES report_requests(id),
    version        INTEGER NOT NULL,
    author_id      BIGINT,
    submitted_at   TIMESTAMPTZ NOT NULL,
    content_json   TEXT NOT NULL,
    superseded_by  BIGINT REFERENCES agency_reports(id),
    UNIQUE (request_id, version)
);

-- Frozen means frozen even for a hand-written UPDATE: only the link to the next version may be set, once.
CREATE FUNCTION agency_reports_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'agency report is frozen';
    END IF;
    IF NEW.content_json IS DISTINCT FROM OLD.content_json OR NEW.submitted_at IS DISTINCT FROM OLD.submitted_at
       OR NEW.version IS DISTINCT FROM OLD.version OR NEW.request_id IS DISTINCT FROM OLD.request_id
       OR NEW.author_id IS DISTINCT FROM OLD.author_id OR OLD.superseded_by IS NOT NULL THEN
        RAISE EXCEPTION 'agency report is frozen';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER agency_reports_frozen BEFORE UPDATE OR DELETE ON agency_reports
    FOR EACH ROW EXECUTE FUNCTION agency_reports_frozen();
