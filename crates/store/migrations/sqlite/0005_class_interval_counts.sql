-- Class counts of a province, total and by unit, on any day: one short index range per
-- (unit, class) (`to_day > day`, then `from_day <= day` read from the index), so counting
-- neither reads the table nor sorts. Only adds an index.
CREATE INDEX IF NOT EXISTS aci_province_unit_class ON assignment_class_intervals(province_id, unit_id, class, to_day, from_day);
