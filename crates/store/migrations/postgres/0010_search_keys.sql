-- The search keys stored beside names, aliases, plan titles and task contents (folded_name,
-- folded_alias, folded_title, folded_content) are now the text kit's search_key, the same
-- function search applies to the typed query. SQL cannot compute that key: SQLite has no
-- diacritic folding, and PostgreSQL's unaccent is an optional extension with other rules
-- (it keeps "đ"). So this migration only marks the keys as stale; the store recomputes them in
-- Rust right after migrating and then removes the mark. A later change of the key adds a
-- migration that inserts a new mark.
CREATE TABLE search_keys_stale (
    reason TEXT PRIMARY KEY
);
INSERT INTO search_keys_stale (reason) VALUES ('0010: one fold for storing and for searching');
