-- A reduction target is judged on the quotas assigned (biên chế được giao, the default) or on
-- the people the units report (số người có mặt). A split may share staffing among its
-- successors by percent (NULL: equal shares).
ALTER TABLE staffing_targets ADD COLUMN measure TEXT NOT NULL DEFAULT 'quota' CHECK (measure IN ('quota','headcount'));
ALTER TABLE event_successors ADD COLUMN staff_percent BIGINT CHECK (staff_percent IS NULL OR (staff_percent >= 0 AND staff_percent <= 100));
