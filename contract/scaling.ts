// How a colour's ECS service is named to Application Auto Scaling: the component registers the scalable
// target with these, the shift's AWS driver describes and updates the same one, so both are spelled once.

/** The namespace and dimension of an ECS service's task count (RegisterScalableTarget). */
export const ECS_SCALING = {
  serviceNamespace: 'ecs',
  scalableDimension: 'ecs:service:DesiredCount',
} as const;

/**
 * ResourceId of an ECS service's scalable target: `service/<cluster name>/<service name>` (Application
 * Auto Scaling API reference, RegisterScalableTarget "ResourceId", ECS service).
 */
export function ecsServiceResourceId(clusterName: string, serviceName: string): string {
  return `service/${clusterName}/${serviceName}`;
}

/** `arn:aws:ecs:<region>:<account>:cluster/<name>` → `<name>`; undefined for anything else. */
export function clusterNameFromArn(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/([A-Za-z0-9_-]{1,255})$/.exec(arn);
  return m?.[1];
}
