-- Certifications per uploader per range of 1,024 sequence numbers (a bucket: seq / 1024; the
-- number is kListBucketRows in iaf_repo.cpp), kept in the transaction of every insert and delete.
-- A list page's total is their sum, and its first row is found by summing buckets from the newest
-- down to the one that holds it and skipping at most 1,024 index entries inside it, instead of
-- skipping every entry before the page. Replaces the single count per uploader of 0005.
CREATE TABLE iaf_list_buckets (
  uploader_id TEXT NOT NULL,
  bucket BIGINT NOT NULL,
  certifications BIGINT NOT NULL,
  PRIMARY KEY (uploader_id, bucket)
) {{WITHOUT_ROWID}};
INSERT INTO iaf_list_buckets (uploader_id, bucket, certifications)
  SELECT uploader_id, seq / 1024, COUNT(*) FROM iaf_certifications GROUP BY uploader_id, seq / 1024;
DROP TABLE iaf_uploader_counts;
