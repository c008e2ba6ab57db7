// A write to the bucket failed after the SDK's own retries: names the key, and says the pointer
// was left alone so readers still see the previous complete publish.
import { ExchangeError } from '../../lib/errors.ts';

export class PublishError extends ExchangeError {
  override name = 'PublishError';

  constructor(
    readonly bucket: string,
    readonly key: string,
    /** Keys written before the failure (they are harmless: nothing points at them yet). */
    readonly written: string[],
    cause: unknown,
    options: { pointerUntouched?: boolean } = {},
  ) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    const untouched = options.pointerUntouched ?? true;
    super(`could not write s3://${bucket}/${key}: ${reason.split('\n')[0]}`, {
      cause,
      hint: `${untouched ? 'data/latest.json was not changed; ' : ''}check the bucket name, credentials and AWS_ENDPOINT_URL_S3, then re-run (the same keys are replaced)`,
    });
  }
}
