// Policies for AWS limits that type-check, pass mocks and `pulumi preview`, and then fail at deploy time.
import * as aws from '@pulumi/aws';
import { validateResourceOfType, type ReportViolation, type ResourceValidationPolicy } from '@pulumi/policy';
import { MAX_WEIGHT, weightProblem } from '../../contract/weights.ts';
import { containersOf } from './documents.ts';

/** The engine appends "-" + 7 random chars to auto-named resources. */
const AUTONAME_SUFFIX = 8;
const LB_NAME_MAX = 32;
const BUCKET_NAME_MAX = 63;

export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Fargate cpu units → allowed memory MiB (AWS "Task CPU and memory" table). */
export function fargateMemoryAllowed(cpu: number, memory: number): boolean {
  const range = (lo: number, hi: number, step: number) =>
    memory >= lo && memory <= hi && (memory - lo) % step === 0;
  switch (cpu) {
    case 256:
      return [512, 1024, 2048].includes(memory);
    case 512:
      return range(1024, 4096, 1024);
    case 1024:
      return range(2048, 8192, 1024);
    case 2048:
      return range(4096, 16384, 1024);
    case 4096:
      return range(8192, 30720, 1024);
    case 8192:
      return range(16384, 61440, 4096);
    case 16384:
      return range(32768, 122880, 8192);
    default:
      return false;
  }
}

function lbNameProblems(
  kind: string,
  props: { name?: string; namePrefix?: string },
  logical: string,
  report: ReportViolation,
  prefixMax: number,
): void {
  if (typeof props.name === 'string') {
    if (props.name.length > LB_NAME_MAX || !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(props.name)) {
      report(
        `${kind} name "${props.name}" must be 1–${LB_NAME_MAX} of [A-Za-z0-9-], not starting or ending with "-".`,
      );
    }
  } else if (typeof props.namePrefix === 'string') {
    if (props.namePrefix.length > prefixMax)
      report(`${kind} namePrefix "${props.namePrefix}" is longer than ${prefixMax} characters.`);
  } else if (logical.length > LB_NAME_MAX - AUTONAME_SUFFIX || !/^[A-Za-z0-9-]+$/.test(logical)) {
    report(
      `${kind} logical name "${logical}" (${logical.length} chars) becomes its AWS name plus an 8-char suffix; ` +
        `keep it ≤ ${LB_NAME_MAX - AUTONAME_SUFFIX} chars of [A-Za-z0-9-] or set an explicit name ≤ ${LB_NAME_MAX}.`,
    );
  }
}

export const lbNameLength: ResourceValidationPolicy = {
  name: 'lb-name-length',
  description:
    "Target group and load balancer names fit AWS's 32 characters, including the auto-name suffix.",
  enforcementLevel: 'mandatory',
  validateResource: [
    validateResourceOfType(aws.lb.TargetGroup, (tg, args, report) =>
      lbNameProblems('Target group', tg, args.name, report, 6),
    ),
    validateResourceOfType(aws.lb.LoadBalancer, (lb, args, report) =>
      lbNameProblems('Load balancer', lb, args.name, report, 6),
    ),
  ],
};

export const targetGroupHealthCheck: ResourceValidationPolicy = {
  name: 'tg-health-check',
  description:
    'Target group health check: timeout < interval, interval 5–300 s, timeout 2–120 s, thresholds 2–10, deregistration delay 0–3600 s.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.lb.TargetGroup, (tg, _args, report) => {
    const hc = tg.healthCheck ?? {};
    // AWS defaults for HTTP(S) target groups apply to whichever of the two is not set.
    const interval = hc.interval ?? 30;
    const timeout = hc.timeout ?? 5;
    if (interval < 5 || interval > 300) report(`Health check interval ${interval} s is outside 5–300.`);
    if (timeout < 2 || timeout > 120) report(`Health check timeout ${timeout} s is outside 2–120.`);
    if (timeout >= interval)
      report(`Health check timeout ${timeout} s must be less than the interval ${interval} s.`);
    for (const key of ['healthyThreshold', 'unhealthyThreshold'] as const) {
      const v = hc[key];
      if (v !== undefined && (v < 2 || v > 10)) report(`Health check ${key} ${v} is outside 2–10.`);
    }
    if (hc.path !== undefined && !hc.path.startsWith('/'))
      report(`Health check path "${hc.path}" must start with "/".`);
    const delay = tg.deregistrationDelay;
    if (delay !== undefined && (delay < 0 || delay > 3600))
      report(`deregistrationDelay ${delay} s is outside 0–3600.`);
  }),
};

/** ECS container health check ranges (RegisterTaskDefinition refuses values outside them). */
const CONTAINER_HC: [key: string, min: number, max: number][] = [
  ['interval', 5, 300],
  ['timeout', 2, 60],
  ['retries', 1, 10],
  ['startPeriod', 0, 300],
];

export const containerHealthCheck: ResourceValidationPolicy = {
  name: 'container-health-check',
  description:
    'Container health checks: command starts with CMD or CMD-SHELL; interval 5–300 s, timeout 2–60 s, retries 1–10, startPeriod 0–300 s.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecs.TaskDefinition, (td, _args, report) => {
    for (const c of containersOf(td.containerDefinitions)) {
      const hc = (c as { healthCheck?: Record<string, unknown> }).healthCheck;
      if (hc === undefined) continue;
      const cmd = Array.isArray(hc.command) ? hc.command : [];
      if (cmd[0] !== 'CMD' && cmd[0] !== 'CMD-SHELL')
        report(`Container "${c.name ?? '?'}" healthCheck.command must start with "CMD" or "CMD-SHELL".`);
      for (const [key, min, max] of CONTAINER_HC) {
        const v = hc[key];
        if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max))
          report(`Container "${c.name ?? '?'}" healthCheck.${key} ${String(v)} is outside ${min}–${max}.`);
      }
    }
  }),
};

export const fargateCpuMemory: ResourceValidationPolicy = {
  name: 'fargate-cpu-memory',
  description: 'Fargate task definitions use a cpu/memory pair AWS accepts.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecs.TaskDefinition, (td, _args, report) => {
    if (!(td.requiresCompatibilities ?? []).includes('FARGATE')) return;
    const cpu = Number(td.cpu);
    const memory = Number(td.memory);
    if (!fargateMemoryAllowed(cpu, memory)) {
      report(
        `Fargate cpu ${String(td.cpu)} / memory ${String(td.memory)} is not a valid pair (e.g. 256/512, 512/1024, 1024/2048).`,
      );
    }
  }),
};

interface ForwardLike {
  type?: string;
  forward?: {
    targetGroups?: { arn?: string; weight?: number }[];
    stickiness?: { enabled?: boolean; duration?: number };
  };
}

function checkForwardWeights(actions: ForwardLike[] | undefined, report: ReportViolation): void {
  for (const a of actions ?? []) {
    const tgs = a.forward?.targetGroups;
    if (tgs === undefined) continue;
    if (tgs.length < 1 || tgs.length > 5)
      report(`A forward action lists ${tgs.length} target groups; AWS allows 1–5.`);
    const weights = tgs.map((t) => t.weight ?? 1);
    const bad = weights.find((w) => weightProblem(w) !== undefined);
    if (bad !== undefined) report(`Forward weight ${bad} is outside 0–${MAX_WEIGHT}.`);
    if (tgs.length > 0 && weights.every((w) => w === 0))
      report('All forward weights are 0: the listener would route nowhere.');
  }
}

function checkStickiness(actions: ForwardLike[] | undefined, report: ReportViolation): void {
  for (const a of actions ?? []) {
    const s = a.forward?.stickiness;
    if (s === undefined || s.enabled === false) continue;
    const d = s.duration;
    if (d === undefined || !Number.isInteger(d) || d < 1 || d > 604800)
      report(`Forward stickiness duration ${String(d)} s is outside 1–604800.`);
  }
}

export const forwardWeights: ResourceValidationPolicy = {
  name: 'forward-weights',
  description: `Weighted forward actions list 1–5 target groups with weights 0–${MAX_WEIGHT}, not all zero.`,
  enforcementLevel: 'mandatory',
  validateResource: [
    validateResourceOfType(aws.lb.Listener, (l, _a, report) => checkForwardWeights(l.defaultActions, report)),
    validateResourceOfType(aws.lb.ListenerRule, (r, _a, report) => checkForwardWeights(r.actions, report)),
  ],
};

export const forwardStickiness: ResourceValidationPolicy = {
  name: 'forward-stickiness',
  description: 'Forward-action stickiness duration is 1–604800 seconds when enabled.',
  enforcementLevel: 'mandatory',
  validateResource: [
    validateResourceOfType(aws.lb.Listener, (l, _a, report) => checkStickiness(l.defaultActions, report)),
    validateResourceOfType(aws.lb.ListenerRule, (r, _a, report) => checkStickiness(r.actions, report)),
  ],
};

export const listenerRulePriority: ResourceValidationPolicy = {
  name: 'listener-rule-priority',
  description:
    'Listener rules set an explicit priority in 1–50000 (auto-assigned priorities race between stacks).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.lb.ListenerRule, (rule, _a, report) => {
    const p = rule.priority;
    if (p === undefined || !Number.isInteger(p) || p < 1 || p > 50000)
      report(`Listener rule priority ${String(p)} must be an integer in 1–50000.`);
  }),
};

export const logRetention: ResourceValidationPolicy = {
  name: 'log-retention',
  description: 'Log groups set a retention AWS accepts (never-expiring logs grow cost forever).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (lg, _a, report) => {
    const d = lg.retentionInDays;
    if (d === undefined || !LOG_RETENTION_DAYS.includes(d))
      report(`retentionInDays ${String(d)} is not one of ${LOG_RETENTION_DAYS.join(', ')}.`);
  }),
};

/** Why a bucket name breaks S3's naming rules, or undefined. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > BUCKET_NAME_MAX)
    return `is ${name.length} chars (3–${BUCKET_NAME_MAX})`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
    return 'must be lower-case a-z 0-9 . - and start/end with a letter or digit';
  if (name.includes('..')) return 'must not contain ".."';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not look like an IP address';
  if (/^(xn--|sthree-)/.test(name) || /(-s3alias|--ol-s3|--x-s3)$/.test(name))
    return 'uses a prefix/suffix AWS reserves';
  return undefined;
}

export const bucketName: ResourceValidationPolicy = {
  name: 'bucket-name',
  description:
    'Explicit bucket names follow S3 rules; auto-named buckets have a logical name the auto-namer turns into a valid one.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.s3.Bucket, (b, args, report) => {
    if (typeof b.bucket === 'string') {
      const p = bucketNameProblem(b.bucket);
      if (p) report(`Bucket name "${b.bucket}" ${p}.`);
    } else if (typeof b.bucketPrefix === 'string') {
      if (b.bucketPrefix.length > BUCKET_NAME_MAX - 26)
        report(`bucketPrefix "${b.bucketPrefix}" is longer than ${BUCKET_NAME_MAX - 26} chars.`);
    } else {
      // The auto-namer lower-cases but keeps "_" and adds an 8-char suffix.
      const p = bucketNameProblem(`${args.name.toLowerCase()}-abcdefg`);
      if (p) report(`Bucket logical name "${args.name}" yields an invalid auto-name: it ${p}.`);
    }
  }),
};
