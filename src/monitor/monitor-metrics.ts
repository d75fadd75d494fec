/**
 * Prometheus metrics of the monitor role, registered on the role's shared registry next to the
 * pipeline metrics (src/telemetry/metrics.ts). Labels are bounded: features of the model card,
 * statistics, stream/consumer names, alert kinds and severities.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

/** Metrics the monitor updates. */
export interface MonitorMetrics {
  readonly consumerPending: Gauge<'stream' | 'consumer'>;
  readonly consumerAckPending: Gauge<'stream' | 'consumer'>;
  readonly consumerRedelivered: Gauge<'stream' | 'consumer'>;
  readonly consumerStalledSeconds: Gauge<'stream' | 'consumer'>;
  readonly modelInfo: Gauge<'model' | 'version' | 'role'>;
  readonly driftStatistic: Gauge<'feature' | 'statistic'>;
  readonly datasetDriftShare: Gauge;
  readonly windows: Counter<'kind'>;
  readonly alertsFiring: Gauge<'kind' | 'severity'>;
  readonly healthScore: Gauge;
  readonly estimatedF1: Gauge<'model_version' | 'kind'>;
}

/** Registers the monitor metrics on `registry`. */
export function createMonitorMetrics(registry: Registry): MonitorMetrics {
  const registers = [registry];
  const consumer = ['stream', 'consumer'] as const;
  return {
    consumerPending: new Gauge({ name: 'surveystream_jetstream_consumer_pending_messages', help: 'Messages on the stream not yet delivered to the consumer (lag).', labelNames: consumer, registers }),
    consumerAckPending: new Gauge({ name: 'surveystream_jetstream_consumer_ack_pending_messages', help: 'Messages delivered and not yet acknowledged.', labelNames: consumer, registers }),
    consumerRedelivered: new Gauge({ name: 'surveystream_jetstream_consumer_redelivered_messages', help: 'Messages currently pending that were delivered more than once.', labelNames: consumer, registers }),
    consumerStalledSeconds: new Gauge({ name: 'surveystream_jetstream_consumer_stalled_seconds', help: 'Seconds the consumer has had work waiting without progress (0 = progressing).', labelNames: consumer, registers }),
    modelInfo: new Gauge({ name: 'surveystream_model_info', help: 'The model being monitored (always 1), by name, version and role.', labelNames: ['model', 'version', 'role'], registers }),
    driftStatistic: new Gauge({ name: 'surveystream_drift_statistic', help: 'Drift statistic of the last window, by model feature and statistic.', labelNames: ['feature', 'statistic'], registers }),
    datasetDriftShare: new Gauge({ name: 'surveystream_drift_dataset_drifted_feature_ratio', help: 'Share of model features drifted in the last window.', registers }),
    windows: new Counter({ name: 'surveystream_monitor_windows_total', help: 'Monitoring windows closed and evaluated.', labelNames: ['kind'], registers }),
    alertsFiring: new Gauge({ name: 'surveystream_alerts_firing', help: 'Alerts currently firing, by kind and severity.', labelNames: ['kind', 'severity'], registers }),
    healthScore: new Gauge({ name: 'surveystream_health_score', help: 'Health score (0.4 pipeline + 0.3 quality + 0.2 model + 0.1 resources).', registers }),
    estimatedF1: new Gauge({ name: 'surveystream_model_f1_ratio', help: 'Champion F1 of the last window, realised or estimated (CBPE).', labelNames: ['model_version', 'kind'], registers }),
  };
}
