-- Register changes made in tinhgon itself (SQLite): the dated change history of a unit with
-- its deciding document, a public service unit's financial autonomy group, and restructuring
-- events that are scheduled for a later date, applied by the daily job, or cancelled before.

ALTER TABLE units ADD COLUMN autonomy_group INTEGER CHECK (autonomy_group BETWEEN 1 AND 4);

-- One row per change of a unit made after the register was loaded (added, moved, closed,
-- alias added or removed); `before_json`/`after_json` hold what changed.
CREATE TABLE unit_changes (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    kind          TEXT NOT NULL CHECK (kind IN ('add','move','close','alias_add','alias_remove')),
    effective     TEXT NOT NULL,
    decision      TEXT,
    before_json   TEXT,
    after_json    TEXT,
    actor_id      INTEGER,
    at            TEXT NOT NULL
);
CREATE INDEX unit_changes_unit ON unit_changes(unit_id, effective);

-- The deciding document in parts, and what the monitor chose in the preview (successor per
-- assignment and per ceasing unit, accounts moved or disabled) so that the daily job applies
-- a scheduled event exactly as previewed. Events loaded with the register have no plan: their
-- effect is already in the register, so the job never applies them.
ALTER TABLE restructuring_events ADD COLUMN decision_date TEXT;
ALTER TABLE restructuring_events ADD COLUMN decision_issuer TEXT;
ALTER TABLE restructuring_events ADD COLUMN plan_json TEXT;
ALTER TABLE restructuring_events ADD COLUMN recorded_by INTEGER;
ALTER TABLE restructuring_events ADD COLUMN cancelled_at TEXT;
ALTER TABLE restructuring_events ADD COLUMN cancelled_by INTEGER;
CREATE INDEX restructuring_events_due ON restructuring_events(effective) WHERE applied_at IS NULL AND cancelled_at IS NULL AND plan_json IS NOT NULL;

-- Statutory rules on the apparatus as data, with their citation and period of effect: a rule
-- for one province (by its code) wins over the general one of the same kind on the same day.
CREATE TABLE statutory_rules (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('max_departments')),
    province_code TEXT,
    limit_value   INTEGER NOT NULL,
    citation      TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_to      TEXT,
    grace_until   TEXT
);
INSERT INTO statutory_rules (kind, province_code, limit_value, citation, valid_from, valid_to) VALUES
    ('max_departments', NULL, 14, 'Nghị định 45/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh', '2025-03-01', '2025-07-01'),
    ('max_departments', '01', 15, 'Nghị định 45/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh (Hà Nội)', '2025-03-01', '2025-07-01'),
    ('max_departments', '79', 15, 'Nghị định 45/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh (Thành phố Hồ Chí Minh)', '2025-03-01', '2025-07-01'),
    ('max_departments', NULL, 14, 'Nghị định 150/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh', '2025-07-01', NULL),
    ('max_departments', '01', 15, 'Nghị định 150/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh (Hà Nội)', '2025-07-01', NULL),
    ('max_departments', '79', 15, 'Nghị định 150/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh (Thành phố Hồ Chí Minh)', '2025-07-01', NULL);
