-- Scored surveys. One row per (submission, model version): a redelivered record collapses into one
-- row; the champion and a shadow model each have their own row (`role`). Exact reads use FINAL.
-- `label_vulnerable` is the survey's ground truth when it carried the daily target (for realised
-- performance); personal fields appear only as keyed hashes.
CREATE TABLE IF NOT EXISTS {{database}}.predictions
(
    submission_id String,
    model_name LowCardinality(String),
    model_version LowCardinality(String),
    feature_spec_version LowCardinality(String),
    role LowCardinality(String),
    household_key String,
    `District` LowCardinality(String),
    probability Float64,
    vulnerable UInt8,
    risk LowCardinality(String),
    confidence Float64,
    scoring_latency_ms Float32,
    received_at DateTime64(3, 'UTC'),
    scored_at DateTime64(3, 'UTC'),
    label_vulnerable Nullable(UInt8),
    _version UInt64
)
ENGINE = ReplacingMergeTree(_version)
PARTITION BY toYYYYMM(scored_at)
ORDER BY (submission_id, model_version);
