/** File uploads (IngestService.UploadFile) and ingestion status: the public surface. */
export { UploadService, type UploadServiceDeps } from './upload-service.js';
export { IngestionRepo, type IngestionRow, type IngestionPhase } from './ingestion-repo.js';
export { storeUploadObjects, uploadKey, safeFileName, type UploadObjects } from './object-sink.js';
export { formatFromName, resolveFormat, type UploadFormat } from './formats.js';
export type { UploadLimits } from './types.js';
export { readSurveyFile } from './read-file.js';
