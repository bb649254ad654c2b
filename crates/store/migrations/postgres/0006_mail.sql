-- E-mail for notifications (PostgreSQL): an optional address per account and an outbox that
-- background senders drain. A row is claimed by setting `claimed_until` (a lease), so several
-- instances never send the same message at once, and an SMTP server that is down loses nothing.

ALTER TABLE users ADD COLUMN email TEXT;

CREATE TABLE mail_outbox (
    id              BIGSERIAL PRIMARY KEY,
    notification_id BIGINT NOT NULL UNIQUE REFERENCES notifications(id),
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- Lease of the sender working on it, then the earliest time of the next attempt.
    claimed_until   TIMESTAMPTZ,
    sent_at         TIMESTAMPTZ,
    -- Given up (too many attempts or too old): kept for the record, never sent.
    failed_at       TIMESTAMPTZ,
    last_error      TEXT
);
CREATE INDEX mail_outbox_pending ON mail_outbox(id) WHERE sent_at IS NULL AND failed_at IS NULL;

-- The daily reminder job looks assignments up by due date across every unit.
CREATE INDEX assignments_due ON assignments(due);
