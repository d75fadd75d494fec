-- Data quality per district and minute: records seen, records kept, records rejected, mean quality
-- score, and hits per validation rule. Filled by materialized views from every insert into
-- `surveys` and `rejections`, so any number of workers contribute. Counts are of inserts: a
-- record redelivered after a crash between insert and ack is counted twice (rare; exact counts of
-- records come from `surveys FINAL`).

CREATE TABLE IF NOT EXISTS {{database}}.quality_metrics
(
    window_start DateTime('UTC'),
    `District` LowCardinality(String),
    rule_id LowCardinality(String),
    severity LowCardinality(String),
    hits UInt64
)
ENGINE = SummingMergeTree(hits)
ORDER BY (window_start, `District`, rule_id, severity);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.quality_metrics_warnings_mv
TO {{database}}.quality_metrics AS
SELECT toStartOfMinute(received_at) AS window_start, `District`, arrayJoin(warning_rules) AS rule_id,
       'warning' AS severity, toUInt64(1) AS hits
FROM {{database}}.surveys
WHERE _deleted = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.quality_metrics_errors_mv
TO {{database}}.quality_metrics AS
SELECT toStartOfMinute(rejected_at) AS window_start, `District`, arrayJoin(rule_ids) AS rule_id,
       'error' AS severity, toUInt64(1) AS hits
FROM {{database}}.rejections;

CREATE TABLE IF NOT EXISTS {{database}}.quality_windows
(
    window_start DateTime('UTC'),
    `District` LowCardinality(String),
    accepted UInt64,
    rejected UInt64,
    quality_sum Float64
)
ENGINE = SummingMergeTree
ORDER BY (window_start, `District`);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.quality_windows_accepted_mv
TO {{database}}.quality_windows AS
SELECT toStartOfMinute(received_at) AS window_start, `District`, toUInt64(1) AS accepted,
       toUInt64(0) AS rejected, toFloat64(quality_score) AS quality_sum
FROM {{database}}.surveys
WHERE _deleted = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.quality_windows_rejected_mv
TO {{database}}.quality_windows AS
SELECT toStartOfMinute(rejected_at) AS window_start, `District`, toUInt64(0) AS accepted,
       toUInt64(1) AS rejected, 0.0 AS quality_sum
FROM {{database}}.rejections;
