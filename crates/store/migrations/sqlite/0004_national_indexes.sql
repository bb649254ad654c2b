-- Past-date and today's class counts at national scale: each assignment's class as day
-- intervals [from_day, to_day) (tinhgon_domain::timeline::class_intervals), rewritten for one
-- assignment after each of its changes. to_day '9999-12-31' = open-ended (a sentinel instead
-- of NULL keeps "to_day > day" a plain index range). Only counted intervals are stored.
CREATE TABLE assignment_class_intervals (
    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
    province_id   INTEGER REFERENCES units(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    from_day      TEXT NOT NULL,
    to_day        TEXT NOT NULL,
    class         TEXT NOT NULL,
    PRIMARY KEY (assignment_id, from_day)
);
-- Covering for the counts of a province (total and by unit) on any day.
CREATE INDEX aci_province_day ON assignment_class_intervals(province_id, to_day, from_day, class, unit_id);
-- The overdue (or any class) list of one unit on a day.
CREATE INDEX aci_unit_class_day ON assignment_class_intervals(unit_id, class, to_day, from_day);
