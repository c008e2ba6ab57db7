// Every image a pipeline job or the Dockerfile runs must be pinned by digest: a tag (even x.y.z) can be
// re-pushed, a digest cannot. Reads the parsed pipeline files and the Dockerfile, resolves `${VAR}` from
// the file's variables, and lists each use with its final reference, so a check can name what to pin.

/** One image a file uses, after variable resolution. */
export interface ImageUse {
  file: string;
  /** Where in the file: "variables.NODE_CI_IMAGE", "job lint image", "Dockerfile ARG NODE_IMAGE"… */
  where: string;
  ref: string;
}

/** `<name>[:<tag>]@sha256:<64 hex>`; the tag is kept for humans (and Renovate), the digest decides. */
export const DIGEST_PINNED = /^[a-z0-9][\w.-]*(?::\d+)?(?:\/[\w.-]+)+(?::[\w.-]+)?@sha256:[0-9a-f]{64}$/;

/** A variable that names an image: *_IMAGE or IMAGE. */
export const IMAGE_VARIABLE = /(^|_)IMAGE$/;

const KEYWORDS = new Set(['workflow', 'stages', 'variables', 'include', 'cache', 'spec']);

type Vars = Record<string, unknown>;

function varValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && typeof (v as { value?: unknown }).value === 'string')
    return (v as { value: string }).value;
  return undefined;
}

/** Expands $VAR and ${VAR} from `vars` (job variables over global ones), up to a few levels deep. */
export function expand(text: string, vars: Vars): string {
  let out = text;
  for (let i = 0; i < 5; i++) {
    const next = out.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a: string | undefined, b: string | undefined) => {
      const value = varValue(vars[a ?? b ?? '']);
      return value ?? m;
    });
    if (next === out) return out;
    out = next;
  }
  return out;
}

function imageName(image: unknown): string | undefined {
  if (typeof image === 'string') return image;
  if (typeof image === 'object' && image !== null) {
    const name = (image as { name?: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}

function jobImages(file: string, name: string, job: Record<string, unknown>, globals: Vars): ImageUse[] {
  const vars = { ...globals, ...((job.variables as Vars | undefined) ?? {}) };
  const uses: ImageUse[] = [];
  const image = imageName(job.image);
  if (image !== undefined) uses.push({ file, where: `${name} image`, ref: expand(image, vars) });
  for (const [i, svc] of ((job.services as unknown[] | undefined) ?? []).entries()) {
    const ref = imageName(svc);
    if (ref !== undefined) uses.push({ file, where: `${name} services[${i}]`, ref: expand(ref, vars) });
  }
  for (const [k, v] of Object.entries((job.variables as Vars | undefined) ?? {})) {
    const value = varValue(v);
    if (IMAGE_VARIABLE.test(k) && value !== undefined)
      uses.push({ file, where: `${name} variables.${k}`, ref: expand(value, vars) });
  }
  return uses;
}

/** Every image variable, `image:` and `services:` of a parsed pipeline file (hidden templates included). */
export function pipelineImageUses(file: string, doc: Record<string, unknown>): ImageUse[] {
  const globals = (doc.variables as Vars | undefined) ?? {};
  const uses: ImageUse[] = [];
  for (const [k, v] of Object.entries(globals)) {
    const value = varValue(v);
    if (IMAGE_VARIABLE.test(k) && value !== undefined)
      uses.push({ file, where: `variables.${k}`, ref: expand(value, globals) });
  }
  const topImage = imageName(doc.image);
  if (topImage !== undefined) uses.push({ file, where: 'image', ref: expand(topImage, globals) });
  for (const [name, job] of Object.entries(doc))
    if (!KEYWORDS.has(name) && typeof job === 'object' && job !== null && !Array.isArray(job))
      uses.push(...jobImages(file, name, job as Record<string, unknown>, globals));
  return uses;
}

/** The images a Dockerfile builds FROM: literal references and ARG defaults a FROM names. */
export function dockerfileImageUses(file: string, text: string): ImageUse[] {
  const args: Record<string, string> = {};
  const stages = new Set<string>();
  const uses: ImageUse[] = [];
  for (const line of text.split('\n')) {
    const arg = /^\s*ARG\s+(\w+)=(\S+)/i.exec(line);
    if (arg?.[1] && arg[2] && !(arg[1] in args)) args[arg[1]] = arg[2].replace(/^["']|["']$/g, '');
    const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!from?.[1]) continue;
    const named = /^\$\{?(\w+)\}?$/.exec(from[1])?.[1];
    const ref = named === undefined ? from[1] : args[named];
    if (!stages.has(from[1]) && from[1] !== 'scratch')
      uses.push({
        file,
        where: named === undefined ? `FROM ${from[1]}` : `ARG ${named}`,
        ref: ref ?? from[1],
      });
    if (from[2]) stages.add(from[2]);
  }
  // One ARG used by several stages is one pin.
  return uses.filter((u, i) => uses.findIndex((o) => o.where === u.where && o.ref === u.ref) === i);
}

/** The uses whose reference is not pinned by digest, each with the fix. */
export function unpinnedImages(uses: ImageUse[]): string[] {
  return uses
    .filter((u) => !DIGEST_PINNED.test(u.ref))
    .map(
      (u) =>
        `${u.file} ${u.where}: "${u.ref}" is not pinned by digest; use <image>:<tag>@sha256:<digest> (skopeo inspect or docker buildx imagetools inspect <image>:<tag> prints it)`,
    );
}
