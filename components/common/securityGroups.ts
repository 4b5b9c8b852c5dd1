import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One TCP port of a security group, opened to the members of another security group. */
export interface AdmitArgs {
    /** The group being opened. */
    securityGroupId: pulumi.Input<string>;
    /** The group whose members may connect. */
    from: pulumi.Input<string>;
    port: number;
    description: string;
}

/** Opens one TCP port to one source security group: the only kind of ingress data stores take. */
export function admitSecurityGroup(name: string, args: AdmitArgs, tags: Record<string, string>, opts: pulumi.CustomResourceOptions): aws.vpc.SecurityGroupIngressRule {
    return new aws.vpc.SecurityGroupIngressRule(name, {
        securityGroupId: args.securityGroupId,
        referencedSecurityGroupId: args.from,
        ipProtocol: "tcp",
        fromPort: args.port,
        toPort: args.port,
        description: args.description,
        tags,
    }, opts);
}
