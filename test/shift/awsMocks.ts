// The four AWS clients the shift's AWS driver reads and writes, each behind aws-sdk-client-mock:
// `clients` goes into createAwsDriver, the mocks are given responses per test.
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';

export function mockAwsClients(region = 'eu-west-1') {
  const clients = {
    elb: new ElasticLoadBalancingV2Client({ region }),
    ecs: new ECSClient({ region }),
    cloudwatch: new CloudWatchClient({ region }),
    autoscaling: new ApplicationAutoScalingClient({ region }),
  };
  return {
    clients,
    elb: mockClient(clients.elb),
    ecs: mockClient(clients.ecs),
    cw: mockClient(clients.cloudwatch),
    aas: mockClient(clients.autoscaling),
  };
}
