/**
 * LoadBalancedService.deployment resolved and validated: the strategy, its timings and what it may
 * be combined with. The ranges are the ECS API's (ECS API reference and @pulumi/aws 7.48
 * types/input.d.ts `ServiceDeploymentConfiguration*`):
 * - `bakeTimeInMinutes`, `canaryBakeTimeInMinutes`, `stepBakeTimeInMinutes`: 0-1440 minutes;
 * - `canaryPercent`: multiples of 0.1 from 0.1 to 100 (API default 5, canary bake default 10);
 * - `stepPercent`: multiples of 0.1 from 3 to 100 (API default 10, step bake default 6);
 * - `lifecycleStages`: the `DeploymentLifecycleStage` values (`DeploymentLifecycleHook`); hooks,
 *   bake times and traffic shifting exist only for the BLUE_GREEN, CANARY and LINEAR strategies.
 */
import { isKnownString, Validator } from "../../common/validation";
import { EdgeOriginAccess } from "../../edge/spec";
import { DeploymentLifecycleHookArgs, DeploymentLifecycleStage, DeploymentStrategy, LoadBalancedServiceArgs, ServiceDeploymentArgs } from "./args";

/** The ECS `deploymentConfiguration.strategy` of each strategy. */
export const ECS_STRATEGY: Record<DeploymentStrategy, string> = {
    [DeploymentStrategy.Rolling]: "ROLLING",
    [DeploymentStrategy.BlueGreen]: "BLUE_GREEN",
    [DeploymentStrategy.Canary]: "CANARY",
    [DeploymentStrategy.Linear]: "LINEAR",
};

/** The deployment a service renders, defaults applied. */
export interface DeploymentSpec {
    strategy: DeploymentStrategy;
    /** A native traffic-shifting strategy (not rolling): a second target group, listener rules, an infrastructure role. */
    native: boolean;
    bakeTimeMinutes: number;
    canary?: { percent: number; bakeTimeMinutes: number };
    linear?: { stepPercent: number; stepBakeTimeMinutes: number };
    testTrafficHeader?: string;
    hooks: DeploymentLifecycleHookArgs[];
    rollbackOnAlarms: boolean;
}

const BAKE_MINUTES = { min: 0, max: 1440 };
/** A Lambda function ARN, optionally with a version or alias qualifier. */
const LAMBDA_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[$A-Za-z0-9_-]{1,128})?$/;
/**
 * A header name a listener rule's http-header condition takes: 1-40 token characters
 * (terraform-provider-aws internal/service/elbv2/listener_rule.go, `http_header_name` validator,
 * commit fd91d1b7945cd7b14e91b4f8e9770d14a6f793d9).
 */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,40}$/;

export function resolveDeployment(args: ServiceDeploymentArgs | undefined): DeploymentSpec {
    const d = args ?? {};
    const strategy = d.strategy ?? DeploymentStrategy.Rolling;
    return {
        strategy,
        native: strategy !== DeploymentStrategy.Rolling,
        bakeTimeMinutes: d.bakeTimeMinutes ?? 10,
        canary: strategy === DeploymentStrategy.Canary ? { percent: d.canaryPercent ?? 5, bakeTimeMinutes: d.canaryBakeTimeMinutes ?? 10 } : undefined,
        linear: strategy === DeploymentStrategy.Linear ? { stepPercent: d.stepPercent ?? 10, stepBakeTimeMinutes: d.stepBakeTimeMinutes ?? 6 } : undefined,
        testTrafficHeader: d.testTrafficHeader,
        hooks: d.lifecycleHooks ?? [],
        rollbackOnAlarms: d.rollbackOnAlarms ?? true,
    };
}

/** A percentage in [min, 100] in steps of 0.1, as ECS takes it. */
function tenthPercent(v: Validator, argument: string, value: number | undefined, min: number): void {
    if (value === undefined || !v.typeOf(argument, value, "number")) {
        return;
    }
    v.check(value >= min && value <= 100 && Math.abs(value * 10 - Math.round(value * 10)) < 1e-9, argument, value,
        `a percentage from ${min} to 100 in steps of 0.1 (ECS's range)`);
}

/** Every rule of `deployment`: ranges, the fields each strategy takes, and what the listener setup can carry. */
export function checkDeployment(v: Validator, args: LoadBalancedServiceArgs, spec: DeploymentSpec): void {
    const d = args.deployment ?? {};
    v.oneOf("deployment.strategy", d.strategy, Object.values(DeploymentStrategy));
    onlyWith(v, d, spec.strategy);
    for (const field of ["bakeTimeMinutes", "canaryBakeTimeMinutes", "stepBakeTimeMinutes"] as const) {
        v.integer(`deployment.${field}`, d[field], BAKE_MINUTES);
    }
    tenthPercent(v, "deployment.canaryPercent", d.canaryPercent, 0.1);
    tenthPercent(v, "deployment.stepPercent", d.stepPercent, 3);
    if (d.testTrafficHeader !== undefined) {
        v.check(HEADER_NAME.test(d.testTrafficHeader), "deployment.testTrafficHeader", d.testTrafficHeader,
            "an HTTP header name of 1-40 letters, digits and !#$%&'*+-.^_`|~ (a listener rule's header condition)");
    }
    (d.lifecycleHooks ?? []).forEach((hook, i) => checkHook(v, `deployment.lifecycleHooks[${i}]`, hook));
    v.check(!spec.native || args.cdn?.originAccess !== EdgeOriginAccess.PublicHttps, "deployment.strategy", d.strategy,
        "rolling with cdn.originAccess PublicHttps: its HTTPS listener answers 403 (a fixed response) besides forwarding, and ECS refuses "
        + "blue/green, canary and linear deployments on listeners that mix forward and other actions (ECS developer guide, "
        + "Application Load Balancer resources for blue/green deployments); use cdn.originAccess VpcOrigin");
}

/** Fields a strategy does not use must be unset: a bake time given to a rolling service would silently do nothing. */
function onlyWith(v: Validator, d: ServiceDeploymentArgs, strategy: DeploymentStrategy): void {
    const native = "blueGreen, canary or linear";
    const rules: [keyof ServiceDeploymentArgs, boolean, string][] = [
        ["bakeTimeMinutes", strategy !== DeploymentStrategy.Rolling, native],
        ["testTrafficHeader", strategy !== DeploymentStrategy.Rolling, native],
        ["lifecycleHooks", strategy !== DeploymentStrategy.Rolling || (d.lifecycleHooks ?? []).length === 0, native],
        ["canaryPercent", strategy === DeploymentStrategy.Canary, "canary"],
        ["canaryBakeTimeMinutes", strategy === DeploymentStrategy.Canary, "canary"],
        ["stepPercent", strategy === DeploymentStrategy.Linear, "linear"],
        ["stepBakeTimeMinutes", strategy === DeploymentStrategy.Linear, "linear"],
    ];
    for (const [field, allowed, strategies] of rules) {
        v.check(allowed || d[field] === undefined, `deployment.${field}`, d[field],
            `unset with strategy "${strategy}" (it applies to ${strategies} deployments only)`);
    }
}

function checkHook(v: Validator, at: string, hook: DeploymentLifecycleHookArgs): void {
    if (isKnownString(hook.functionArn) || hook.functionArn === undefined) {
        v.check(typeof hook.functionArn === "string" && LAMBDA_FUNCTION_ARN.test(hook.functionArn), `${at}.functionArn`, hook.functionArn,
            "a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<version or alias>])");
    }
    const stages = hook.stages ?? [];
    v.check(stages.length > 0, `${at}.stages`, hook.stages, "at least one DeploymentLifecycleStage");
    stages.forEach((stage, i) => v.oneOf(`${at}.stages[${i}]`, stage, Object.values(DeploymentLifecycleStage)));
    v.check(new Set(stages).size === stages.length, `${at}.stages`, stages, "each stage once");
}
