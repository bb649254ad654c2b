-- Changes made to a published plan by its monitor (điều chỉnh kế hoạch): each with its reason and
-- deciding document, and the before and after values in words as the plan page lists them.
CREATE TABLE plan_changes (
    id            INTEGER PRIMARY KEY,
    plan_id       INTEGER NOT NULL REFERENCES plans(id),
    task_id       INTEGER NOT NULL REFERENCES tasks(id),
    assignment_id INTEGER REFERENCES assignments(id),
    kind          TEXT NOT NULL CHECK (kind IN ('reassign','due','coordinator_add','coordinator_withdraw','task_withdraw')),
    before_text   TEXT NOT NULL,
    after_text    TEXT NOT NULL,
    reason        TEXT NOT NULL,
    document      TEXT NOT NULL,
    changed_by    INTEGER,
    changed_at    TEXT NOT NULL
);
CREATE INDEX plan_changes_plan ON plan_changes(plan_id, changed_at);
CREATE INDEX plan_changes_task ON plan_changes(task_id);
