-- File uploads (IngestService.UploadFile). The gateway writes a new version of an ingestion's row
-- at every step (receiving -> publishing -> published, or failed); read the latest with
-- `ORDER BY _version DESC LIMIT 1` (or FINAL). Counts of stored / dead-lettered / scored rows
-- are not kept here: GetIngestionStatus computes them from `surveys FINAL` and `rejections` by
-- their `ingestion_id` column (the worker copies the Surveystream-Ingestion-Id header), and from
-- `predictions` through the stored submission ids.
-- Device and officer ids given as upload metadata are stored as keyed hashes, like everywhere.
CREATE TABLE IF NOT EXISTS {{database}}.ingestions
(
    ingestion_id String,
    phase LowCardinality(String),
    file_name String,
    format LowCardinality(String),
    object_key String,
    sha256 String,
    uploaded_by String,
    metadata Map(String, String),
    bytes_received UInt64,
    rows_received UInt64,
    rows_rejected UInt64,
    rows_published UInt64,
    rows_duplicate UInt64,
    rejection_reasons Map(String, UInt64),
    unknown_columns Array(String),
    error String,
    created_at DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC'),
    _version UInt64
)
ENGINE = ReplacingMergeTree(_version)
ORDER BY ingestion_id;

-- Rows refused at upload (the first 1000 of each file), with the column and the reason.
CREATE TABLE IF NOT EXISTS {{database}}.ingestion_row_errors
(
    ingestion_id String,
    row UInt64,
    submission_id String,
    `column` String,
    reason_code LowCardinality(String),
    message String
)
ENGINE = ReplacingMergeTree
ORDER BY (ingestion_id, row, reason_code, `column`);
