import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../common/naming";
import { ServiceLevelObjectives } from "../../slo/serviceLevelObjectives";
import { AwsContext } from "./context";
import { ServiceLoadBalancer } from "./loadBalancer";
import { AwsServiceSpec } from "./spec";

/**
 * The service's SLOs, when `slo` is given: burn-rate alarms over the load balancer's request
 * metrics, page and ticket both notifying the service's alarm topic.
 */
export function serviceSlo(
    ctx: AwsContext,
    spec: AwsServiceSpec,
    lb: ServiceLoadBalancer,
    alarmTopicArn: pulumi.Input<string>,
): ServiceLevelObjectives | undefined {
    if (spec.slo === undefined) {
        return undefined;
    }
    return new ServiceLevelObjectives(childName(ctx.name, "slo"), {
        loadBalancerArnSuffix: lb.loadBalancer.arnSuffix,
        pageTopicArn: alarmTopicArn,
        availability: spec.slo.availability,
        latency: spec.slo.latency,
        dashboard: spec.slo.dashboard,
        tags: ctx.tags,
    }, { parent: ctx.parent });
}
