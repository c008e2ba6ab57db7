// The released image outlives the release job: recorded in the durable release state (embedded S3,
// the real store), read by the blue/green program at `up`, so an `up` from a fresh checkout (committed
// placeholder in Pulumi.green.yaml) keeps the released image.
import assert from 'node:assert/strict';
import * as pulumi from '@pulumi/pulumi';
import { ENV_PROJECT, SHARED_STACK, SHARED_PROJECT } from '../../contract/stacks.ts';
import {
  imageAtUp,
  parseReleasedImage,
  recordRelease,
  revertRelease,
  storeReleasedImageReader,
  type ReleasedImageReader,
} from '../../infra/environment/releasedImage.ts';
import { loadStackConfig, toRuntimeConfig } from '../../infra/synth/stackConfig.ts';
import { createMocks, installMocks, settle } from '../../infra/testing/mocks.ts';
import { sharedStackOutputs } from '../../infra/testing/stackOutputs.ts';
import { s3DocumentStore, type DocumentStore } from '../../release/state/store.ts';
import { startTestS3, type TestS3 } from '../helpers/s3.ts';

const RELEASED = `ghcr.io/acme/exchange@sha256:${'b'.repeat(64)}`;
const NEXT = `ghcr.io/acme/exchange@sha256:${'c'.repeat(64)}`;
const committed = loadStackConfig('Pulumi.green.yaml');
const location = {
  bucket: String(committed[`${ENV_PROJECT}:stateBucket`]),
  prefix: String(committed[`${ENV_PROJECT}:statePrefix`] ?? ''),
};

describe('released image: the record and its precedence', () => {
  it('accepts only a digest-pinned image and a version', () => {
    assert.throws(
      () => parseReleasedImage({ image: 'ghcr.io/acme/exchange:latest', version: '1.0.0' }),
      /@sha256/,
    );
    assert.throws(() => parseReleasedImage({ image: RELEASED, version: '' }), /version/);
    assert.equal(parseReleasedImage({ image: RELEASED, version: '1.2.0-abc' }).image, RELEASED);
  });

  it('the record wins over the config; no record or no reader means the config', async () => {
    const cfg = { color: 'green' as const, image: 'ghcr.io/acme/exchange:0.1.0', version: '0.1.0' };
    const record: ReleasedImageReader = async () => ({
      image: RELEASED,
      version: '1.2.0',
      releasedAt: '',
      releasedBy: '',
    });
    assert.deepEqual(await imageAtUp(cfg, record), { image: RELEASED, version: '1.2.0', source: 'release' });
    assert.deepEqual(await imageAtUp(cfg, async () => undefined), {
      image: cfg.image,
      version: cfg.version,
      source: 'config',
    });
    assert.deepEqual(await imageAtUp(cfg), { image: cfg.image, version: cfg.version, source: 'config' });
  });
});

describe('released image: durable in the state bucket (embedded S3)', () => {
  let s3: TestS3;
  let store: DocumentStore;
  before(async () => {
    s3 = await startTestS3(location.bucket);
    store = s3DocumentStore(s3.client, location);
  });
  after(() => s3.close());

  it('records a release next to the state, keeping what the colour ran before', async () => {
    await recordRelease(
      store,
      'green',
      { image: RELEASED, version: '1.2.0', releasedBy: 'pipeline 1' },
      new Date('2026-12-01T05:00:00Z'),
    );
    const second = await recordRelease(
      store,
      'green',
      { image: NEXT, version: '1.3.0', releasedBy: 'pipeline 2' },
      new Date('2026-12-01T06:00:00Z'),
    );
    assert.deepEqual(second.previous, { image: RELEASED, version: '1.2.0' });
    assert.equal((await storeReleasedImageReader(store)('green'))?.image, NEXT);
    assert.equal(await storeReleasedImageReader(store)('blue'), undefined, 'blue was never released');
    assert.match(
      store.where('images/green'),
      /^s3:\/\/acme-exchange-pulumi-state\/exchange\/exchange-release\/images\/green\.json$/,
    );
  });

  it('a failed deploy reverts the colour to the image it ran before, only while the record names the failed one', async () => {
    const at = new Date('2026-12-01T07:00:00Z');
    const store = s3DocumentStore(s3.client, { ...location, prefix: 'revert-test' });
    await recordRelease(store, 'blue', { image: RELEASED, version: '1.2.0', releasedBy: 'p1' }, at);
    await recordRelease(store, 'blue', { image: NEXT, version: '1.3.0', releasedBy: 'p2' }, at);
    const other = await revertRelease(store, 'blue', RELEASED, 'p3', at);
    assert.equal(other.reverted, false, 'the record names another release: nothing to undo');
    assert.equal((await storeReleasedImageReader(store)('blue'))?.image, NEXT, 'and nothing written');
    const out = await revertRelease(store, 'blue', NEXT, 'p2 revert', at);
    assert.ok(out.reverted, 'the failed release is still recorded: revert it');
    const now = await storeReleasedImageReader(store)('blue');
    assert.equal(
      now?.image,
      RELEASED,
      'the next up deploys the image blue ran before (service and schedule)',
    );
    assert.deepEqual(now?.previous, { image: NEXT, version: '1.3.0' }, 'the failed one is kept as previous');
  });

  it('a revert with no earlier release says how to recover instead of guessing', async () => {
    const fresh = s3DocumentStore(s3.client, { ...location, prefix: 'other-prefix' });
    assert.equal((await revertRelease(fresh, 'green', NEXT, 'x', new Date())).reverted, false);
    await recordRelease(fresh, 'green', { image: NEXT, version: '9.9.9', releasedBy: 'first' }, new Date());
    await assert.rejects(
      revertRelease(fresh, 'green', NEXT, 'x', new Date()),
      (err: Error & { hint?: string }) => {
        assert.match(err.message, /green has no earlier release to return to from /);
        assert.match(err.hint ?? '', /set exchange:image in Pulumi\.green\.yaml to a known-good digest/);
        return true;
      },
    );
  });

  it('refuses to record an image that is not pinned by digest, and writes nothing', async () => {
    await assert.rejects(
      recordRelease(
        store,
        'blue',
        { image: 'ghcr.io/acme/exchange:main', version: '1.0.0', releasedBy: 't' },
        new Date(),
      ),
      /release of blue not recorded: image "ghcr.io\/acme\/exchange:main"/,
    );
    assert.equal(await storeReleasedImageReader(store)('blue'), undefined);
  });
});

describe('released image: an up from a fresh checkout after a release (mocks)', function () {
  this.timeout(30_000);
  const harness = createMocks({
    stackOutputs: { [`organization/${SHARED_PROJECT}/${SHARED_STACK}`]: sharedStackOutputs() },
  });
  let s3: TestS3;
  let store: DocumentStore;
  before(async () => {
    s3 = await startTestS3(location.bucket);
    store = s3DocumentStore(s3.client, location);
  });
  after(() => s3.close());

  async function upGreenImage(): Promise<string> {
    harness.reset();
    pulumi.runtime.setAllConfig(toRuntimeConfig(committed).config);
    await installMocks(harness, { project: ENV_PROJECT, stack: 'green' });
    const { readEnvironmentConfig } = await import('../../infra/environment/config.ts');
    const { environmentProgram } = await import('../../infra/environment/program.ts');
    const cfg = readEnvironmentConfig();
    const { image, version } = await imageAtUp(cfg, storeReleasedImageReader(store));
    environmentProgram({ ...cfg, image, version });
    await settle();
    const defs = harness.ofType('aws:ecs/taskDefinition:TaskDefinition');
    const containers = JSON.parse(String(defs[0]?.inputs.containerDefinitions)) as { image: string }[];
    return containers[0]?.image ?? '';
  }

  it('before any release, the committed bootstrap image deploys', async () => {
    assert.equal(await upGreenImage(), committed[`${ENV_PROJECT}:image`]);
  });

  it('after a release recorded green, the committed placeholder no longer wins', async () => {
    await recordRelease(
      store,
      'green',
      { image: RELEASED, version: '1.2.0', releasedBy: 'pipeline 1' },
      new Date(),
    );
    assert.equal(
      await upGreenImage(),
      RELEASED,
      'an up from a fresh checkout must keep the released image, not Pulumi.green.yaml',
    );
  });
});
