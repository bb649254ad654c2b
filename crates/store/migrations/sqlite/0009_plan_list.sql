-- Plan lists are shown newest first, per province or for the whole installation, one page at a
-- time: these indexes give that order without sorting the table (50,000 plans nationally).
CREATE INDEX plans_province_created ON plans(province_id, created_at, id);
CREATE INDEX plans_created ON plans(created_at, id);
