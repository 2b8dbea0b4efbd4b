-- Certifications per uploader, kept in the transaction of every insert and delete (iaf_repo), so
-- that a list page's meta.total reads one row instead of counting a million index entries.
CREATE TABLE iaf_uploader_counts (
  uploader_id TEXT PRIMARY KEY,
  certifications BIGINT NOT NULL
) {{WITHOUT_ROWID}};
INSERT INTO iaf_uploader_counts (uploader_id, certifications)
  SELECT uploader_id, COUNT(*) FROM iaf_certifications GROUP BY uploader_id;

-- Each EDIN login purges sessions idle for 30 minutes; without this it read them all.
CREATE INDEX edin_tokens_idle ON edin_tokens (last_used_at);
