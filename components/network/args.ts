import * as pulumi from "@pulumi/pulumi";
import { CommonArgs } from "../common/component";

/** How private subnets reach the internet. */
export enum NatGatewayStrategy {
    /** One NAT gateway in every zone: a zone outage does not cut the others off. */
    PerZone = "PerZone",
    /** One shared NAT gateway: cheaper, but every zone loses egress if its zone fails. */
    Single = "Single",
}

export interface NetworkArgs extends CommonArgs {
    /**
     * The VPC's IPv4 block: an RFC 1918 private range from /16 to /21.
     * @default "10.0.0.0/16"
     */
    cidrBlock?: string;
    /**
     * How many availability zones the subnets span (2 or 3).
     * @default 3
     */
    availabilityZoneCount?: number;
    /**
     * NAT gateway layout for the private tier.
     * @default NatGatewayStrategy.PerZone
     */
    natGateways?: NatGatewayStrategy;
    /**
     * Days VPC flow logs are kept in CloudWatch Logs (a retention CloudWatch accepts).
     * @default 90
     */
    flowLogRetentionDays?: number;
    /**
     * KMS key ARN encrypting the flow log group.
     * @default CloudWatch Logs' own encryption
     */
    flowLogKmsKeyArn?: pulumi.Input<string>;
}

/** The subnet CIDRs the network will create, per tier and zone index. */
export interface SubnetPlan {
    /** Public subnet CIDRs (a sixty-fourth of the VPC block each). */
    public: string[];
    /** Private subnet CIDRs (a quarter of the VPC block each). */
    private: string[];
    /** Isolated subnet CIDRs (a sixteenth of the VPC block each). */
    isolated: string[];
}
