-- The functions register (SQLite): the state-management fields (lĩnh vực quản lý nhà nước) a
-- unit holds, each a field of the catalogue (data/functions/catalogue.csv, by its code) with
-- the unit's duties in it and their legal source, dated, with its deciding document. A field
-- given to a successor by a restructuring event names the event; one the event ended too.
CREATE TABLE unit_functions (
    id             INTEGER PRIMARY KEY,
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    field_code     TEXT NOT NULL CHECK (length(trim(field_code)) > 0),
    duties         TEXT,
    legal_source   TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT,
    decision       TEXT,
    event_id       INTEGER REFERENCES restructuring_events(id),
    ended_event_id INTEGER REFERENCES restructuring_events(id),
    recorded_at    TEXT NOT NULL,
    recorded_by    INTEGER
);
CREATE INDEX unit_functions_unit ON unit_functions(unit_id, field_code);

-- The other statutory rules on the apparatus: the minimum staff of a division and of a chi
-- cục, the average number of deputies per department and the extra deputy a merged
-- department keeps for a time. `grace_months` counts from the event that formed the unit.
-- SQLite cannot change a CHECK constraint, so the table is rebuilt with its rows.
CREATE TABLE statutory_rules_new (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('max_departments','min_staff_division','min_staff_sub_department','max_deputies_average','merged_extra_deputy')),
    province_code TEXT,
    limit_value   INTEGER NOT NULL,
    citation      TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_to      TEXT,
    grace_until   TEXT,
    grace_months  INTEGER CHECK (grace_months > 0)
);
INSERT INTO statutory_rules_new (id, kind, province_code, limit_value, citation, valid_from, valid_to, grace_until)
    SELECT id, kind, province_code, limit_value, citation, valid_from, valid_to, grace_until FROM statutory_rules;
DROP TABLE statutory_rules;
ALTER TABLE statutory_rules_new RENAME TO statutory_rules;
INSERT INTO statutory_rules (kind, province_code, limit_value, citation, valid_from, valid_to, grace_until, grace_months) VALUES
    ('min_staff_division', NULL, 7, 'Nghị định 45/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh (phòng thuộc sở)', '2025-03-01', '2025-07-01', NULL, NULL),
    ('min_staff_division', NULL, 7, 'Nghị định 150/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh (phòng thuộc sở)', '2025-07-01', NULL, NULL, NULL),
    ('min_staff_sub_department', NULL, 12, 'Nghị định 45/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh (chi cục thuộc sở)', '2025-03-01', '2025-07-01', NULL, NULL),
    ('min_staff_sub_department', NULL, 12, 'Nghị định 150/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh (chi cục thuộc sở)', '2025-07-01', NULL, NULL, NULL),
    ('max_deputies_average', NULL, 3, 'Nghị định 45/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh (số lượng Phó Giám đốc sở bình quân)', '2025-03-01', '2025-07-01', NULL, NULL),
    ('max_deputies_average', NULL, 3, 'Nghị định 150/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh (số lượng Phó Giám đốc sở bình quân)', '2025-07-01', NULL, NULL, NULL),
    ('merged_extra_deputy', NULL, 1, 'Nghị định 45/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh (sở hình thành sau hợp nhất, sáp nhập)', '2025-03-01', '2025-07-01', NULL, 60),
    ('merged_extra_deputy', NULL, 1, 'Nghị định 150/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh (sở hình thành sau hợp nhất, sáp nhập)', '2025-07-01', NULL, NULL, 60);
