-- Accounts, sessions, API tokens, the hash-chained audit log and in-app notifications (PostgreSQL).
-- Timestamps are TIMESTAMPTZ, except the audit time kept as the exact text that was hashed.

CREATE TABLE users (
    id               BIGSERIAL PRIMARY KEY,
    login            TEXT NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('admin','monitor','agency_officer','leader')),
    unit_id          BIGINT REFERENCES units(id),
    province_id      BIGINT REFERENCES units(id),
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    locked_until     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    last_login_at    TIMESTAMPTZ
);
CREATE INDEX users_unit ON users(unit_id);

-- The cookie carries a random 256-bit token; only its SHA-256 is stored, so a leaked table
-- does not hand out sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    last_seen  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);

-- Append-only; each row's hash covers the previous row's hash and this row's canonical JSON.
CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    BIGINT,
    actor_login TEXT,
    action      TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id   BIGINT,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_object ON audit_log(object_kind, object_id);

-- One row: writers update it first, which serialises appends to the chain.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_hash) VALUES (1, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    unit_id    BIGINT REFERENCES units(id),
    kind       TEXT NOT NULL,
    text       TEXT NOT NULL,
    link       TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    read_at    TIMESTAMPTZ
);
CREATE INDEX notifications_user ON notifications(user_id, read_at);
