-- A task added to a published plan is a plan change too ('task_add').
ALTER TABLE plan_changes DROP CONSTRAINT plan_changes_kind_check;
ALTER TABLE plan_changes ADD CONSTRAINT plan_changes_kind_check
    CHECK (kind IN ('reassign','due','coordinator_add','coordinator_withdraw','task_withdraw','task_add'));
