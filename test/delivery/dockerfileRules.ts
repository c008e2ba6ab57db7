// The image's rules, checked on the parsed Dockerfile (dockerfile-ast) and GitLab-independent:
// each function returns the problems found, one line each naming the fix; [] means the file passes.
import {
  DockerfileParser,
  type Instruction,
  type JSONInstruction,
  type PropertyInstruction,
} from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

export const BASE_ARG = 'NODE_IMAGE';
export const ENTRYPOINT = ['node', 'bin/exchange.js'] as const;
export const DEFAULT_CMD = ['serve'] as const;
export const OCI_LABELS = ['source', 'revision', 'version', 'created'].map(
  (k) => `org.opencontainers.image.${k}`,
);
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PASSPHRASE|ACCESS_KEY|PRIVATE_KEY|CREDENTIAL)/i;
const SECRET_FILE = /(^|\/)(\.npmrc|\.env(\..*)?|id_rsa|\.aws|credentials)$/;
/** Pinned = an exact x.y.z tag or a sha256 digest; "24", "24-slim" or "latest" drift under you. */
const PINNED_REF = /(:\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?|@sha256:[0-9a-f]{64})$/;

function jsonArgs(ins: Instruction | undefined): string[] | undefined {
  const strings = (ins as JSONInstruction | undefined)?.getJSONStrings?.() ?? [];
  return strings.length > 0 ? strings.map((s) => s.getJSONValue()) : undefined;
}

function finalStage(all: Instruction[]): Instruction[] {
  const lastFrom = all.map((i) => i.getKeyword()).lastIndexOf('FROM');
  return all.slice(lastFrom + 1);
}

function checkBase(all: Instruction[], problems: string[]): void {
  const firstFrom = all.findIndex((i) => i.getKeyword() === 'FROM');
  const arg = all
    .slice(0, Math.max(firstFrom, 0))
    .find((i) => i.getKeyword() === 'ARG' && i.getArguments()[0]?.getValue().startsWith(`${BASE_ARG}=`));
  const base =
    arg
      ?.getArguments()[0]
      ?.getValue()
      .slice(BASE_ARG.length + 1) ?? '';
  if (!arg)
    problems.push(
      `no "ARG ${BASE_ARG}=<image>" before the first FROM: declare the base there so builds can override it`,
    );
  else if (!PINNED_REF.test(base) || !/node:24\./.test(base))
    problems.push(
      `ARG ${BASE_ARG} default "${base}" is not Node 24 pinned to an exact version or digest: use e.g. node:24.x.y-bookworm-slim`,
    );
  const stages = new Set<string>();
  for (const from of all.filter((i) => i.getKeyword() === 'FROM')) {
    const [image, as, stage] = from.getArguments().map((a) => a.getValue());
    if (image !== `\${${BASE_ARG}}` && !stages.has(image ?? ''))
      problems.push(`FROM ${image} bypasses the pinned base: use FROM \${${BASE_ARG}} or an earlier stage`);
    if (as?.toUpperCase() === 'AS' && stage) stages.add(stage);
  }
  if (stages.size < 1)
    problems.push(
      'single-stage build: compile in a build stage and copy only dist/ and production node_modules',
    );
}

function checkRuntime(stage: Instruction[], problems: string[]): void {
  const users = stage
    .filter((i) => i.getKeyword() === 'USER')
    .map((i) => i.getArguments()[0]?.getValue() ?? '');
  const user = users.at(-1);
  if (user === undefined || /^(root|0)(:|$)/.test(user))
    problems.push(`final stage runs as ${user ?? 'root (no USER)'}: add "USER node" after the last RUN`);
  const entry = jsonArgs(stage.findLast((i) => i.getKeyword() === 'ENTRYPOINT'));
  if (JSON.stringify(entry) !== JSON.stringify(ENTRYPOINT))
    problems.push(
      `ENTRYPOINT is ${entry ? JSON.stringify(entry) : 'missing or shell form'}: use exec form ${JSON.stringify(ENTRYPOINT)} so node is PID 1 and gets SIGTERM`,
    );
  const cmd = jsonArgs(stage.findLast((i) => i.getKeyword() === 'CMD'));
  if (JSON.stringify(cmd) !== JSON.stringify(DEFAULT_CMD))
    problems.push(
      `CMD is ${cmd ? JSON.stringify(cmd) : 'missing or shell form'}: use exec form ${JSON.stringify(DEFAULT_CMD)}`,
    );
  const props = (kw: string) =>
    stage.filter((i) => i.getKeyword() === kw).flatMap((i) => (i as PropertyInstruction).getProperties());
  if (!props('ENV').some((p) => p.getName() === 'NODE_ENV' && p.getValue() === 'production'))
    problems.push('final stage lacks ENV NODE_ENV=production');
  const labels = new Set(props('LABEL').map((p) => p.getName()));
  for (const l of OCI_LABELS) if (!labels.has(l)) problems.push(`final stage lacks LABEL ${l}`);
}

function checkSecrets(all: Instruction[], problems: string[]): void {
  for (const ins of all) {
    const kw = ins.getKeyword();
    if (kw === 'ENV' || kw === 'ARG') {
      const names =
        kw === 'ENV'
          ? (ins as PropertyInstruction).getProperties().map((p) => p.getName())
          : [ins.getArguments()[0]?.getValue().split('=')[0] ?? ''];
      for (const n of names.filter((x) => SECRET_NAME.test(x)))
        problems.push(
          `${kw} ${n} bakes a secret into the image history: pass it as a build secret (--mount=type=secret) or at run time`,
        );
    }
    if (kw === 'COPY' || kw === 'ADD') {
      for (const a of ins
        .getArguments()
        .map((x) => x.getValue())
        .filter((v) => SECRET_FILE.test(v)))
        problems.push(
          `${kw} ${a} copies a credentials file into the image: mount it as a build secret instead`,
        );
    }
  }
}

/** Problems in a Dockerfile's text; [] when it follows every rule above. */
export function dockerfileProblems(text: string): string[] {
  const problems = validate(text)
    .filter((d) => d.severity === 1)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  const all = DockerfileParser.parse(text).getInstructions();
  checkBase(all, problems);
  checkRuntime(finalStage(all), problems);
  checkSecrets(all, problems);
  return problems;
}

/** Paths the build context must never carry (size, secrets, stale builds). */
export const MUST_IGNORE = [
  'node_modules',
  '.git',
  'dist',
  '.pulumi',
  '.env',
  '.env.*',
  'Pulumi.*.yaml',
  'coverage',
  '*.log',
];

export function dockerignoreProblems(text: string | undefined): string[] {
  if (text === undefined)
    return [
      '.dockerignore is missing: add one so node_modules, .git and state stay out of the build context',
    ];
  const lines = new Set(text.split('\n').map((l) => l.trim().replace(/^\/|\/$/g, '')));
  return MUST_IGNORE.filter((p) => !lines.has(p)).map(
    (p) => `.dockerignore does not exclude "${p}": add a line "${p}"`,
  );
}
