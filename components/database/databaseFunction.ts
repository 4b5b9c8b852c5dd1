/**
 * A Lambda function of the database inside its VPC: its own security group (to the database, and
 * HTTPS out to Secrets Manager), a log group, a role that writes those logs, reads exactly the master
 * secret and manages the function's network interfaces, and the function running a bundled
 * `index.js`. The schema bootstrap and the partition watch are both made with it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy, Statement, writeLogsStatement } from "../common/iam";
import { childName, logGroupName } from "../common/naming";
import { LAMBDA_CA_BUNDLE } from "./bootstrap/constants";

export interface DatabaseFunctionArgs {
    /** Short id: resources are named `<component>-<id>`, the log group `/scaling-toolkit/<component>/<logName>`. */
    id: string;
    logName: string;
    /** What the function does (security group, role and function descriptions). */
    purpose: string;
    description: pulumi.Input<string>;
    code: string;
    timeoutSeconds: number;
    logRetentionDays: number;
    logFormat: "JSON" | "Text";
    /** KMS key of the log group. @default CloudWatch Logs' own encryption */
    logKmsKeyArn?: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Allows the function's security group to reach the database (egress, and the database's
     * ingress); returns the rules, which the function depends on.
     */
    connect: (securityGroupId: pulumi.Output<string>) => pulumi.Resource[];
    dbHost: pulumi.Input<string>;
    dbPort: number;
    dbName: string;
    masterSecretArn: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
    /** Extra environment variables. */
    environment?: Record<string, pulumi.Input<string>>;
    region: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    tags: Record<string, string>;
    opts: pulumi.CustomResourceOptions;
}

/** Read exactly the master secret, decrypting through Secrets Manager only. */
export function secretReadStatements(secretArn: pulumi.Input<string>, kmsKeyArn: pulumi.Input<string>, region: pulumi.Input<string>): Statement[] {
    return [
        { sid: "ReadMasterSecret", actions: ["secretsmanager:GetSecretValue"], resources: [secretArn] },
        {
            sid: "DecryptMasterSecret",
            actions: ["kms:Decrypt"],
            resources: [kmsKeyArn],
            conditions: { StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${region}.amazonaws.com` } },
        },
    ];
}

/** A database function and what it needs before it can reach the database and AWS. */
export interface DatabaseFunction {
    fn: aws.lambda.Function;
    /** Its security-group rules and role policy: an invocation depends on these as the function does. */
    ready: pulumi.Resource[];
}

/** Creates the function; returns it with the resources it depends on. */
export function databaseFunction(component: string, a: DatabaseFunctionArgs): DatabaseFunction {
    const n = childName(component, a.id);
    const sg = new aws.ec2.SecurityGroup(n, {
        vpcId: a.vpcId,
        description: `${a.purpose} of ${component}: to the database and to AWS APIs over HTTPS`,
        tags: { ...a.tags, Name: n },
    }, a.opts);
    const toDatabase = a.connect(sg.id);
    const https = new aws.vpc.SecurityGroupEgressRule(childName(n, "https"), {
        securityGroupId: sg.id,
        cidrIpv4: "0.0.0.0/0",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS to Secrets Manager (through NAT or an interface endpoint)",
        tags: a.tags,
    }, a.opts);
    const logGroup = new aws.cloudwatch.LogGroup(n, {
        name: logGroupName(component, a.logName),
        retentionInDays: a.logRetentionDays,
        kmsKeyId: a.logKmsKeyArn,
        tags: a.tags,
    }, a.opts);
    const role = new aws.iam.Role(n, {
        assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", a.accountId),
        description: `${a.purpose} of ${component}: reads the master secret, writes its logs`,
        tags: a.tags,
    }, a.opts);
    const statements: Statement[] = [
        writeLogsStatement("WriteLogs", logGroup.arn),
        ...secretReadStatements(a.masterSecretArn, a.kmsKeyArn, a.region),
        // Lambda's VPC networking: network interfaces in this account and region, with the
        // function's own security group; Describe has no resource-level permissions.
        // What AWSLambdaVPCAccessExecutionRole grants for a function's network interfaces.
        { sid: "DescribeNetworkInterfaces", actions: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"], resources: ["*"] },
        {
            sid: "ManageNetworkInterfaces",
            actions: ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
            resources: [
                pulumi.interpolate`arn:${a.partition}:ec2:${a.region}:${a.accountId}:network-interface/*`,
                pulumi.interpolate`arn:${a.partition}:ec2:${a.region}:${a.accountId}:subnet/*`,
                sg.arn,
            ],
        },
    ];
    const policy = new aws.iam.RolePolicy(n, { role: role.id, policy: policyDocument(statements) }, a.opts);
    const ready = [policy, https, ...toDatabase];
    const fn = new aws.lambda.Function(n, {
        description: a.description,
        runtime: "nodejs22.x",
        architectures: ["arm64"],
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(a.code) }),
        role: role.arn,
        timeout: a.timeoutSeconds,
        memorySize: 256,
        publish: true,
        vpcConfig: { subnetIds: a.subnetIds, securityGroupIds: [sg.id] },
        loggingConfig: { logFormat: a.logFormat, logGroup: logGroup.name },
        environment: {
            variables: {
                DB_HOST: a.dbHost,
                DB_PORT: String(a.dbPort),
                DB_NAME: a.dbName,
                DB_SECRET_ARN: a.masterSecretArn,
                DB_CA_BUNDLE: LAMBDA_CA_BUNDLE,
                ...(a.environment ?? {}),
            },
        },
        tags: a.tags,
    }, { ...a.opts, dependsOn: ready });
    return { fn, ready };
}
