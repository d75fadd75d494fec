-- Model registry: an append-only event log, one row per lifecycle step of a model version
-- (registered, evaluated, promoted, demoted, rejected, shadowed, unshadowed, rolled_back). `status`
-- is the version's status AFTER the event (candidate | shadow | champion | retired). Nothing is
-- updated in place: the current status of a version is its latest event, read through the view
-- `model_registry_current` (argMax over (decided_at, seq)). Artifacts live in the object store
-- (`models/<name>/<version>/model.onnx` + `model.json`); the live pointers in JetStream KV
-- `models` (keys `active`, `shadow`). `metrics` is JSON: the card's test metrics at registration,
-- the shared held-out evaluation of candidate and champion at evaluation.
CREATE TABLE IF NOT EXISTS {{database}}.model_registry
(
    name LowCardinality(String),
    version String,
    status LowCardinality(String),
    event LowCardinality(String),
    reason String,
    trigger LowCardinality(String),
    metrics String,
    previous_version String,
    actor String,
    created_at DateTime64(3, 'UTC'),
    decided_at DateTime64(3, 'UTC'),
    seq UInt64
)
ENGINE = MergeTree
ORDER BY (name, version, decided_at, seq);

CREATE VIEW IF NOT EXISTS {{database}}.model_registry_current AS
SELECT name,
       version,
       argMax(status, (decided_at, seq)) AS status,
       argMax(event, (decided_at, seq)) AS last_event,
       argMax(reason, (decided_at, seq)) AS last_reason,
       min(created_at) AS first_created_at,
       max(decided_at) AS last_decided_at
FROM {{database}}.model_registry
GROUP BY name, version;
