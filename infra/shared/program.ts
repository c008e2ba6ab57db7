// The shared stack program: network, listener and pipeline identity from validated config.
// index.ts only reads config, calls this and exports; tests call it under mocks.
import type * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Color } from '../../contract/index.ts';
import { parseSharedConfig, readRawSharedConfig, type SharedConfig } from './config.ts';
import { rejectUnknownSharedKeys } from './configFields.ts';
import { type Weights } from '../../contract/weights.ts';
import { createListeners, readTargetGroups } from './listeners.ts';
import { createNetwork } from './network.ts';
import { createPipelineIdentity } from './pipeline.ts';
import { effectiveWeights, liveColor, planTraffic, type TrafficPlan } from './traffic.ts';
import { weightsAtUp, type DurableWeightsReader } from './weightsSource.ts';

/** Every export of the shared stack; names match SHARED_OUTPUTS (contract/stacks.ts) plus pipeline ARNs. */
export interface SharedOutputs {
  vpcId: pulumi.Output<string>;
  publicSubnetIds: pulumi.Output<string[]>;
  privateSubnetIds: pulumi.Output<string[]>;
  servicesNeedPublicIp: boolean;
  clusterArn: pulumi.Output<string>;
  clusterName: pulumi.Output<string>;
  albSecurityGroupId: pulumi.Output<string>;
  listenerArn: pulumi.Output<string>;
  /** What a shift step targets: its `up` changes only this resource. */
  listenerUrn: pulumi.Output<string>;
  albDnsName: pulumi.Output<string>;
  url: pulumi.Output<string>;
  liveColor: Color | 'none';
  weights: Weights;
  /** Colours whose target group the listener's forward action references (even with weight 0). */
  forwardedColors: Color[];
  permissionsBoundaryArn: pulumi.Output<string>;
  workloadBoundaryArn: pulumi.Output<string>;
  deployRoleArn: pulumi.Output<string>;
  previewRoleArn: pulumi.Output<string>;
  oidcProviderArn: pulumi.Output<string>;
}

export interface SharedStack {
  outputs: SharedOutputs;
  /** Children tests await or inspect. */
  resources: {
    alb: aws.lb.LoadBalancer;
    listener: aws.lb.Listener;
    redirect?: aws.lb.Listener;
    cluster: aws.ecs.Cluster;
  };
  plan: TrafficPlan;
}

/**
 * Validates config (throws before any resource exists), reads the environments' target groups, plans
 * the traffic (throws before any AWS resource exists), then declares everything.
 */
export async function runSharedProgram(
  config: pulumi.Config = new pulumi.Config(),
  readDurableWeights?: DurableWeightsReader,
): Promise<SharedStack> {
  rejectUnknownSharedKeys(pulumi.runtime.allConfig());
  const parsed = parseSharedConfig(readRawSharedConfig(config));
  const cfg = { ...parsed, weights: (await weightsAtUp(parsed, readDurableWeights)).weights };
  const plan = planTraffic(cfg.weights, await readTargetGroups(cfg), cfg.stickinessSeconds);
  return createSharedStack(cfg, plan);
}

export function createSharedStack(cfg: SharedConfig, plan: TrafficPlan): SharedStack {
  const net = createNetwork(cfg);
  const listeners = createListeners(cfg, net.alb, plan);
  const pipeline = createPipelineIdentity(cfg);
  const url =
    cfg.certificateArn === undefined
      ? pulumi.interpolate`http://${net.alb.dnsName}`
      : cfg.domainName === undefined
        ? pulumi.interpolate`https://${net.alb.dnsName}`
        : pulumi.output(`https://${cfg.domainName}`);
  return {
    outputs: {
      vpcId: net.vpcId,
      publicSubnetIds: net.publicSubnetIds,
      privateSubnetIds: net.privateSubnetIds,
      servicesNeedPublicIp: cfg.natStrategy === 'none',
      clusterArn: net.cluster.arn,
      clusterName: net.cluster.name,
      albSecurityGroupId: net.albSecurityGroup.id,
      listenerArn: listeners.main.arn,
      listenerUrn: listeners.main.urn,
      albDnsName: net.alb.dnsName,
      url,
      liveColor: liveColor(plan),
      weights: effectiveWeights(plan),
      forwardedColors: cfg.environments,
      permissionsBoundaryArn: pipeline.boundaryArn,
      workloadBoundaryArn: pipeline.workloadBoundaryArn,
      deployRoleArn: pipeline.deployRole.arn,
      previewRoleArn: pipeline.previewRole.arn,
      oidcProviderArn: pipeline.providerArn,
    },
    resources: {
      alb: net.alb,
      listener: listeners.main,
      cluster: net.cluster,
      ...(listeners.redirect ? { redirect: listeners.redirect } : {}),
    },
    plan,
  };
}
