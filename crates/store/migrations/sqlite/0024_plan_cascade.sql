-- Plan cascade: an agency's own implementation plan, imported by its officer and sent to the
-- monitor for review. `owner_unit_id` is the unit whose officer imported the draft (NULL for a
-- monitor's import); `review_state` is 'submitted' while the monitor has it, 'returned' when
-- sent back with `review_note`, NULL otherwise.
ALTER TABLE plans ADD COLUMN owner_unit_id INTEGER REFERENCES units(id);
ALTER TABLE plans ADD COLUMN review_state TEXT CHECK (review_state IN ('submitted','returned'));
ALTER TABLE plans ADD COLUMN review_note TEXT;
ALTER TABLE plans ADD COLUMN submitted_at TEXT;
CREATE INDEX plans_owner_unit ON plans(owner_unit_id);
CREATE INDEX plans_review_state ON plans(province_id, review_state);
