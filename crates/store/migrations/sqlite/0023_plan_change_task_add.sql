-- A task added to a published plan is a plan change too ('task_add'). SQLite cannot alter a
-- CHECK constraint: the table is rebuilt with the same rows and indexes.
CREATE TABLE plan_changes_new (
    id            INTEGER PRIMARY KEY,
    plan_id       INTEGER NOT NULL REFERENCES plans(id),
    task_id       INTEGER NOT NULL REFERENCES tasks(id),
    assignment_id INTEGER REFERENCES assignments(id),
    kind          TEXT NOT NULL CHECK (kind IN ('reassign','due','coordinator_add','coordinator_withdraw','task_withdraw','task_add')),
    before_text   TEXT NOT NULL,
    after_text    TEXT NOT NULL,
    reason        TEXT NOT NULL,
    document      TEXT NOT NULL,
    changed_by    INTEGER,
    changed_at    TEXT NOT NULL
);
INSERT INTO plan_changes_new (id, plan_id, task_id, assignment_id, kind, before_text, after_text, reason, document, changed_by, changed_at)
    SELECT id, plan_id, task_id, assignment_id, kind, before_text, after_text, reason, document, changed_by, changed_at FROM plan_changes;
DROP TABLE plan_changes;
ALTER TABLE plan_changes_new RENAME TO plan_changes;
CREATE INDEX plan_changes_plan ON plan_changes(plan_id, changed_at);
CREATE INDEX plan_changes_task ON plan_changes(task_id);
