-- Live monitoring (issue #6). Documented for analysts in deploy/clickhouse/README.md.
-- Per district and minute: predictions, vulnerable share, mean probability, risk mix, probability
-- and scoring-latency quantile states. Filled by a materialized view from every insert into
-- `predictions`, so any number of workers contribute; states merge with -Merge functions.
-- Counts are of inserts (a redelivery after a crash between insert and ack counts twice).
CREATE TABLE IF NOT EXISTS {{database}}.prediction_minutes
(
    window_start DateTime('UTC'),
    `District` LowCardinality(String),
    model_version LowCardinality(String),
    role LowCardinality(String),
    predictions SimpleAggregateFunction(sum, UInt64),
    vulnerable SimpleAggregateFunction(sum, UInt64),
    probability_sum SimpleAggregateFunction(sum, Float64),
    risk_low SimpleAggregateFunction(sum, UInt64),
    risk_medium SimpleAggregateFunction(sum, UInt64),
    risk_high SimpleAggregateFunction(sum, UInt64),
    risk_critical SimpleAggregateFunction(sum, UInt64),
    labelled SimpleAggregateFunction(sum, UInt64),
    probability_quantiles AggregateFunction(quantiles(0.1, 0.25, 0.5, 0.75, 0.9), Float64),
    latency_ms_quantiles AggregateFunction(quantiles(0.5, 0.9, 0.99), Float32)
)
ENGINE = AggregatingMergeTree
ORDER BY (window_start, `District`, model_version, role);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.prediction_minutes_mv
TO {{database}}.prediction_minutes AS
SELECT toStartOfMinute(scored_at) AS window_start, `District`, model_version, role,
       count() AS predictions,
       toUInt64(sum(vulnerable)) AS vulnerable,
       sum(probability) AS probability_sum,
       countIf(risk = 'Low') AS risk_low,
       countIf(risk = 'Medium') AS risk_medium,
       countIf(risk = 'High') AS risk_high,
       countIf(risk = 'Critical') AS risk_critical,
       countIf(label_vulnerable IS NOT NULL) AS labelled,
       quantilesState(0.1, 0.25, 0.5, 0.75, 0.9)(probability) AS probability_quantiles,
       quantilesState(0.5, 0.9, 0.99)(scoring_latency_ms) AS latency_ms_quantiles
FROM {{database}}.predictions
GROUP BY window_start, `District`, model_version, role;

-- District figures per minute: volume and valid share (quality_windows) next to the champion's
-- predictions (prediction_minutes). Re-aggregates on read, so it is always current.
CREATE VIEW IF NOT EXISTS {{database}}.district_minutes AS
SELECT q.window_start AS window_start, q.`District` AS `District`,
       q.accepted + q.rejected AS volume, q.accepted AS accepted, q.rejected AS rejected,
       if(volume > 0, q.accepted / volume, NULL) AS valid_share,
       if(q.accepted > 0, q.quality_sum / q.accepted, NULL) AS mean_quality,
       p.predictions AS predictions,
       if(p.predictions > 0, p.vulnerable / p.predictions, NULL) AS vulnerable_share,
       if(p.predictions > 0, p.probability_sum / p.predictions, NULL) AS mean_probability,
       p.risk_low AS risk_low, p.risk_medium AS risk_medium, p.risk_high AS risk_high, p.risk_critical AS risk_critical,
       p.latency_ms AS latency_ms_p50_p90_p99
FROM
(
    SELECT window_start, `District`, sum(accepted) AS accepted, sum(rejected) AS rejected, sum(quality_sum) AS quality_sum
    FROM {{database}}.quality_windows GROUP BY window_start, `District`
) AS q
LEFT JOIN
(
    SELECT window_start, `District`, sum(predictions) AS predictions, sum(vulnerable) AS vulnerable,
           sum(probability_sum) AS probability_sum, sum(risk_low) AS risk_low, sum(risk_medium) AS risk_medium,
           sum(risk_high) AS risk_high, sum(risk_critical) AS risk_critical,
           quantilesMerge(0.5, 0.9, 0.99)(latency_ms_quantiles) AS latency_ms
    FROM {{database}}.prediction_minutes WHERE role = 'champion' GROUP BY window_start, `District`
) AS p
ON q.window_start = p.window_start AND q.`District` = p.`District`;

-- The same per district and hour.
CREATE VIEW IF NOT EXISTS {{database}}.district_hours AS
SELECT q.window_start AS window_start, q.`District` AS `District`,
       q.accepted + q.rejected AS volume, q.accepted AS accepted, q.rejected AS rejected,
       if(volume > 0, q.accepted / volume, NULL) AS valid_share,
       if(q.accepted > 0, q.quality_sum / q.accepted, NULL) AS mean_quality,
       p.predictions AS predictions,
       if(p.predictions > 0, p.vulnerable / p.predictions, NULL) AS vulnerable_share,
       if(p.predictions > 0, p.probability_sum / p.predictions, NULL) AS mean_probability,
       p.risk_low AS risk_low, p.risk_medium AS risk_medium, p.risk_high AS risk_high, p.risk_critical AS risk_critical,
       p.latency_ms AS latency_ms_p50_p90_p99
FROM
(
    SELECT toStartOfHour(window_start) AS window_start, `District`, sum(accepted) AS accepted,
           sum(rejected) AS rejected, sum(quality_sum) AS quality_sum
    FROM {{database}}.quality_windows GROUP BY window_start, `District`
) AS q
LEFT JOIN
(
    SELECT toStartOfHour(window_start) AS window_start, `District`, sum(predictions) AS predictions,
           sum(vulnerable) AS vulnerable, sum(probability_sum) AS probability_sum, sum(risk_low) AS risk_low,
           sum(risk_medium) AS risk_medium, sum(risk_high) AS risk_high, sum(risk_critical) AS risk_critical,
           quantilesMerge(0.5, 0.9, 0.99)(latency_ms_quantiles) AS latency_ms
    FROM {{database}}.prediction_minutes WHERE role = 'champion' GROUP BY window_start, `District`
) AS p
ON q.window_start = p.window_start AND q.`District` = p.`District`;

-- Per monitoring window and model feature: counts (and value sums) in the model card's reference
-- bins, computed by the monitor from the window's surveys featurized with the card's spec. Plain
-- sums, so windows merge by addition (e.g. a day = sum of its windows).
CREATE TABLE IF NOT EXISTS {{database}}.feature_windows
(
    window_start DateTime64(3, 'UTC'),
    window_end DateTime64(3, 'UTC'),
    model_version LowCardinality(String),
    feature LowCardinality(String),
    kind LowCardinality(String),
    bin String,
    count UInt64,
    value_sum Float64
)
ENGINE = SummingMergeTree((count, value_sum))
ORDER BY (model_version, window_start, window_end, feature, bin);

-- One row per monitoring window the monitor closed (its cursor: the last stream sequence).
CREATE TABLE IF NOT EXISTS {{database}}.monitor_windows
(
    window_start DateTime64(3, 'UTC'),
    window_end DateTime64(3, 'UTC'),
    model_version LowCardinality(String),
    window_kind LowCardinality(String),
    seq_from UInt64,
    seq_to UInt64,
    n UInt64,
    drifted_features Array(String),
    processed_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(processed_at)
ORDER BY (model_version, window_kind, window_start, seq_from);

-- Drift per window, feature and statistic against the model card's reference distributions.
-- kind: numeric | categorical | score (prediction drift) | dataset (share of drifted features).
CREATE TABLE IF NOT EXISTS {{database}}.drift_metrics
(
    window_start DateTime64(3, 'UTC'),
    window_end DateTime64(3, 'UTC'),
    model_version LowCardinality(String),
    feature LowCardinality(String),
    kind LowCardinality(String),
    statistic LowCardinality(String),
    value Float64,
    threshold Float64,
    drifted UInt8,
    n UInt64
)
ENGINE = ReplacingMergeTree
ORDER BY (model_version, window_start, window_end, feature, statistic);

-- Model performance per window: realised (labelled rows) and estimated (CBPE, no labels).
-- Read by the trainer (kind, f1, model_version, window_end): keep these names.
CREATE TABLE IF NOT EXISTS {{database}}.model_performance
(
    window_start DateTime64(3, 'UTC'),
    window_end DateTime64(3, 'UTC'),
    model_version String,
    role LowCardinality(String),
    kind LowCardinality(String),
    n UInt64,
    accuracy Float64,
    precision Float64,
    recall Float64,
    f1 Float64,
    roc_auc Nullable(Float64),
    brier Nullable(Float64),
    calibration_error Nullable(Float64)
)
ENGINE = ReplacingMergeTree
ORDER BY (model_version, role, kind, window_start, window_end);

-- Every alert state change (firing, then resolved) as a new version of the alert's row;
-- `FINAL` (or argMax by updated_at) gives the current state.
CREATE TABLE IF NOT EXISTS {{database}}.alerts
(
    id String,
    kind LowCardinality(String),
    severity LowCardinality(String),
    status LowCardinality(String),
    summary String,
    labels Map(String, String),
    value Float64,
    threshold Float64,
    fired_at DateTime64(3, 'UTC'),
    resolved_at Nullable(DateTime64(3, 'UTC')),
    model_version Nullable(String),
    updated_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY id;
