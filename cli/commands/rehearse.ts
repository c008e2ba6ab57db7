// `exchange rehearse`: a whole release rehearsal on this machine — both colours, the real controller,
// steady load, an optional fault — then a report; exit 0 only when the outcome is the right one.
import { writeFile } from 'node:fs/promises';
import { appInfo } from '../../ingest/run/version.ts';
import { FAULT_KINDS, parseFault } from '../../local/rehearsal/fault.ts';
import { formatRehearsal } from '../../local/rehearsal/format.ts';
import { REHEARSAL_DEFAULTS, RehearsalStopped, rehearse } from '../../local/rehearsal/run.ts';
import { abortOnStop, optionalInt, type Command } from '../command.ts';
import { MAX_LOCAL_TASKS } from '../../local/system.ts';

const command: Command = {
  name: 'rehearse',
  summary: 'Rehearse a shift locally under load, optionally with a fault, and report',
  help: `Usage: exchange rehearse [--strategy <s>] [--bake <seconds>] [--fault <kind>[@<step>] | capacity:<K>] [--tasks <n>] [--rps <n>] [--json] [--html FILE]

On free loopback ports and a temporary folder: starts the local system (embedded S3, the real
ingest and one real serve process per colour, the weighted router) with the candidate version on
the idle colour (green), puts steady keep-alive load on the router, shifts to green with the same
controller and gates as "exchange shift", prints a report and stops everything. Health checks,
drain and driver timings run at ${REHEARSAL_DEFAULTS.timeScale}× the target group's.

Exit 0 when the outcome is right: without a fault, 100% on green with 0 failed requests; with a
fault, 100% back on blue within the fault's budget — counted in the controller's check rounds plus
one rollback write, so a busy machine (reported as the load average beside the wall-clock figure)
does not fail it — with failed requests only from green between the fault and the rollback; with a
shared fault, no rollback and the judge saying the fault is shared. Exit 1 otherwise. Ctrl-C (SIGINT) or SIGTERM stops the
rehearsal and everything it started at once: exit 130 or 143, no report.

Flags:
  --strategy <s>       all-at-once | canary[:P] | linear[:N] | steps:P1,…,100 (default: canary)
  --bake <seconds>     bake per step, whole seconds (default: ${REHEARSAL_DEFAULTS.bakeSeconds})
  --fault <kind>[@n]   ${FAULT_KINDS.join(' | ')}, starting during step n's bake (default step 1):
                         unhealthy          green's health checks answer 503
                         5xx                green's pages answer 500
                         slow               green's pages take 1.5 s more (p99 over the 1000 ms limit)
                         kill               green's serve processes get SIGKILL
                         5xx-rate:P         P % of green's pages answer 500 (evenly spread), e.g. 5xx-rate:2
                         slow-relative:F    green's pages F× slower, under the absolute limit, e.g. slow-relative:1.6
                         shared:5xx         5 % of pages 500 on BOTH colours (an upstream burst): must not roll back
                         shared:slow        both colours 1.6× slower; also shared:5xx-rate:P, shared:slow-relative:F
                       Pages take a simulated 10–30 ms (S3 and network) on both colours.
  --fault capacity:K   green starts with K tasks and can never run more (no capacity to place them):
                       the shift must hold before its first step with the capacity gate's reason and
                       never send green more than its share; K must be below what that step needs
  --tasks <n>          serve processes per colour (default: 1); before the shift green is raised to
                       blue's × 1.2, as the pipeline's capacity step does
  --rps <n>            load on the router, requests/s (default: ${REHEARSAL_DEFAULTS.rps}; at most ${REHEARSAL_DEFAULTS.maxSeconds} s of it)
  --json               the report as one JSON object
  --html FILE          also write the release page: weights, observed split, each colour's requests,
                       5xx and latency per judged window, every gate decision, the rollback marked
  -h, --help           this help`,
  stopsWithParent: true,
  options: {
    strategy: { type: 'string' },
    bake: { type: 'string' },
    fault: { type: 'string' },
    rps: { type: 'string' },
    tasks: { type: 'string' },
    json: { type: 'boolean' },
    html: { type: 'string' },
  },
  async run(values, _positionals, ctx) {
    const fault = values.fault === undefined ? null : parseFault(values.fault as string);
    const report = await rehearse({
      signal: abortOnStop(ctx, (sig) => new RehearsalStopped(sig)),
      version: appInfo(ctx.env).version,
      strategy: values.strategy as string | undefined,
      bakeSeconds: optionalInt(values, 'bake', 'rehearse', { min: 1, max: 3600 }),
      rps: optionalInt(values, 'rps', 'rehearse', { min: 1, max: 5000 }),
      tasks: optionalInt(values, 'tasks', 'rehearse', { min: 1, max: MAX_LOCAL_TASKS }),
      fault,
      html: typeof values.html === 'string',
      log: ctx.log,
    });
    const { page, ...rest } = report;
    if (typeof values.html === 'string' && page !== undefined) await writeFile(values.html, page);
    ctx.stdout(values.json ? `${JSON.stringify(rest)}\n` : formatRehearsal(rest));
    if (typeof values.html === 'string' && !values.json)
      ctx.stdout(`release page written to ${values.html}\n`);
    return report.ok ? 0 : 1;
  },
};

export default command;
