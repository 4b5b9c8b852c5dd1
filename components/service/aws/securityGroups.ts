import * as aws from "@pulumi/aws";
import { admitSecurityGroup } from "../../common/securityGroups";
import { AwsContext } from "./context";
import { AwsServiceSpec } from "./spec";

export interface ServiceSecurityGroups {
    loadBalancer: aws.ec2.SecurityGroup;
    tasks: aws.ec2.SecurityGroup;
}

/**
 * The load balancer takes 443/80 from the allowed CIDRs and reaches only the tasks' port; the tasks
 * take only the container port, only from the load balancer, and reach what `egress` allows.
 */
export function securityGroups(ctx: AwsContext, spec: AwsServiceSpec): ServiceSecurityGroups {
    const { tags, kit } = ctx;
    const port = spec.container.port;
    const group = (suffix: string, description: string) => new aws.ec2.SecurityGroup(ctx.child(suffix), {
        vpcId: spec.network.vpcId,
        description,
        tags: { ...tags, Name: ctx.child(suffix) },
    }, kit.childOpts);
    const lbSg = group("lb", `Load balancer of ${ctx.name}: HTTPS in, container port out to the tasks`);
    const taskSg = group("tasks", `Tasks of ${ctx.name}: container port from the load balancer only`);
    spec.ingressCidrs.forEach((cidr, i) => {
        for (const listenerPort of spec.ingressPorts) {
            new aws.vpc.SecurityGroupIngressRule(ctx.child(`lb-${listenerPort}-${i}`), {
                securityGroupId: lbSg.id,
                cidrIpv4: cidr,
                ipProtocol: "tcp",
                fromPort: listenerPort,
                toPort: listenerPort,
                description: listenerPort === 443 ? "HTTPS from allowed clients" : "HTTP from allowed clients (redirected to HTTPS)",
                tags,
            }, kit.childOpts);
        }
    });
    new aws.vpc.SecurityGroupEgressRule(ctx.child("lb-to-tasks"), {
        securityGroupId: lbSg.id,
        referencedSecurityGroupId: taskSg.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: "Container port on the tasks",
        tags,
    }, kit.childOpts);
    admitSecurityGroup(ctx.child("tasks-from-lb"), {
        securityGroupId: taskSg.id,
        from: lbSg.id,
        port,
        description: "Container port from the load balancer",
    }, tags, kit.childOpts);
    spec.egress.forEach((rule, i) => new aws.vpc.SecurityGroupEgressRule(ctx.child(`tasks-egress-${i}`), {
        securityGroupId: taskSg.id,
        cidrIpv4: rule.cidr,
        ipProtocol: "tcp",
        fromPort: rule.fromPort,
        toPort: rule.toPort,
        description: rule.description,
        tags,
    }, kit.childOpts));
    return { loadBalancer: lbSg, tasks: taskSg };
}
