-- EDIN e-certificates V1: sessions, certificate cards, access grants, product bindings, scans
-- and complaints. Users, passwords and GLNs come from provisioning (0001).

-- varToken sessions, by SHA-256 of the token; they expire 30 minutes after last_used_at.
CREATE TABLE edin_tokens (
  token_hash TEXT PRIMARY KEY,
  login TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL
);
CREATE INDEX edin_tokens_login ON edin_tokens (login);

-- Certificate cards. id is intCertID. system_number is the number as searched (see
-- core/edin.hpp); it is unique per owner GLN. Dates are ISO (YYYY-MM-DD).
CREATE TABLE edin_certificates (
  id {{SERIAL_PK}},
  owner_gln TEXT NOT NULL,
  number TEXT NOT NULL,
  system_number TEXT NOT NULL,
  type INTEGER NOT NULL,
  sub_type INTEGER NOT NULL,
  cert_date TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT,
  part_number TEXT,
  lot_number TEXT,
  gtd TEXT,
  access_type INTEGER NOT NULL DEFAULT 0,   -- 0 not chosen, 1 public, 2 restricted
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  reviewed_at BIGINT                        -- last change after creation
);
CREATE UNIQUE INDEX edin_certificates_number ON edin_certificates (owner_gln, system_number);
CREATE INDEX edin_certificates_system_number ON edin_certificates (system_number);
CREATE INDEX edin_certificates_gtd ON edin_certificates (gtd);

-- Who a restricted certificate is shared with: a GLN, or (retail_network = 1) a whole network.
CREATE TABLE edin_cert_access (
  cert_id BIGINT NOT NULL,
  gln TEXT NOT NULL,
  retail_network INTEGER NOT NULL,
  PRIMARY KEY (cert_id, gln, retail_network)
);
CREATE INDEX edin_cert_access_gln ON edin_cert_access (gln);

-- Product bindings (SetBind); '' stands for a field not given, so rows compare simply.
CREATE TABLE edin_binds (
  cert_id BIGINT NOT NULL,
  gtin TEXT NOT NULL,
  article_supplier TEXT NOT NULL,
  article_buyer TEXT NOT NULL,
  uktzed TEXT NOT NULL,
  dkpp TEXT NOT NULL,
  PRIMARY KEY (cert_id, gtin, article_supplier, article_buyer, uktzed, dkpp)
);
CREATE INDEX edin_binds_gtin ON edin_binds (gtin);

-- Attached scans (AttachScan); hash is the MD5 of the body (varHashLink).
CREATE TABLE edin_files (
  id {{SERIAL_PK}},
  cert_id BIGINT NOT NULL,
  type INTEGER NOT NULL,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  hash TEXT NOT NULL,
  body {{BLOB}} NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX edin_files_cert ON edin_files (cert_id);

-- Complaints (NotifyError), once per user, certificate and type.
CREATE TABLE edin_complaints (
  login TEXT NOT NULL,
  cert_id BIGINT NOT NULL,
  type INTEGER NOT NULL,
  text TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (login, cert_id, type)
);
