-- Origin Connect: certifications of companies, and asynchronous jobs.

-- One row per certification; document is the whole certification (core/origin_storage.hpp).
-- The other columns are copies kept for lookups and searches.
CREATE TABLE origin_certifications (
  seq {{SERIAL_PK}},
  id TEXT NOT NULL UNIQUE,                 -- originId
  company_id TEXT NOT NULL,
  external_id TEXT NOT NULL,
  standard_code TEXT,
  published INTEGER NOT NULL DEFAULT 0,    -- on the ORIGIN channel
  search_text TEXT NOT NULL DEFAULT '',    -- lowercased words for KEYWORD
  document TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX origin_certifications_external ON origin_certifications (company_id, external_id);
CREATE INDEX origin_certifications_company ON origin_certifications (company_id, seq);
CREATE INDEX origin_certifications_modified ON origin_certifications (company_id, updated_at_ms);
CREATE INDEX origin_certifications_standard ON origin_certifications (company_id, standard_code);

-- Asynchronous requests (/connect/vN/async/...): stored when accepted, run once by a worker of
-- any instance, their result kept for ResultGet. state: PENDING, DONE or ERROR.
CREATE TABLE origin_jobs (
  seq {{SERIAL_PK}},
  id TEXT NOT NULL UNIQUE,                 -- batchId
  company_id TEXT NOT NULL,
  version TEXT NOT NULL,                   -- v1 | v2
  command TEXT NOT NULL,                   -- certifications_create | _update | _delete
  request TEXT NOT NULL,                   -- the request body (JSON)
  state TEXT NOT NULL,
  result TEXT,                             -- the reply's "result" object once finished (JSON)
  created_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX origin_jobs_state ON origin_jobs (state, seq);
