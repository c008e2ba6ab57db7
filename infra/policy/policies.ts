// Every policy of the exchange-guardrails pack. Kept apart from index.ts because the PolicyPack
// constructor starts a gRPC server: tests import this list and evaluate it directly.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import {
  bucketName,
  containerHealthCheck,
  fargateCpuMemory,
  forwardStickiness,
  forwardWeights,
  lbNameLength,
  listenerRulePriority,
  logRetention,
  targetGroupHealthCheck,
} from './limits.ts';
import { albIdleTimeoutUnderKeepAlive, scheduleFlexibleWindow, targetGroupReplacement } from './hazards.ts';
import { scalableTargetBounds, targetTrackingRanges } from './scaling.ts';
import { noBroadManagedPolicies, roleHasBoundary, roleWritesNeedBoundary } from './pipeline.ts';
import {
  bucketPolicyPrivatePrefixes,
  bucketPolicyTls,
  containerImagePinned,
  ecsServiceSafeDeploys,
  iamNoWildcardActions,
  oidcRoleSubject,
} from './security.ts';

/** AWS limits first (they fail deploys), then our security rules. */
export const policies: ResourceValidationPolicy[] = [
  lbNameLength,
  targetGroupHealthCheck,
  containerHealthCheck,
  fargateCpuMemory,
  forwardWeights,
  forwardStickiness,
  listenerRulePriority,
  logRetention,
  bucketName,
  albIdleTimeoutUnderKeepAlive,
  scheduleFlexibleWindow,
  targetGroupReplacement,
  scalableTargetBounds,
  targetTrackingRanges,
  ecsServiceSafeDeploys,
  bucketPolicyTls,
  bucketPolicyPrivatePrefixes,
  iamNoWildcardActions,
  containerImagePinned,
  oidcRoleSubject,
  noBroadManagedPolicies,
  roleWritesNeedBoundary,
  roleHasBoundary,
];
