// CLI entry: only wires argv to the dispatcher and exits with its code.
import { main } from './run.ts';

const code = await main(process.argv.slice(2));
// Wait for stdout to drain before exiting so piped JSON is never truncated.
process.stdout.write('', () => process.exit(code));
