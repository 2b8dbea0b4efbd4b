-- certreg schema, version 1. Written once for SQLite and PostgreSQL (see store/migrations.hpp).
-- Times are epoch seconds (BIGINT) unless named *_ms; dates are ISO-8601 text (YYYY-MM-DD);
-- lists and sub-documents kept whole are JSON text.

-- API keys and bearer tokens, by SHA-256 of the secret. realm: iaf | origin | sertifika.
CREATE TABLE credentials (
  key_hash TEXT PRIMARY KEY,
  realm TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX credentials_owner ON credentials (realm, owner_id);

-- IAF organisations: accreditation bodies (ab), certification bodies (cb), multi-national CBs (mncb).
CREATE TABLE iaf_bodies (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  acronym TEXT,
  country TEXT,
  accreditation_body_id TEXT,                        -- cb: the AB that accredits it
  identity_number TEXT,                              -- cb: the AB's own number for it
  accreditation_status TEXT NOT NULL DEFAULT 'active', -- cb: active | suspended | withdrawn
  withdrawn_at BIGINT,
  -- cb details an accreditation body uploads (upload-cb); lists are JSON arrays.
  description TEXT,
  website TEXT,
  email TEXT,
  phone TEXT,
  fax TEXT,
  offices TEXT NOT NULL DEFAULT '[]',
  countries TEXT NOT NULL DEFAULT '[]',
  standards TEXT NOT NULL DEFAULT '[]',
  sectors TEXT NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
){{WITHOUT_ROWID}};
CREATE UNIQUE INDEX iaf_bodies_identity ON iaf_bodies (accreditation_body_id, identity_number);
CREATE INDEX iaf_bodies_by_ab ON iaf_bodies (accreditation_body_id, created_at);

CREATE TABLE iaf_mncb_members (
  mncb_id TEXT NOT NULL,
  cb_id TEXT NOT NULL,
  PRIMARY KEY (mncb_id, cb_id)
);

-- Certified entities, one per uploader, issuing CB and the uploader's certified_entity_unique_id.
CREATE TABLE iaf_entities (
  id TEXT PRIMARY KEY,
  uploader_id TEXT NOT NULL,
  cb_id TEXT NOT NULL,
  unique_id TEXT NOT NULL,
  name TEXT NOT NULL,
  former_names TEXT NOT NULL DEFAULT '[]',
  english_name TEXT,
  trading_name TEXT,
  street TEXT,
  city TEXT,
  state TEXT,
  postcode TEXT,
  country TEXT NOT NULL,
  website TEXT,
  confidential INTEGER NOT NULL DEFAULT 0,
  company_id_number TEXT,
  business_registration_number TEXT,
  tax_id TEXT,
  vat TEXT,
  duns_number TEXT,
  system_information TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
){{WITHOUT_ROWID}};
CREATE UNIQUE INDEX iaf_entities_key ON iaf_entities (uploader_id, cb_id, unique_id);

-- Certifications, one per issuing CB, certificate key and uploader. cert_key is 'i:' and the
-- certificate identity number when one was given, else 'n:' and the certificate number. When
-- several parties upload the same certification (same cb_id and cert_key), each keeps its own
-- version and is_primary marks the one the registry shows (see docs/iaf.md, data priority).
CREATE TABLE iaf_certifications (
  seq {{SERIAL_PK}},
  id TEXT NOT NULL UNIQUE,
  uploader_id TEXT NOT NULL,
  uploader_role TEXT NOT NULL,
  cb_id TEXT NOT NULL,
  ab_id TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  cert_key TEXT NOT NULL,
  certificate_number TEXT NOT NULL,
  certificate_identity_number TEXT,
  status TEXT NOT NULL,
  accreditation_status TEXT,
  type TEXT NOT NULL,
  scope TEXT,
  original_issue_date TEXT,
  issue_date TEXT NOT NULL,
  expiry_date TEXT NOT NULL,
  schemes TEXT NOT NULL,
  sites TEXT NOT NULL DEFAULT '[]',
  is_primary INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX iaf_certifications_key ON iaf_certifications (cb_id, cert_key, uploader_id);
CREATE INDEX iaf_certifications_uploader ON iaf_certifications (uploader_id, seq);
CREATE INDEX iaf_certifications_entity ON iaf_certifications (entity_id);

-- Every change to a stored object: who made it, when, and the object as it stood afterwards
-- (null after a delete).
CREATE TABLE history (
  seq {{SERIAL_PK}},
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  state TEXT
);
CREATE INDEX history_object ON history (object_type, object_id, seq);

-- Origin Connect reference data and companies.
CREATE TABLE origin_companies (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE origin_reporting_bodies (
  name TEXT PRIMARY KEY,
  origin_id TEXT NOT NULL UNIQUE
);
CREATE TABLE origin_standards (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL
);

-- Sertifika Merkezi companies and their certificate templates (properties: JSON [{key, title}]).
CREATE TABLE sertifika_companies (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE sertifika_templates (
  id TEXT PRIMARY KEY,
  company_id TEXT NOT NULL,
  name TEXT NOT NULL,
  properties TEXT NOT NULL
);
CREATE INDEX sertifika_templates_company ON sertifika_templates (company_id);

-- EDIN logins (password_hash: PBKDF2-SHA256, see core/password.hpp), their GLNs, and known GLNs.
CREATE TABLE edin_users (
  login TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE edin_user_glns (
  login TEXT NOT NULL,
  gln TEXT NOT NULL,
  PRIMARY KEY (login, gln)
);
CREATE INDEX edin_user_glns_gln ON edin_user_glns (gln);
-- network: the retail network (a GLN with retail_network = 1) this GLN belongs to, if any;
-- inn / edrpou: the company's tax and registry codes (GetCertsByInnCode / ByEdrpouCode).
CREATE TABLE edin_glns (
  gln TEXT PRIMARY KEY,
  name TEXT,
  retail_network INTEGER NOT NULL DEFAULT 0,
  network TEXT,
  inn TEXT,
  edrpou TEXT
);
CREATE INDEX edin_glns_network ON edin_glns (network);
CREATE INDEX edin_glns_inn ON edin_glns (inn);
CREATE INDEX edin_glns_edrpou ON edin_glns (edrpou);
