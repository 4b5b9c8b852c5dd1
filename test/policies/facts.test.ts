/** The provider facts the pack checks against are extracted from the installed SDKs, and up to date. */
import * as fs from "fs";
import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { FACTS_FILE, factsText } from "../../scripts/policy-facts";
import { WORKLOAD_TYPES } from "../../policies/rules/kubernetes";
import { SSE_ALGORITHMS } from "../../policies/rules/encryption";
import { ESCALATION_ACTIONS } from "../../policies/rules/iam";
import { RESOURCELESS_READ_ACTIONS } from "../../policies/rules/least-privilege";
import { iamActionsMatching } from "../../policies/iamReference";

describe("policy facts (policies/facts.generated.json)", () => {
    it("match a fresh extraction from the installed provider SDKs (npm run facts:policies)", () => {
        expect(fs.readFileSync(FACTS_FILE, "utf8")).to.equal(factsText());
    });

    it("cover ReplicationController and the older workload API versions, which the SDK really ships", () => {
        for (const cls of [k8s.core.v1.ReplicationController, k8s.apps.v1beta1.Deployment, k8s.apps.v1beta2.DaemonSet, k8s.extensions.v1beta1.Deployment, k8s.batch.v1beta1.CronJob, k8s.batch.v2alpha1.CronJob]) {
            expect(WORKLOAD_TYPES).to.include((cls as unknown as { __pulumiType: string }).__pulumiType);
        }
    });

    it("list exactly the S3 default-encryption algorithms of the provider's docs", () => {
        expect([...SSE_ALGORITHMS]).to.deep.equal(["AES256", "aws:kms", "aws:kms:dsse"]);
    });
});

describe("the IAM actions the pack names", () => {
    it("exist in the IAM service authorization reference (privilege-escalation list, resourceless read actions)", () => {
        for (const action of [...ESCALATION_ACTIONS, ...RESOURCELESS_READ_ACTIONS]) {
            expect(iamActionsMatching(action), action).to.have.length(1);
        }
    });
});
