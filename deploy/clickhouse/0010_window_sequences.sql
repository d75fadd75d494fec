-- Monitoring results are keyed by the window's first stream sequence too. A backlog lands in
-- micro-batches whose rows share one `ingested_at`, so two size windows can have the same start
-- and end; keyed by time alone, their feature counts were summed together and one window's drift
-- and performance rows replaced the other's. Windows written before this migration have
-- seq_from = 0. The new column is added and appended to the sorting key in the same ALTER, which
-- ClickHouse does as a metadata-only change.
ALTER TABLE {{database}}.feature_windows
    ADD COLUMN IF NOT EXISTS seq_from UInt64,
    MODIFY ORDER BY (model_version, window_start, window_end, feature, bin, seq_from);

ALTER TABLE {{database}}.drift_metrics
    ADD COLUMN IF NOT EXISTS seq_from UInt64,
    MODIFY ORDER BY (model_version, window_start, window_end, feature, statistic, seq_from);

ALTER TABLE {{database}}.model_performance
    ADD COLUMN IF NOT EXISTS seq_from UInt64,
    MODIFY ORDER BY (model_version, role, kind, window_start, window_end, seq_from);
