-- Rejections carry the ingestion id of the upload they came from (empty for device submissions),
-- so GetIngestionStatus can count a file's dead-lettered rows.
ALTER TABLE {{database}}.rejections ADD COLUMN IF NOT EXISTS ingestion_id String DEFAULT '';
