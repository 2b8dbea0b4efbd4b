-- Sertifika Merkezi: the people a company issued certificates to, and the certificates issued
-- ("holdings"). Companies and templates come from provisioning (0001).

-- Set when a certificate is first issued from the template; never cleared (isInUse).
ALTER TABLE sertifika_templates ADD COLUMN in_use INTEGER NOT NULL DEFAULT 0;

-- A company's record of a person, by userCode (MD5 of the trimmed, lowercased e-mail); name,
-- surname and e-mail as last issued. Kept when the person's certificates are revoked.
CREATE TABLE sertifika_users (
  seq {{SERIAL_PK}},
  company_id TEXT NOT NULL,
  user_code TEXT NOT NULL,
  id TEXT NOT NULL UNIQUE,                 -- user id (UUID)
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  surname TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX sertifika_users_code ON sertifika_users (company_id, user_code);

-- One certificate per template and person; re-issuing updates the row (id and
-- verification_code stay). hour and point are DOUBLE PRECISION: PostgreSQL's REAL has 4 bytes.
CREATE TABLE sertifika_holdings (
  seq {{SERIAL_PK}},
  id TEXT NOT NULL UNIQUE,                 -- connectionId (UUID)
  template_id TEXT NOT NULL,
  company_id TEXT NOT NULL,
  user_code TEXT NOT NULL,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  surname TEXT NOT NULL,
  hour DOUBLE PRECISION,
  point DOUBLE PRECISION,
  educator TEXT,
  properties TEXT NOT NULL,                -- JSON [{"key", "value"}]
  meta_tags TEXT NOT NULL,                 -- JSON ["tag", ...]
  is_private INTEGER NOT NULL DEFAULT 0,
  verification_code TEXT NOT NULL UNIQUE,  -- random, for the public registry
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (template_id, user_code)
);
CREATE INDEX sertifika_holdings_template ON sertifika_holdings (template_id, seq);
CREATE INDEX sertifika_holdings_user ON sertifika_holdings (company_id, user_code, seq);
