// Fetching: one configured got instance and fetchPage over it.
export {
  createHttpClient,
  resolveHttpSettings,
  type HttpClient,
  type HttpClientOptions,
  type HttpClientSettings,
} from './client.ts';
export { FetchError, ResponseTooLargeError, type FetchErrorKind } from './errors.ts';
export { fetchPage, type FetchedPage } from './fetchPage.ts';
export { isRetryableStatus, retryDelayMs, type RetryPolicy } from './retry.ts';
