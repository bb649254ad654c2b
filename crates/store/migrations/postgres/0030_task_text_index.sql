-- The task list's text filter (`folded_content LIKE '%…%'`): a trigram index finds the
-- matching tasks without reading every task of the province. A B-tree over the text, as on
-- SQLite, is not possible here: a long task would exceed PostgreSQL's index row size.
-- pg_trgm ships with PostgreSQL and is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS tasks_text_search ON tasks USING gin (folded_content gin_trgm_ops);
