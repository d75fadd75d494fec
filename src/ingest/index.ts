/**
 * The gateway's public surface for other modules (uploads, CLI, tests). The composition
 * (`startIngestGateway`) lives in `gateway.ts` and is imported by the runtime only.
 */
export { noAuth, tokenAuth, bearerToken, type Authenticator } from './auth.js';
export { checkEnvelope, SUBMISSION_ID_RE } from './envelope.js';
export { isRecordError, parsePubAck, RetryAfterMs, type PublishResult } from '../bus/pub-ack.js';
export { JetStreamPublisher, type PublishCallback, type PublishOptions, type PublisherOptions } from '../bus/publisher.js';
export { decodePrediction, riskFromText, riskToken } from './prediction-codec.js';
export { issueToken, listTokens, openTokenBucket, revokeToken, verifyToken, type Principal, type TokenRecord } from './tokens.js';
export { logFailure, unary, type CallContext, type UnaryBody } from './unary.js';
