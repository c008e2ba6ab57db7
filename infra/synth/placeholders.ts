// Values the committed stack files carry only as placeholders (marked "# PLACEHOLDER" there): a first
// deploy with them cannot work, so synth refuses them unless told they are expected (tests, docs).

/** The committed stand-in digest: no image has it. */
export const PLACEHOLDER_IMAGE_DIGEST =
  'sha256:3f8a1c0e9b7d6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a19';

/** RFC 5737 documentation ranges: no tester's traffic comes from them. */
const DOCUMENTATION_RANGES = ['192.0.2.', '198.51.100.', '203.0.113.'];

export class PlaceholderError extends Error {
  override name = 'PlaceholderError';
}

/** One line per placeholder value in a stack's runtime config (`<namespace>:<key>` → text). */
export function placeholderProblems(config: Record<string, string>): string[] {
  const problems: string[] = [];
  const image = config['exchange:image'];
  if (image?.endsWith(`@${PLACEHOLDER_IMAGE_DIGEST}`))
    problems.push(
      `exchange:image ${image} is the committed placeholder digest: push the image and set its digest`,
    );
  let cidrs: unknown = [];
  try {
    cidrs = JSON.parse(config['exchange:testRouteSourceCidrs'] ?? '[]');
  } catch {
    cidrs = [];
  }
  for (const c of Array.isArray(cidrs) ? cidrs : [])
    if (typeof c === 'string' && DOCUMENTATION_RANGES.some((r) => c.startsWith(r)))
      problems.push(`exchange:testRouteSourceCidrs ${c} is a documentation range: set your testers' CIDRs`);
  return problems;
}

export function assertNoPlaceholders(config: Record<string, string>, file: string): void {
  const problems = placeholderProblems(config);
  if (problems.length > 0)
    throw new PlaceholderError(
      `${file} still holds placeholders (pass --allow-placeholders to synthesize it anyway):\n  ${problems.join('\n  ')}`,
    );
}
