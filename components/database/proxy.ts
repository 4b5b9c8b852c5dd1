/** The RDS Proxy of a PartitionedDatabase: TLS required, IAM authentication, credentials from the master secret. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy } from "../common/iam";
import { childName } from "../common/naming";
import { admitSecurityGroup } from "../common/securityGroups";
import { secretReadStatements } from "./databaseFunction";
import { connectToDatabase } from "./server";
import { DatabaseContext, POSTGRES_PORT, ProxySpec } from "./spec";

export interface ProxyTargets {
    /** The database's security group. */
    databaseSecurityGroup: aws.ec2.SecurityGroup;
    /** Groups whose members may connect (to the proxy as to the database). */
    allowedSecurityGroupIds: pulumi.Input<string>[];
    primary: aws.rds.Instance;
    masterSecretArn: pulumi.Output<string>;
    kmsKeyArn: pulumi.Output<string>;
}

/** Creates the proxy, its group, role and target; returns its endpoint. */
export function databaseProxy(ctx: DatabaseContext, spec: ProxySpec, t: ProxyTargets): pulumi.Output<string> {
    const n = childName(ctx.name, "proxy");
    const sg = new aws.ec2.SecurityGroup(n, {
        vpcId: ctx.network.vpcId,
        description: `RDS Proxy of ${ctx.name}: PostgreSQL from named groups, to the database only`,
        tags: { ...ctx.tags, Name: n },
    }, ctx.opts);
    t.allowedSecurityGroupIds.forEach((from, i) => admitSecurityGroup(childName(n, `from-allowed-${i}`), {
        securityGroupId: sg.id,
        from,
        port: POSTGRES_PORT,
        description: "PostgreSQL from an allowed client group",
    }, ctx.tags, ctx.opts));
    connectToDatabase(ctx, t.databaseSecurityGroup, "proxy", sg.id, "PostgreSQL from the RDS Proxy");
    const role = new aws.iam.Role(n, {
        assumeRolePolicy: serviceTrustPolicy("rds.amazonaws.com", ctx.accountId),
        description: `Lets the RDS Proxy of ${ctx.name} read the master secret`,
        tags: ctx.tags,
    }, ctx.opts);
    new aws.iam.RolePolicy(n, { role: role.id, policy: policyDocument(secretReadStatements(t.masterSecretArn, t.kmsKeyArn, ctx.region)) }, ctx.opts);
    const proxy = new aws.rds.Proxy(n, {
        engineFamily: "POSTGRESQL",
        requireTls: true,
        idleClientTimeout: spec.idleClientTimeoutSeconds,
        roleArn: role.arn,
        vpcSubnetIds: ctx.network.isolatedSubnetIds,
        vpcSecurityGroupIds: [sg.id],
        auths: [{
            authScheme: "SECRETS",
            iamAuth: "REQUIRED",
            secretArn: t.masterSecretArn,
            clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
            description: "Master credentials; clients authenticate with IAM",
        }],
        tags: ctx.tags,
    }, ctx.opts);
    const targetGroup = new aws.rds.ProxyDefaultTargetGroup(n, {
        dbProxyName: proxy.name,
        connectionPoolConfig: { maxConnectionsPercent: spec.maxConnectionsPercent, maxIdleConnectionsPercent: 50, connectionBorrowTimeout: 120 },
    }, ctx.opts);
    new aws.rds.ProxyTarget(n, { dbProxyName: proxy.name, targetGroupName: targetGroup.name, dbInstanceIdentifier: t.primary.identifier }, ctx.opts);
    return proxy.endpoint;
}
