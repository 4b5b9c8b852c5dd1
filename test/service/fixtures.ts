import { LoadBalancedServiceArgs } from "../../components";

/** An ACM certificate ARN for services built in tests. */
export const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/1234";

/** An existing VPC with two public and two private subnets. */
export const network = {
    vpcId: "vpc-123",
    publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
    privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
    vpcCidrBlock: "10.0.0.0/16",
};

/** The smallest valid LoadBalancedService arguments. */
export const base: LoadBalancedServiceArgs = { network, image: "nginx:1.27", certificateArn: CERT };
