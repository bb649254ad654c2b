-- tinhgon core schema (SQLite). Dates are ISO text (YYYY-MM-DD), timestamps RFC 3339 text in UTC.
-- Only add columns in later migrations; never reshape these.

CREATE TABLE units (
    id            INTEGER PRIMARY KEY,
    code          TEXT,
    name          TEXT NOT NULL,
    folded_name   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    register_kind TEXT,
    level         TEXT NOT NULL,
    parent_id     INTEGER REFERENCES units(id),
    province_id   INTEGER REFERENCES units(id),
    valid_from    TEXT,
    valid_to      TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX units_province_kind ON units(province_id, kind);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_folded_name ON units(folded_name);
CREATE INDEX units_code ON units(code);

CREATE TABLE unit_aliases (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    alias        TEXT NOT NULL,
    folded_alias TEXT NOT NULL,
    UNIQUE (unit_id, folded_alias)
);
CREATE INDEX unit_aliases_folded ON unit_aliases(folded_alias);

CREATE TABLE restructuring_events (
    id          INTEGER PRIMARY KEY,
    province_id INTEGER REFERENCES units(id),
    kind        TEXT NOT NULL CHECK (kind IN ('merge','consolidate','split','dissolve','rename','transfer')),
    decision    TEXT,
    effective   TEXT NOT NULL,
    note        TEXT,
    applied_at  TEXT,
    applied_by  INTEGER,
    created_at  TEXT NOT NULL
);
CREATE INDEX restructuring_events_effective ON restructuring_events(province_id, effective);

CREATE TABLE event_predecessors (
    event_id INTEGER NOT NULL REFERENCES restructuring_events(id),
    unit_id  INTEGER NOT NULL REFERENCES units(id),
    -- Set when only part of the unit's functions moves ("chức năng giáo dục nghề nghiệp").
    partial  TEXT,
    PRIMARY KEY (event_id, unit_id)
);
CREATE INDEX event_predecessors_unit ON event_predecessors(unit_id);

CREATE TABLE event_successors (
    event_id INTEGER NOT NULL REFERENCES restructuring_events(id),
    unit_id  INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (event_id, unit_id)
);
CREATE INDEX event_successors_unit ON event_successors(unit_id);

CREATE TABLE plans (
    id               INTEGER PRIMARY KEY,
    province_id      INTEGER REFERENCES units(id),
    number           TEXT,
    kind             TEXT,
    issuer           TEXT,
    issuer_unit_id   INTEGER REFERENCES units(id),
    place            TEXT,
    issued_on        TEXT,
    title            TEXT,
    folded_title     TEXT,
    signer_json      TEXT,
    recipients_json  TEXT NOT NULL DEFAULT '[]',
    legal_bases_json TEXT NOT NULL DEFAULT '[]',
    monitor_unit_id  INTEGER REFERENCES units(id),
    parent_task_id   INTEGER REFERENCES tasks(id),
    state            TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft','published','archived')),
    public           INTEGER NOT NULL DEFAULT 0,
    content_hash     TEXT,
    draft_json       TEXT NOT NULL,
    agency_map_json  TEXT NOT NULL DEFAULT '{}',
    source_text      TEXT,
    created_at       TEXT NOT NULL,
    created_by       INTEGER,
    updated_at       TEXT NOT NULL,
    published_at     TEXT,
    published_by     INTEGER
);
CREATE UNIQUE INDEX plans_content_hash ON plans(COALESCE(province_id, 0), content_hash);
CREATE INDEX plans_province_state ON plans(province_id, state);
CREATE INDEX plans_parent_task ON plans(parent_task_id);

CREATE TABLE tasks (
    id               INTEGER PRIMARY KEY,
    plan_id          INTEGER NOT NULL REFERENCES plans(id),
    position         INTEGER NOT NULL,
    ref              TEXT NOT NULL,
    content          TEXT NOT NULL,
    folded_content   TEXT NOT NULL,
    deadline_text    TEXT NOT NULL,
    deadline_kind    TEXT NOT NULL,
    due              TEXT,
    due_precision    TEXT,
    period           TEXT,
    deadline_event   TEXT,
    deadline_start   TEXT,
    deliverable      TEXT,
    triggered_on     TEXT,
    -- Due date once triggered: the deadline's own date, else trigger + condition_days.
    triggered_due    TEXT,
    condition_days   INTEGER,
    lead_json        TEXT NOT NULL DEFAULT '[]',
    source_layout    TEXT,
    line_start       INTEGER,
    line_end         INTEGER
);
CREATE INDEX tasks_plan ON tasks(plan_id, position);

CREATE TABLE task_coordinators (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks(id),
    unit_id     INTEGER REFERENCES units(id),
    agency_text TEXT NOT NULL
);
CREATE INDEX task_coordinators_task ON task_coordinators(task_id);
CREATE INDEX task_coordinators_unit ON task_coordinators(unit_id);

CREATE TABLE assignments (
    id               INTEGER PRIMARY KEY,
    task_id          INTEGER NOT NULL REFERENCES tasks(id),
    plan_id          INTEGER NOT NULL REFERENCES plans(id),
    province_id      INTEGER REFERENCES units(id),
    unit_id          INTEGER NOT NULL REFERENCES units(id),
    original_unit_id INTEGER NOT NULL REFERENCES units(id),
    via_group        TEXT,
    due              TEXT,
    status           TEXT NOT NULL DEFAULT 'not_started'
        CHECK (status IN ('not_started','in_progress','completion_proposed','done','returned','cancelled')),
    created_at       TEXT NOT NULL,
    done_at          TEXT,
    done_on          TEXT,
    updated_at       TEXT NOT NULL
);
CREATE INDEX assignments_unit_status ON assignments(unit_id, status);
CREATE INDEX assignments_task ON assignments(task_id);
CREATE INDEX assignments_plan ON assignments(plan_id, status);
CREATE INDEX assignments_province_status ON assignments(province_id, status);
CREATE INDEX assignments_unit_due ON assignments(unit_id, due);

-- Append-only history. `unit_id` is the unit responsible when the change was made, so history
-- stays attributed to a unit that later ceased. `on_date` is the calendar day in Vietnam.
CREATE TABLE status_changes (
    id            INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    from_status   TEXT,
    to_status     TEXT NOT NULL,
    actor_id      INTEGER,
    at            TEXT NOT NULL,
    on_date       TEXT NOT NULL,
    -- For a change to done: the day the work counted as completed (domain rule).
    completed_on  TEXT,
    note          TEXT
);
CREATE INDEX status_changes_assignment_at ON status_changes(assignment_id, at);

CREATE TABLE assignment_reroutes (
    id            INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
    from_unit_id  INTEGER NOT NULL REFERENCES units(id),
    to_unit_id    INTEGER NOT NULL REFERENCES units(id),
    event_id      INTEGER REFERENCES restructuring_events(id),
    actor_id      INTEGER,
    at            TEXT NOT NULL
);
CREATE INDEX assignment_reroutes_assignment ON assignment_reroutes(assignment_id);
CREATE INDEX assignment_reroutes_from ON assignment_reroutes(from_unit_id);

CREATE TABLE progress_reports (
    id            INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    actor_id      INTEGER,
    at            TEXT NOT NULL,
    percent       INTEGER CHECK (percent BETWEEN 0 AND 100),
    text          TEXT NOT NULL
);
CREATE INDEX progress_reports_assignment ON progress_reports(assignment_id, at);

CREATE TABLE evidence (
    id                 INTEGER PRIMARY KEY,
    assignment_id      INTEGER NOT NULL REFERENCES assignments(id),
    progress_report_id INTEGER REFERENCES progress_reports(id),
    file_name          TEXT NOT NULL,
    media_type         TEXT NOT NULL,
    size_bytes         INTEGER NOT NULL,
    sha256             TEXT NOT NULL,
    storage_key        TEXT NOT NULL,
    uploaded_by        INTEGER,
    uploaded_at        TEXT NOT NULL
);
CREATE INDEX evidence_assignment ON evidence(assignment_id);

CREATE TABLE extension_requests (
    id            INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
    requested_by  INTEGER,
    requested_at  TEXT NOT NULL,
    old_due       TEXT,
    new_due       TEXT NOT NULL,
    reason        TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','approved','refused')),
    decided_by    INTEGER,
    decided_at    TEXT,
    decision_note TEXT
);
CREATE INDEX extension_requests_assignment ON extension_requests(assignment_id);

CREATE TABLE obstacles (
    id            INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
    raised_by     INTEGER,
    raised_at     TEXT NOT NULL,
    text          TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','answered')),
    answer        TEXT,
    answered_by   INTEGER,
    answered_at   TEXT
);
CREATE INDEX obstacles_assignment ON obstacles(assignment_id);

-- Reminders are made by a job that every instance may run: the unique key makes each exactly once.
CREATE TABLE reminders (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    assignment_id INTEGER REFERENCES assignments(id),
    kind          TEXT NOT NULL CHECK (kind IN ('due_in_7','due_in_1','overdue','urging')),
    for_date      TEXT NOT NULL,
    message       TEXT NOT NULL,
    created_by    INTEGER,
    created_at    TEXT NOT NULL,
    sent_at       TEXT
);
CREATE UNIQUE INDEX reminders_once ON reminders(kind, COALESCE(assignment_id, 0), unit_id, for_date);
CREATE INDEX reminders_unit ON reminders(unit_id, created_at);

CREATE TABLE contributions (
    id       INTEGER PRIMARY KEY,
    task_id  INTEGER NOT NULL REFERENCES tasks(id),
    unit_id  INTEGER NOT NULL REFERENCES units(id),
    actor_id INTEGER,
    at       TEXT NOT NULL,
    text     TEXT NOT NULL
);
CREATE INDEX contributions_task ON contributions(task_id);
