-- An obstacle the monitor cannot settle is referred, with the monitor's proposal, to the
-- province's leaders or to the UBND ("báo cáo xin ý kiến cấp có thẩm quyền"); the opinion,
-- once given, answers the obstacle and goes back to the unit. At most one referral per obstacle.
CREATE TABLE obstacle_referrals (
    id          BIGSERIAL PRIMARY KEY,
    obstacle_id BIGINT NOT NULL UNIQUE REFERENCES obstacles(id),
    addressee   TEXT NOT NULL CHECK (addressee IN ('leader','people_committee')),
    proposal    TEXT NOT NULL,
    referred_by BIGINT REFERENCES users(id),
    referred_at TIMESTAMPTZ NOT NULL,
    opinion     TEXT,
    opinion_by  BIGINT REFERENCES users(id),
    opinion_at  TIMESTAMPTZ
);
CREATE INDEX obstacle_referrals_waiting ON obstacle_referrals(obstacle_id) WHERE opinion_at IS NULL;
