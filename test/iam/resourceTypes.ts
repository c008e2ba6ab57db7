// The resource types the stacks may declare, one entry per Pulumi type token, each naming the terraform
// resource @pulumi/aws bridges it to. What `pulumi up` calls per type is derived from the provider's code
// (test/iam/derive/providerActions.ts → data/providerActions.json), not written here.
//
// Adding a type (e.g. Application Auto Scaling for a colour):
//   1. add `'aws:appautoscaling/target:Target': 'aws_appautoscaling_target'` below;
//   2. fetch the provider repository and run
//      `node --import tsx test/iam/derive/providerActions.ts <git dir> <commit of PROVIDER_SOURCE.ref>`;
//   3. grant the new service in the deploy role (REGIONAL_SERVICE_ACTIONS, infra/shared/iamDocuments.ts)
//      and its reads in the preview role; `npx mocha test/iam/*.test.ts` names anything still denied.

/** Where data/providerActions.json comes from: Pulumi's fork of the provider, the branch it bridges. */
export const PROVIDER_SOURCE = {
  repository: 'pulumi/terraform-provider-aws',
  ref: 'patched-v5.14.0',
};

/** Pulumi type token → terraform resource. */
export const RESOURCE_TYPES: Record<string, string> = {
  'aws:appautoscaling/policy:Policy': 'aws_appautoscaling_policy',
  'aws:appautoscaling/target:Target': 'aws_appautoscaling_target',
  'aws:cloudwatch/eventRule:EventRule': 'aws_cloudwatch_event_rule',
  'aws:cloudwatch/eventTarget:EventTarget': 'aws_cloudwatch_event_target',
  'aws:cloudwatch/logGroup:LogGroup': 'aws_cloudwatch_log_group',
  'aws:cloudwatch/metricAlarm:MetricAlarm': 'aws_cloudwatch_metric_alarm',
  'aws:ec2/eip:Eip': 'aws_eip',
  'aws:ec2/internetGateway:InternetGateway': 'aws_internet_gateway',
  'aws:ec2/natGateway:NatGateway': 'aws_nat_gateway',
  'aws:ec2/route:Route': 'aws_route',
  'aws:ec2/routeTable:RouteTable': 'aws_route_table',
  'aws:ec2/routeTableAssociation:RouteTableAssociation': 'aws_route_table_association',
  'aws:ec2/securityGroup:SecurityGroup': 'aws_security_group',
  'aws:ec2/subnet:Subnet': 'aws_subnet',
  'aws:ec2/vpc:Vpc': 'aws_vpc',
  'aws:ec2/vpcEndpoint:VpcEndpoint': 'aws_vpc_endpoint',
  'aws:ecs/cluster:Cluster': 'aws_ecs_cluster',
  'aws:ecs/service:Service': 'aws_ecs_service',
  'aws:ecs/taskDefinition:TaskDefinition': 'aws_ecs_task_definition',
  'aws:iam/openIdConnectProvider:OpenIdConnectProvider': 'aws_iam_openid_connect_provider',
  'aws:iam/policy:Policy': 'aws_iam_policy',
  'aws:iam/role:Role': 'aws_iam_role',
  'aws:iam/rolePolicy:RolePolicy': 'aws_iam_role_policy',
  'aws:iam/rolePolicyAttachment:RolePolicyAttachment': 'aws_iam_role_policy_attachment',
  'aws:lb/listener:Listener': 'aws_lb_listener',
  'aws:lb/listenerRule:ListenerRule': 'aws_lb_listener_rule',
  'aws:lb/loadBalancer:LoadBalancer': 'aws_lb',
  'aws:lb/targetGroup:TargetGroup': 'aws_lb_target_group',
  'aws:s3/bucket:Bucket': 'aws_s3_bucket',
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': 'aws_s3_bucket_lifecycle_configuration',
  'aws:s3/bucketOwnershipControls:BucketOwnershipControls': 'aws_s3_bucket_ownership_controls',
  'aws:s3/bucketPolicy:BucketPolicy': 'aws_s3_bucket_policy',
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': 'aws_s3_bucket_public_access_block',
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration':
    'aws_s3_bucket_server_side_encryption_configuration',
  'aws:s3/bucketVersioning:BucketVersioning': 'aws_s3_bucket_versioning',
  'aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration': 'aws_s3_bucket_website_configuration',
  'aws:scheduler/schedule:Schedule': 'aws_scheduler_schedule',
  'aws:sns/topic:Topic': 'aws_sns_topic',
  'aws:sns/topicPolicy:TopicPolicy': 'aws_sns_topic_policy',
  'aws:sns/topicSubscription:TopicSubscription': 'aws_sns_topic_subscription',
  'aws:sqs/queue:Queue': 'aws_sqs_queue',
  'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule': 'aws_vpc_security_group_egress_rule',
  'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule': 'aws_vpc_security_group_ingress_rule',
};

/** Invokes (data sources) the programs call → terraform data source. */
export const INVOKES: Record<string, string> = {
  'aws:index/getCallerIdentity:getCallerIdentity': 'aws_caller_identity',
  'aws:index/getRegion:getRegion': 'aws_region',
  'aws:index/getPartition:getPartition': 'aws_partition',
  'aws:index/getAvailabilityZones:getAvailabilityZones': 'aws_availability_zones',
  'aws:elb/getServiceAccount:getServiceAccount': 'aws_elb_service_account',
  'aws:ec2/getRouteTables:getRouteTables': 'aws_route_tables',
};

/**
 * Multi-language components whose children the mock runtime cannot see (pulumi#12553): the types they may
 * create, read from their source. awsx.ec2.Vpc (pulumi/pulumi-awsx awsx/ec2/vpc.ts at e60adf3c): the VPC,
 * its internet gateway, subnets, route tables, associations and routes, and per NAT an EIP and a gateway.
 */
export const COMPONENT_CHILDREN: Record<string, string[]> = {
  'awsx:ec2:Vpc': [
    'aws:ec2/vpc:Vpc',
    'aws:ec2/internetGateway:InternetGateway',
    'aws:ec2/subnet:Subnet',
    'aws:ec2/routeTable:RouteTable',
    'aws:ec2/routeTableAssociation:RouteTableAssociation',
    'aws:ec2/route:Route',
    'aws:ec2/eip:Eip',
    'aws:ec2/natGateway:NatGateway',
  ],
};

/** Component resources of this repository: no AWS call of their own. */
export const LOCAL_COMPONENTS = ['exchange:index:ExchangeEnvironment', 'pulumi:pulumi:StackReference'];

export function providerTerraformNames(): string[] {
  return [...new Set([...Object.values(RESOURCE_TYPES), ...Object.values(INVOKES)])].sort();
}

/**
 * Operations the provider calls only on a path the stacks do not take, each with where that is decided;
 * `when` says, from the resource's inputs, that the path is taken after all. `deny` marks a path the
 * boundary forbids on purpose (the proof then asserts it is denied).
 */
export const CONDITIONAL_OPERATIONS: {
  terraform: string;
  operations: string[];
  when: (inputs: Record<string, unknown>) => boolean;
  why: string;
  deny?: true;
}[] = [
  {
    terraform: 'aws_s3_bucket',
    operations: ['s3:DeleteObject', 's3:DeleteObjects', 's3:PutObjectLegalHold'],
    when: (i) => i.forceDestroy === true,
    why: 'resourceBucketDelete empties the bucket only with force_destroy (s3/bucket.go)',
  },
  {
    terraform: 'aws_iam_role',
    operations: ['iam:RemoveRoleFromInstanceProfile'],
    when: () => false,
    why: 'deleteRoleInstanceProfiles acts per instance profile; the stacks declare none (iam/role.go)',
  },
  {
    terraform: 'aws_iam_role',
    operations: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
    when: (i) => Array.isArray(i.managedPolicyArns) && i.managedPolicyArns.length > 0,
    why: 'only for managed_policy_arns; the stacks attach policies with RolePolicyAttachment (iam/role.go)',
  },
  {
    terraform: 'aws_iam_role',
    operations: ['iam:DeleteRolePermissionsBoundary'],
    when: () => false,
    why: 'only when a role loses its boundary, which the pipeline boundary denies (KeepTheBoundary)',
    deny: true,
  },
];

/**
 * Roles a resource hands to a service: creating or updating it needs iam:PassRole on them (ECS
 * RegisterTaskDefinition for the task and execution roles, EventBridge Scheduler CreateSchedule for the
 * target's role: the "task IAM role" and "execution role" pages of the ECS and Scheduler guides).
 */
export const PASSES_ROLES: Record<string, { inputs: string[]; to: string }> = {
  'aws:ecs/taskDefinition:TaskDefinition': {
    inputs: ['taskRoleArn', 'executionRoleArn'],
    to: 'ecs-tasks.amazonaws.com',
  },
  'aws:scheduler/schedule:Schedule': { inputs: ['target.roleArn'], to: 'scheduler.amazonaws.com' },
};

/**
 * Service-linked roles AWS creates on the caller's behalf the first time (ELB: creating a load balancer;
 * ECS: creating a cluster or service), which needs iam:CreateServiceLinkedRole for that service name.
 */
export const SERVICE_LINKED_ROLES: Record<string, string> = {
  'aws:lb/loadBalancer:LoadBalancer': 'elasticloadbalancing.amazonaws.com',
  'aws:ecs/cluster:Cluster': 'ecs.amazonaws.com',
  // "Permissions required to create a service-linked role": the first RegisterScalableTarget for ECS
  // creates AWSServiceRoleForApplicationAutoScaling_ECSService (Application Auto Scaling user guide,
  // application-auto-scaling-service-linked-roles and services-that-can-integrate-ecs).
  'aws:appautoscaling/target:Target': 'ecs.application-autoscaling.amazonaws.com',
};
