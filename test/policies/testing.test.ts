/** The rule test harness of scaling-toolkit/policies, on a user's own rule. */
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { checkRule, Concern, resourceRule, RuleTestFailure } from "../../policies/api";

const queuesHaveDlq = resourceRule({
    name: "sqs-dead-letter-queue",
    description: "Queues have a dead-letter queue.",
    why: "A message that always fails is retried forever and blocks nothing but costs money and hides the bug.",
    remediationSteps: "Set redrivePolicy with a deadLetterTargetArn and maxReceiveCount.",
    concern: Concern.DataProtection,
    enforcementLevel: "advisory",
    severity: "low",
    types: ["aws:sqs/queue:Queue"],
    check: ({ props }) => props.redrivePolicy ? [] : ["no redrivePolicy"],
});
const dlq = JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:dlq", maxReceiveCount: 5 });

describe("checkRule (the rule test harness)", () => {
    it("passes a rule that accepts the compliant fixture and flags the non-compliant one", async () => {
        const { compliant, violating } = await checkRule(queuesHaveDlq, {
            compliant: () => new aws.sqs.Queue("q", { redrivePolicy: dlq }),
            violating: () => new aws.sqs.Queue("q", {}),
            says: "no redrivePolicy",
        });
        expect(compliant).to.deep.equal([]);
        expect(violating.map((v) => [v.resourceName, v.level, v.severity])).to.deep.equal([["q", "advisory", "low"]]);
    });

    it("fails, naming the rule and the fixture, when a case is wrong", async () => {
        const failure = async (c: Parameters<typeof checkRule>[1]) => {
            try {
                await checkRule(queuesHaveDlq, c);
            } catch (e) {
                return e as Error;
            }
            throw new Error("checkRule did not fail");
        };
        const noDlq = () => new aws.sqs.Queue("q", {});
        const withDlq = () => new aws.sqs.Queue("q", { redrivePolicy: dlq });
        expect((await failure({ compliant: noDlq, violating: noDlq })).message).to.contain("sqs-dead-letter-queue: the compliant fixture has 1 violation");
        expect((await failure({ compliant: withDlq, violating: withDlq })).message).to.contain("the non-compliant fixture passes");
        const says = await failure({ compliant: withDlq, violating: noDlq, says: "maxReceiveCount" });
        expect(says).to.be.instanceOf(RuleTestFailure);
        expect(says.message).to.contain("no violation says maxReceiveCount");
    });

    it("applies the case's config: waivers and production take effect", async () => {
        const waivers = [{ rule: "sqs-dead-letter-queue", name: "q", reason: "Fire-and-forget metrics queue", owner: "team-obs", expires: "2099-01-01" }];
        const failed = await checkRule(queuesHaveDlq, { compliant: () => new aws.sqs.Queue("q", { redrivePolicy: dlq }), violating: () => new aws.sqs.Queue("q", {}), config: { waivers } }).catch((e: Error) => e);
        expect((failed as Error).message).to.contain("expected unwaived advisory").and.to.contain("waived");
    });
});
