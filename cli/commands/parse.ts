// `exchange parse <file>`: decode, detect or pick the adapter, parse, print the ParseResult JSON.
import { UsageError } from '../../lib/errors.ts';
import { isIsoDate } from '../../ingest/parse/dates.ts';
import { readPageFile } from '../../ingest/run/pageFile.ts';
import { MappingError } from '../../ingest/source/errors.ts';
import { LARGEST_PAGE_BYTES, SOURCES, getSource, parsePage } from '../../ingest/source/index.ts';
import { pageLimit } from '../../ingest/source/types.ts';
import type { Command } from '../command.ts';

const sourceList = SOURCES.map((s) => `  ${s.id.padEnd(16)} ${s.title}`).join('\n');

async function readMapping(path: string): Promise<unknown> {
  const text = (await readPageFile(path, pageLimit(undefined), 'mapping file')).toString('utf8');
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

Reads at most the size ingest fetches for the source: 4 MiB for a daily page, 32 MiB for a
whole-history series (ecb-hist); a larger file is refused, exit 1. Pages nesting elements deeper than
512 levels are refused too (exit 1). A zip archive is read from its entry (ecb-hist's CSV). Decodes the page (Content-Type is unknown for a file, so: BOM, <meta charset>, XML declaration,
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
    const source = values.source as string | undefined;
    // The source's own cap when it is named; detection then checks the detected source's.
    const limit = source
      ? pageLimit(getSource(source))
      : mapping === undefined
        ? { maxBytes: LARGEST_PAGE_BYTES, kind: 'any source' }
        : pageLimit(undefined);
    const body = await readPageFile(file, limit);
    const result = parsePage({ body }, { source, date, mapping });
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
