-- The inbox ("Việc của tôi") filtered by plan, and the plans of a unit for its plan filter:
-- one index range per (unit, plan), already in due order, without reading the table
-- (assignments_unit_due alone reads every row of the unit to test plan_id).
CREATE INDEX IF NOT EXISTS assignments_unit_plan ON assignments(unit_id, plan_id, due);
