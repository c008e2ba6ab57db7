// Publishing to S3: the client, the pure plan of what is written, and the writer.
export { createS3Client, s3ClientConfig, type S3ClientOptions } from './s3Client.ts';
export { DatesIndexConflict, PublishError } from './errors.ts';
export { fullQuote, planFailed, planPublish, quotesCsv, rawContentType } from './files.ts';
export type { DataFile, FailedPage, PlannedObject, PublishInput, PublishPlan, RawPage } from './files.ts';
export { keepFailed, publish, type PublishResult } from './publish.ts';
