// Publishing to S3: the client, the pure plan of what is written, and the writer.
export { createS3Client, s3ClientConfig, type S3ClientOptions } from './s3Client.ts';
export { DatesIndexConflict, PublishError } from './errors.ts';
export { fullQuote, planFailed, quotesCsv, rawContentType } from './files.ts';
export type { DataFile, FailedPage, PlannedObject, PublishInput, RawPage } from './files.ts';
export { keepFailed } from './publish.ts';
export { publishDays, type DaysInput, type DaysResult } from './days.ts';
