// Keys a project never reads. The engine checks only the keys a project declares and passes every other
// one through (pulumi/pulumi pkg/workspace/config.go, validateStackConfigValues), so a typo or a dotted key
// stored without `--path` would be ignored in silence: each program refuses them with the fix.

/**
 * The fix for a key that is a known key plus `.field` or `[n]`: what `pulumi config set` stores without
 * `--path` (one key with a dot in its name). Undefined for any other unknown key.
 */
export function pathKeyFix(key: string, known: readonly string[]): string | undefined {
  const root = /^([^.[]+)[.[]/.exec(key)?.[1];
  if (root === undefined || !known.includes(root)) return undefined;
  return (
    `"${key}" is one key with a dot or bracket in its name, as \`pulumi config set\` stores it without --path; ` +
    `run pulumi config rm '${key}' then pulumi config set --path '${key}' <value>`
  );
}

/** Namespace-local keys of `project` in `config` (`<project>:<key>` → value) that `known` does not list. */
export function unknownKeys(
  config: Record<string, unknown>,
  project: string,
  known: readonly string[],
): string[] {
  return Object.keys(config)
    .filter((full) => full.startsWith(`${project}:`))
    .map((full) => full.slice(project.length + 1))
    .filter((k) => !known.includes(k));
}
