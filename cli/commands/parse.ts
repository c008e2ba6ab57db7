// `exchange parse <file>`: decode, detect or pick the adapter, parse, print the ParseResult JSON.
import { open } from 'node:fs/promises';
import { ExchangeError, UsageError } from '../../lib/errors.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../ingest/fetch/client.ts';
import { isIsoDate } from '../../ingest/parse/dates.ts';
import { MappingError } from '../../ingest/source/errors.ts';
import { SOURCES, parsePage } from '../../ingest/source/index.ts';
import type { Command } from '../command.ts';

const sourceList = SOURCES.map((s) => `  ${s.id.padEnd(16)} ${s.title}`).join('\n');

/** Reads at most `maxBytes` + 1 bytes, so a huge (or endless, e.g. /dev/zero) file is refused, not loaded. */
async function readInput(path: string, what: string, maxBytes = DEFAULT_MAX_RESPONSE_BYTES): Promise<Buffer> {
  let bytes: Buffer;
  try {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(maxBytes + 1);
      let length = 0;
      for (let n = -1; n !== 0 && length <= maxBytes; length += n) {
        n = (await file.read(buffer, length, buffer.length - length, null)).bytesRead;
      }
      bytes = buffer.subarray(0, length);
    } finally {
      await file.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ExchangeError(`cannot read ${what} "${path}" (${code})`, {
      hint: 'check the path and permissions',
    });
  }
  if (bytes.length > maxBytes) {
    throw new ExchangeError(
      `${what} "${path}" is larger than the ${maxBytes}-byte limit ingest also applies`,
      {
        hint: 'check it is the quotes page; ingest would refuse a page this large too',
      },
    );
  }
  return bytes;
}

async function readMapping(path: string): Promise<unknown> {
  const text = (await readInput(path, 'mapping file')).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new MappingError('(file)', `${path} is not valid JSON (${(err as Error).message})`);
  }
}

const command: Command = {
  name: 'parse',
  summary: 'Parse a saved page and print its quotes as JSON',
  help: `Usage: exchange parse <file> [--source <id>] [--date YYYY-MM-DD] [--mapping <file.json>]

Reads at most 4 MiB, as ingest fetches (a larger file is refused, exit 1); pages nesting elements
deeper than 512 levels are refused too (exit 1). Decodes the page (Content-Type is unknown for a file, so: BOM, <meta charset>, XML declaration,
valid UTF-8, else windows-1252), picks the adapter and prints one JSON object on stdout:
  { "source": "<id>", "quotes": [Quote…], "rejected": [{ "row": <n>, "reason": "…" }] }

Flags:
  --source <id>          adapter to use; without it the page is detected from its content
  --date YYYY-MM-DD      trading date for pages that carry none (gpw-2016); overrides an
                         inferred date (gpw-quotations)
  --mapping <file.json>  parse with a generic table mapping instead of a built-in adapter
                         (example: ingest/source/mappings/dse.json)
  -h, --help             this help

Known sources:
${sourceList}

Exit codes: 0 parsed, 1 the page could not be parsed (layout changed, undetected, unreadable),
2 usage error (unknown flag or source, bad date, bad mapping).`,
  options: {
    source: { type: 'string' },
    date: { type: 'string' },
    mapping: { type: 'string' },
  },
  positionals: true,
  async run(values, positionals, ctx) {
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length > 0) {
      throw new UsageError('parse: expected exactly one <file>', { hint: 'run "exchange parse --help"' });
    }
    const date = values.date as string | undefined;
    if (date !== undefined && !isIsoDate(date)) {
      throw new UsageError(`parse: --date "${date}" is not a real YYYY-MM-DD day`, {
        hint: 'pass e.g. --date 2016-09-09',
      });
    }
    const mappingPath = values.mapping as string | undefined;
    const mapping = mappingPath === undefined ? undefined : await readMapping(mappingPath);
    const body = await readInput(file, 'page');
    const result = parsePage({ body }, { source: values.source as string | undefined, date, mapping });
    ctx.log.info('parsed', {
      file,
      source: result.source,
      quotes: result.quotes.length,
      rejected: result.rejected.length,
    });
    ctx.stdout(`${JSON.stringify(result)}\n`);
    return 0;
  },
};

export default command;
