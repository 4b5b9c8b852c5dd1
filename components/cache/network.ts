import * as aws from "@pulumi/aws";
import { childName } from "../common/naming";
import { admitSecurityGroup } from "../common/securityGroups";
import { CacheEngine } from "./args";
import { CacheContext } from "./context";
import { REDIS_PORT } from "./spec";

/** Where the nodes live and who reaches them. */
export interface CacheNetwork {
    subnetGroup: aws.elasticache.SubnetGroup;
    securityGroup: aws.ec2.SecurityGroup;
}

/**
 * A subnet group in the chosen tier, and a security group with no CIDR rules and no egress that
 * admits the allowed security groups on the Redis port only.
 */
export function cacheNetwork({ spec, kit }: CacheContext): CacheNetwork {
    const { name } = spec;
    const subnetGroup = new aws.elasticache.SubnetGroup(childName(name, "subnets"), {
        description: `Subnets of the ${name} cache (${spec.subnetTier.toLowerCase()} tier)`,
        subnetIds: spec.subnetIds,
        tags: kit.tags,
    }, kit.childOpts);
    const securityGroup = new aws.ec2.SecurityGroup(childName(name, "sg"), {
        vpcId: spec.vpcId,
        description: `Cache ${name}: port ${REDIS_PORT} from the allowed security groups only, no egress`,
        tags: { ...kit.tags, Name: childName(name, "sg") },
    }, kit.childOpts);
    spec.allowedSecurityGroupIds.forEach((source, i) => admitSecurityGroup(childName(name, `client-${i}`), {
        securityGroupId: securityGroup.id,
        from: source,
        port: REDIS_PORT,
        description: `${spec.engine === CacheEngine.Valkey ? "Valkey" : "Redis"} (TLS) from an allowed client security group`,
    }, kit.tags, kit.childOpts));
    return { subnetGroup, securityGroup };
}
