-- The task list filtered by class (the dashboard's cards lead there): a province's intervals of
-- one class in force on a day, read from the index alone instead of every current interval of
-- the province.
CREATE INDEX IF NOT EXISTS aci_province_class_day
    ON assignment_class_intervals(province_id, class, to_day, from_day, assignment_id, unit_id);
