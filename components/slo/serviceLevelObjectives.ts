import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alarmTopic, createAlarms } from "../common/alarms";
import { ComponentContext, typeToken } from "../common/component";
import { dashboardBody } from "../common/dashboard";
import { accountUniqueName, childName, sloAlarmName } from "../common/naming";
import { publish } from "../common/publish";
import { compositeRule, MetricTarget, metricRegion, windowAlarms } from "./cloudwatch";
import { sloWidgets } from "./dashboard";
import { burnThreshold, BURN_RATE_RULES, COMPONENT, ObjectiveSpec, ServiceLevelObjectivesArgs, SloMetricSource, sloSpec } from "./objectives";

export { AvailabilityObjectiveArgs, LatencyObjectiveArgs, ServiceLevelObjectivesArgs, SloMetricSource, SloSettings } from "./objectives";

/**
 * Availability and latency objectives of a service with multiwindow, multi-burn-rate alarms (the SRE
 * workbook's page at 14.4x over 1 h and 5 min, ticket at 6x over 6 h and 30 min) in CloudWatch metric
 * math over the load balancer's or CloudFront's request metrics, and a dashboard with each SLO, its
 * error budget left over 30 days and its burn rate.
 */
export class ServiceLevelObjectives extends pulumi.ComponentResource {
    /** The composite alarms that page (fast burn), one per objective. */
    public readonly pageAlarmArns!: pulumi.Output<string[]>;
    /** The composite alarms that open a ticket (slow burn), one per objective. */
    public readonly ticketAlarmArns!: pulumi.Output<string[]>;
    /** The topic the page alarms notify. */
    public readonly pageTopicArn!: pulumi.Output<string>;
    /** The SLO dashboard, when created. */
    public readonly dashboardName!: pulumi.Output<string | undefined>;

    constructor(name: string, args: ServiceLevelObjectivesArgs, opts?: pulumi.ComponentResourceOptions) {
        const spec = sloSpec(name, args);
        super(typeToken(COMPONENT), name, {}, opts);
        const kit = new ComponentContext(this, COMPONENT, args);
        const target: MetricTarget = {
            source: spec.source,
            id: spec.source === SloMetricSource.CloudFront ? args.distributionId! : args.loadBalancerArnSuffix!,
        };
        const region = metricRegion(target);
        const pageTopic = alarmTopic(name, args.pageTopicArn, kit.tags, kit.childOpts, region);
        const ticketTopic = args.ticketTopicArn === undefined ? pageTopic : pulumi.output(args.ticketTopicArn);

        const composites = spec.objectives.flatMap((objective) => burnRateAlarms(name, target, objective, { page: pageTopic, ticket: ticketTopic }, kit));
        const dashboard = spec.dashboard ? sloDashboard(name, target, spec.objectives, kit) : undefined;

        publish<ServiceLevelObjectives>(this, {
            pageAlarmArns: pulumi.all(composites.filter((c) => c.rule === "page").map((c) => c.alarm.arn)),
            ticketAlarmArns: pulumi.all(composites.filter((c) => c.rule === "ticket").map((c) => c.alarm.arn)),
            pageTopicArn: pageTopic,
            dashboardName: dashboard === undefined ? pulumi.output(undefined) : dashboard.dashboardName,
        });
    }
}

/** An objective's window alarms (silent) and, per burn-rate rule, the composite alarm that notifies. */
function burnRateAlarms(
    name: string,
    target: MetricTarget,
    objective: ObjectiveSpec,
    topics: { page: pulumi.Input<string>; ticket: pulumi.Input<string> },
    kit: ComponentContext,
): { rule: "page" | "ticket"; alarm: aws.cloudwatch.CompositeAlarm }[] {
    const windows = windowAlarms(name, target, objective);
    // Silent alarms notify nobody: the topic argument is not used.
    const alarms = createAlarms(name, topics.page, windows.map((w) => w.spec), kit.tags, kit.childOpts);
    return BURN_RATE_RULES.map((rule) => {
        const arnOf = (window: "long" | "short") => alarms[windows.findIndex((w) => w.rule.id === rule.id && w.window === window)].arn;
        const topic = rule.id === "page" ? topics.page : topics.ticket;
        const alarm = new aws.cloudwatch.CompositeAlarm(sloAlarmName(name, objective.id, rule.id), {
            alarmName: accountUniqueName(name, `${objective.id}-slo-${rule.id}`),
            alarmDescription: `${name} ${objective.id} SLO (${objective.objectivePercent}%): the error budget burns ${rule.burnRate}x too fast `
                + `(error ratio above ${burnThreshold(rule, objective.objectivePercent)} over ${rule.longWindowMinutes} and ${rule.shortWindowMinutes} minutes)`,
            alarmRule: compositeRule(arnOf("long"), arnOf("short")),
            alarmActions: [topic],
            okActions: [topic],
            region: metricRegion(target),
            tags: { ...kit.tags, Severity: rule.id },
        }, kit.childOpts);
        return { rule: rule.id, alarm };
    });
}

/** The SLO dashboard (in the metrics' region). */
function sloDashboard(name: string, target: MetricTarget, objectives: ObjectiveSpec[], kit: ComponentContext): aws.cloudwatch.Dashboard {
    const stackRegion = aws.getRegionOutput({}, { parent: kit.childOpts.parent }).region;
    return new aws.cloudwatch.Dashboard(childName(name, "slo"), {
        dashboardName: accountUniqueName(name, "slo"),
        dashboardBody: pulumi.all([pulumi.output(target.id), stackRegion]).apply(([id, region]) =>
            dashboardBody(sloWidgets(name, { source: target.source, id }, objectives, region))),
        region: metricRegion(target),
    }, kit.childOpts);
}
