/**
 * The gateway's composition: the windowed JetStream publisher, auth, IngestService (with uploads)
 * and PredictionService on one gRPC server with TLS, health and reflection. Owners are
 * registered so that shutdown stops the server first, then background uploads, then the
 * publisher (which waits for its last PubAcks).
 */
import { join } from 'node:path';
import type { Infrastructure } from '../runtime.js';
import { objectStoreFor } from '../registry/context.js';
import type { ObjectStore } from '../store/index.js';
import { IngestionRepo, storeUploadObjects, UploadService } from '../upload/index.js';
import { noAuth, tokenAuth, type Authenticator } from './auth.js';
import { startGrpcServer, type GrpcEndpoint } from './grpc-server.js';
import { createIngestService, INGEST_SERVICE_DEFINITION } from './ingest-service.js';
import { createPredictionService, PREDICTION_SERVICE_DEFINITION } from './prediction-service.js';
import { latestPredictionFrom } from './prediction-store.js';
import { JetStreamPublisher } from '../bus/publisher.js';
import { serverCredentials } from './tls.js';
import { openTokenBucket } from './tokens.js';
import type { CallContext } from './unary.js';

async function authenticator(infra: Infrastructure): Promise<Authenticator> {
  const { grpc } = infra.cfg;
  return grpc.authMode === 'token' ? tokenAuth(await openTokenBucket(infra.bus.js, grpc.tokenBucket)) : noAuth;
}

function uploadService(infra: Infrastructure, ctx: CallContext, publisher: JetStreamPublisher, store: ObjectStore): UploadService {
  const { cfg, pii } = infra;
  const g = cfg.grpc;
  return new UploadService({
    ...ctx,
    publisher,
    repo: new IngestionRepo(infra.ch),
    objects: storeUploadObjects(store),
    limits: { maxBytes: g.maxUploadBytes, maxRows: g.maxUploadRows, maxInflatedBytes: g.maxUploadInflatedBytes, maxZipRatio: g.maxZipRatio },
    spoolDir: g.spoolDir ?? join(cfg.dataDir, 'spool'),
    publishWindow: g.streamWindow,
    hashPii: (v) => pii.hash(v),
    maxConcurrent: g.maxConcurrentUploads,
    heartbeatMs: g.uploadHeartbeatMs,
    staleAfterMs: g.uploadStaleAfterMs,
  });
}

/** Starts the gRPC gateway on the infrastructure and registers its owners for shutdown. */
export async function startIngestGateway(infra: Infrastructure): Promise<GrpcEndpoint> {
  const { cfg, metrics } = infra;
  const g = cfg.grpc;
  const credentials = serverCredentials(g);
  const ctx: CallContext = { auth: await authenticator(infra), log: infra.log.child({ stage: 'ingest' }), metrics, unaryTimeoutMs: g.unaryTimeoutMs };
  const publisher = infra.stack.use(
    'ingest-publisher',
    new JetStreamPublisher(infra.bus.nc, { timeoutMs: g.publishTimeoutMs, maxPending: g.maxPendingPublishes, metrics }),
  );
  const store = await objectStoreFor(infra); // shared with the archiver and the registry; disposed with the infrastructure
  const uploads = infra.stack.use('uploads', uploadService(infra, ctx, publisher, store));
  await uploads.start(); // records uploads interrupted by a stopped gateway, removes their spool files
  const ingest = createIngestService({
    ...ctx,
    publisher,
    streamWindow: g.streamWindow,
    uploadFile: uploads.handler,
    ingestionStatus: (id) => uploads.status(id),
  });
  const predictions = createPredictionService({ ...ctx, js: infra.bus.js, hashHousehold: (v) => infra.pii.hash(v), latest: latestPredictionFrom(infra.ch) });
  const endpoint = await startGrpcServer(
    {
      host: g.host,
      port: g.port,
      maxMessageBytes: g.maxMessageBytes,
      shutdownGraceMs: g.shutdownGraceMs,
      credentials,
      keepaliveTimeMs: g.keepaliveTimeMs,
      keepaliveTimeoutMs: g.keepaliveTimeoutMs,
    },
    [
      { name: 'surveystream.v1.IngestService', definition: INGEST_SERVICE_DEFINITION, implementation: ingest },
      { name: 'surveystream.v1.PredictionService', definition: PREDICTION_SERVICE_DEFINITION, implementation: predictions },
    ],
  );
  return infra.stack.use('grpc', endpoint);
}
