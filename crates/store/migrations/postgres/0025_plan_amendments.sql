-- An amending document (văn bản sửa đổi, bổ sung) imported as an amendment of a published plan:
-- its plan row names the plan it amends (chosen at review, kept once applied), and each change
-- it made to that plan names it.
ALTER TABLE plans ADD COLUMN amends_plan_id BIGINT REFERENCES plans(id);
ALTER TABLE plan_changes ADD COLUMN amendment_id BIGINT REFERENCES plans(id);
CREATE INDEX plans_amends ON plans(amends_plan_id);
CREATE INDEX plan_changes_amendment ON plan_changes(amendment_id);
