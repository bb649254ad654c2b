-- tinhgon core schema (PostgreSQL). Dates are DATE, timestamps TIMESTAMPTZ.
-- Only add columns in later migrations; never reshape these.

CREATE TABLE units (
    id            BIGSERIAL PRIMARY KEY,
    code          TEXT,
    name          TEXT NOT NULL,
    folded_name   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    register_kind TEXT,
    level         TEXT NOT NULL,
    parent_id     BIGINT REFERENCES units(id),
    province_id   BIGINT REFERENCES units(id),
    valid_from    DATE,
    valid_to      DATE,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX units_province_kind ON units(province_id, kind);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_folded_name ON units(folded_name);
CREATE INDEX units_code ON units(code);

CREATE TABLE unit_aliases (
    id           BIGSERIAL PRIMARY KEY,
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    alias        TEXT NOT NULL,
    folded_alias TEXT NOT NULL,
    UNIQUE (unit_id, folded_alias)
);
CREATE INDEX unit_aliases_folded ON unit_aliases(folded_alias);

CREATE TABLE restructuring_events (
    id          BIGSERIAL PRIMARY KEY,
    province_id BIGINT REFERENCES units(id),
    kind        TEXT NOT NULL CHECK (kind IN ('merge','consolidate','split','dissolve','rename','transfer')),
    decision    TEXT,
    effective   DATE NOT NULL,
    note        TEXT,
    applied_at  TIMESTAMPTZ,
    applied_by  BIGINT,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX restructuring_events_effective ON restructuring_events(province_id, effective);

CREATE TABLE event_predecessors (
    event_id BIGINT NOT NULL REFERENCES restructuring_events(id),
    unit_id  BIGINT NOT NULL REFERENCES units(id),
    -- Set when only part of the unit's functions moves ("chức năng giáo dục nghề nghiệp").
    partial  TEXT,
    PRIMARY KEY (event_id, unit_id)
);
CREATE INDEX event_predecessors_unit ON event_predecessors(unit_id);

CREATE TABLE event_successors (
    event_id BIGINT NOT NULL REFERENCES restructuring_events(id),
    unit_id  BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (event_id, unit_id)
);
CREATE INDEX event_successors_unit ON event_successors(unit_id);

CREATE TABLE plans (
    id               BIGSERIAL PRIMARY KEY,
    province_id      BIGINT REFERENCES units(id),
    number           TEXT,
    kind             TEXT,
    issuer           TEXT,
    issuer_unit_id   BIGINT REFERENCES units(id),
    place            TEXT,
    issued_on        DATE,
    title            TEXT,
    folded_title     TEXT,
    signer_json      TEXT,
    recipients_json  TEXT NOT NULL DEFAULT '[]',
    legal_bases_json TEXT NOT NULL DEFAULT '[]',
    monitor_unit_id  BIGINT REFERENCES units(id),
    parent_task_id   BIGINT,
    state            TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft','published','archived')),
    public           BOOLEAN NOT NULL DEFAULT FALSE,
    content_hash     TEXT,
    draft_json       TEXT NOT NULL,
    agency_map_json  TEXT NOT NULL DEFAULT '{}',
    source_text      TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    created_by       BIGINT,
    updated_at       TIMESTAMPTZ NOT NULL,
    published_at     TIMESTAMPTZ,
    published_by     BIGINT
);
CREATE UNIQUE INDEX plans_content_hash ON plans(COALESCE(province_id, 0), content_hash);
CREATE INDEX plans_province_state ON plans(province_id, state);
CREATE INDEX plans_parent_task ON plans(parent_task_id);

CREATE TABLE tasks (
    id               BIGSERIAL PRIMARY KEY,
    plan_id          BIGINT NOT NULL REFERENCES plans(id),
    position         BIGINT NOT NULL,
    ref              TEXT NOT NULL,
    content          TEXT NOT NULL,
    folded_content   TEXT NOT NULL,
    deadline_text    TEXT NOT NULL,
    deadline_kind    TEXT NOT NULL,
    due              DATE,
    due_precision    TEXT,
    period           TEXT,
    deadline_event   TEXT,
    deadline_start   DATE,
    deliverable      TEXT,
    triggered_on     DATE,
    -- Due date once triggered: the deadline's own date, else trigger + condition_days.
    triggered_due    DATE,
    condition_days   BIGINT,
    lead_json        TEXT NOT NULL DEFAULT '[]',
    source_layout    TEXT,
    line_start       BIGINT,
    line_end         BIGINT
);
CREATE INDEX tasks_plan ON tasks(plan_id, position);
ALTER TABLE plans ADD CONSTRAINT plans_parent_task_fk FOREIGN KEY (parent_task_id) REFERENCES tasks(id);

CREATE TABLE task_coordinators (
    id          BIGSERIAL PRIMARY KEY,
    task_id     BIGINT NOT NULL REFERENCES tasks(id),
    unit_id     BIGINT REFERENCES units(id),
    agency_text TEXT NOT NULL
);
CREATE INDEX task_coordinators_task ON task_coordinators(task_id);
CREATE INDEX task_coordinators_unit ON task_coordinators(unit_id);

CREATE TABLE assignments (
    id               BIGSERIAL PRIMARY KEY,
    task_id          BIGINT NOT NULL REFERENCES tasks(id),
    plan_id          BIGINT NOT NULL REFERENCES plans(id),
    province_id      BIGINT REFERENCES units(id),
    unit_id          BIGINT NOT NULL REFERENCES units(id),
    original_unit_id BIGINT NOT NULL REFERENCES units(id),
    via_group        TEXT,
    due              DATE,
    status           TEXT NOT NULL DEFAULT 'not_started'
        CHECK (status IN ('not_started','in_progress','completion_proposed','done','returned','cancelled')),
    created_at       TIMESTAMPTZ NOT NULL,
    done_at          TIMESTAMPTZ,
    done_on          DATE,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX assignments_unit_status ON assignments(unit_id, status);
CREATE INDEX assignments_task ON assignments(task_id);
CREATE INDEX assignments_plan ON assignments(plan_id, status);
CREATE INDEX assignments_province_status ON assignments(province_id, status);
CREATE INDEX assignments_unit_due ON assignments(unit_id, due);

-- Append-only history. `unit_id` is the unit responsible when the change was made, so history
-- stays attributed to a unit that later ceased. `on_date` is the calendar day in Vietnam.
CREATE TABLE status_changes (
    id            BIGSERIAL PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments(id),
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    from_status   TEXT,
    to_status     TEXT NOT NULL,
    actor_id      BIGINT,
    at            TIMESTAMPTZ NOT NULL,
    on_date       DATE NOT NULL,
    -- For a change to done: the day the work counted as completed (domain rule).
    completed_on  DATE,
    note          TEXT
);
CREATE INDEX status_changes_assignment_at ON status_changes(assignment_id, at);

CREATE TABLE assignment_reroutes (
    id            BIGSERIAL PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments(id),
    from_unit_id  BIGINT NOT NULL REFERENCES units(id),
    to_unit_id    BIGINT NOT NULL REFERENCES units(id),
    event_id      BIGINT REFERENCES restructuring_events(id),
    actor_id      BIGINT,
    at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX assignment_reroutes_assignment ON assignment_reroutes(assignment_id);
CREATE INDEX assignment_reroutes_from ON assignment_reroutes(from_unit_id);

CREATE TABLE progress_reports (
    id            BIGSERIAL PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments(id),
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    actor_id      BIGINT,
    at            TIMESTAMPTZ NOT NULL,
    percent       BIGINT CHECK (percent BETWEEN 0 AND 100),
    text          TEXT NOT NULL
);
CREATE INDEX progress_reports_assignment ON progress_reports(assignment_id, at);

CREATE TABLE evidence (
    id                 BIGSERIAL PRIMARY KEY,
    assignment_id      BIGINT NOT NULL REFERENCES assignments(id),
    progress_report_id BIGINT REFERENCES progress_reports(id),
    file_name          TEXT NOT NULL,
    media_type         TEXT NOT NULL,
    size_bytes         BIGINT NOT NULL,
    sha256             TEXT NOT NULL,
    storage_key        TEXT NOT NULL,
    uploaded_by        BIGINT,
    uploaded_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX evidence_assignment ON evidence(assignment_id);

CREATE TABLE extension_requests (
    id            BIGSERIAL PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments(id),
    requested_by  BIGINT,
    requested_at  TIMESTAMPTZ NOT NULL,
    old_due       DATE,
    new_due       DATE NOT NULL,
    reason        TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','approved','refused')),
    decided_by    BIGINT,
    decided_at    TIMESTAMPTZ,
    decision_note TEXT
);
CREATE INDEX extension_requests_assignment ON extension_requests(assignment_id);

CREATE TABLE obstacles (
    id            BIGSERIAL PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments(id),
    raised_by     BIGINT,
    raised_at     TIMESTAMPTZ NOT NULL,
    text          TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','answered')),
    answer        TEXT,
    answered_by   BIGINT,
    answered_at   TIMESTAMPTZ
);
CREATE INDEX obstacles_assignment ON obstacles(assignment_id);

-- Reminders are made by a job that every instance may run: the unique key makes each exactly once.
CREATE TABLE reminders (
    id            BIGSERIAL PRIMARY KEY,
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    assignment_id BIGINT REFERENCES assignments(id),
    kind          TEXT NOT NULL CHECK (kind IN ('due_in_7','due_in_1','overdue','urging')),
    for_date      DATE NOT NULL,
    message       TEXT NOT NULL,
    created_by    BIGINT,
    created_at    TIMESTAMPTZ NOT NULL,
    sent_at       TIMESTAMPTZ
);
CREATE UNIQUE INDEX reminders_once ON reminders(kind, COALESCE(assignment_id, 0), unit_id, for_date);
CREATE INDEX reminders_unit ON reminders(unit_id, created_at);

CREATE TABLE contributions (
    id       BIGSERIAL PRIMARY KEY,
    task_id  BIGINT NOT NULL REFERENCES tasks(id),
    unit_id  BIGINT NOT NULL REFERENCES units(id),
    actor_id BIGINT,
    at       TIMESTAMPTZ NOT NULL,
    text     TEXT NOT NULL
);
CREATE INDEX contributions_task ON contributions(task_id);
