/**
 * Monitoring (DESIGN §6): drift per window against the model card, realised and estimated (CBPE)
 * performance, alerts on `alerts.v1.<severity>.<kind>`, consumer lag/stall and the health score.
 */
export { Monitor, HEALTH_SUBJECT, type MonitorOptions, type MonitorDeps } from './monitor.js';
export { createMonitorMetrics, type MonitorMetrics } from './monitor-metrics.js';
export { DEFAULT_DRIFT_THRESHOLDS, windowDrift, driftedFeatures, type DriftStat, type DriftThresholds } from './drift.js';
export { AlertManager, AlertKind, Severity, alertKey, type Alert, type Condition, type AlertSink } from './alerts.js';
export { computeHealth, healthScore, healthStatus, HEALTH_WEIGHTS, type HealthReport, type HealthStatus } from './health.js';
export { countFeatures, countNumeric, type FeatureCounts } from './feature-bins.js';
export { binProbabilities, estimatedPerformance, realisedPerformance, type PerformanceRow } from './performance.js';
export type { RuleThresholds } from './rules.js';
export type { WindowSpec } from './windows.js';
