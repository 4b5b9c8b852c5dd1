/**
 * PartitionedDatabase: the IAM connect grant (checked against the IAM service authorization
 * reference), the final snapshot's unique suffix (its keepers checked against the replacement
 * facts), the dependency edges of the database functions, and the static-parameter module.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { PartitionedDatabase } from "../../components";
import { ValidationError } from "../../components/common/errors";
import { finalSnapshotName, rdsDbUserArn } from "../../components/common/naming";
import { POSTGRES_STATIC_PARAMETERS } from "../../components/database/postgresStaticParameters.generated";
import { FACTS } from "../../preview/deployChecks/knownFacts";
import { arnMatchesFormat, iamActionsMatching, iamConditionKeyExists } from "../../policies/iamReference";
import { expectValidationError, Graph, parseJson, record, valueOf } from "../support/harness";
import { expectCompliant } from "../support/policy";
import { base } from "./fixtures";

const opts = { config: { "aws:region": "eu-west-1" } };
const INSTANCE = "aws:rds/instance:Instance";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const RANDOM_ID = "random:index/randomId:RandomId";
const REPLACEMENT_FACTS = path.resolve(__dirname, "../../preview/diff/replacement-facts.json");

describe("PartitionedDatabase.grantConnect", function () {
    this.timeout(60_000);
    let graph: Graph;
    let db: PartitionedDatabase;
    before(async () => {
        const rec = await record(() => {
            const database = new PartitionedDatabase("shop-db", base);
            const role = new aws.iam.Role("api-task", { assumeRolePolicy: "{}" });
            database.grantConnect(role, "app_user");
            database.grantConnect("reporting-task-role", "reporter");
            database.grantConnect(role, "app_user", { id: "api-audit", parent: role });
            return database;
        }, opts);
        graph = rec.graph;
        db = rec.result;
    });

    it("outputs the primary's resource id (dbi-resource-id)", async () => {
        expect(await valueOf(db.resourceId)).to.equal("(known after apply: shop-db-primary.resourceId)");
        expect(graph.one("scaling-toolkit:index:PartitionedDatabase").outputs?.resourceId).to.equal("(known after apply: shop-db-primary.resourceId)");
    });

    it("attaches to the role a policy allowing rds-db:connect as exactly that user on exactly this instance", () => {
        const policy = graph.named("shop-db-connect-app-user", ROLE_POLICY);
        expect(policy.parent).to.equal(graph.one("scaling-toolkit:index:PartitionedDatabase").urn);
        expect(graph.inputsOf(policy).role).to.equal("(known after apply: api-task.name)");
        expect(parseJson(graph.inputsOf(policy).policy)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [{
                Sid: "ConnectWithIamAuthentication",
                Effect: "Allow",
                Action: ["rds-db:connect"],
                Resource: ["arn:aws:rds-db:eu-west-1:(offline: account id):dbuser:(known after apply: shop-db-primary.resourceId)/app_user"],
            }],
        });
        const byName = graph.named("shop-db-connect-reporter", ROLE_POLICY);
        expect(graph.inputsOf(byName).role).to.equal("reporting-task-role");
        expect(parseJson(graph.inputsOf(byName).policy).Statement[0].Resource[0]).to.match(/:dbuser:\(known after apply: shop-db-primary\.resourceId\)\/reporter$/);
        // Placed with the grantee when asked (the stacks put a service's grant in the service).
        const placed = graph.named("shop-db-connect-api-audit", ROLE_POLICY);
        expect(placed.parent).to.equal(graph.named("api-task", "aws:iam/role:Role").urn);
        expect(graph.inputsOf(placed).policy).to.equal(graph.inputsOf(policy).policy);
    });

    it("names the action, resource type and ARN format the IAM reference gives, and no condition key the action lacks", () => {
        const actions = iamActionsMatching("rds-db:connect")!;
        expect(actions.map((a) => a.action)).to.deep.equal(["rds-db:connect"]);
        expect(actions[0].resourceTypes).to.deep.equal([{
            name: "db-user", required: true, arnFormat: "arn:${Partition}:rds-db:${Region}:${Account}:dbuser:${DbiResourceId}/${DbUserName}",
        }]);
        expect(actions[0].conditionKeys).to.deep.equal([]);
        const statement = parseJson(graph.inputsOf(graph.named("shop-db-connect-app-user", ROLE_POLICY)).policy).Statement[0];
        expect(statement.Condition).to.equal(undefined);
        // The recorded ARN, once the account and the resource id are known, is one the reference's format names.
        const deployed = (statement.Resource[0] as string).replace("(offline: account id)", "123456789012")
            .replace("(known after apply: shop-db-primary.resourceId)", "db-ABCDEFGHIJKLMNOPQRSTUVWXY");
        expect(deployed).to.equal(rdsDbUserArn("aws", "eu-west-1", "123456789012", "db-ABCDEFGHIJKLMNOPQRSTUVWXY", "app_user"));
        expect(arnMatchesFormat(deployed, actions[0].resourceTypes[0].arnFormat)).to.equal(true);
        expect(arnMatchesFormat(deployed, "arn:${Partition}:rds:${Region}:${Account}:db:${DbInstanceName}")).to.equal(false);
        expect(iamConditionKeyExists("rds-db:connect")).to.equal(false);
    });

    it("keeps the database compliant with every mandatory policy, production rules included", () => {
        expectCompliant(graph, { config: { production: true } });
    });

    it("refuses a wildcard or malformed user, and a bad id, naming the argument, and creates nothing", async () => {
        const errors: ValidationError[] = [];
        const { graph: g } = await record(() => {
            const database = new PartitionedDatabase("shop-db", base);
            errors.push(expectValidationError(() => database.grantConnect("role", "*"), "PartitionedDatabase", "grantConnect.user"));
            errors.push(expectValidationError(() => database.grantConnect("role", "app/../admin"), "PartitionedDatabase", "grantConnect.user"));
            errors.push(expectValidationError(() => database.grantConnect("role", "app", { id: "Not A Name" }), "PartitionedDatabase", "grantConnect.id"));
            return database;
        }, opts);
        expect(errors.map((e) => e.message).join("\n")).to.contain("shop-db").and.to.contain("\"*\"");
        expect(g.byType(ROLE_POLICY).map((r) => r.name).filter((n) => n.startsWith("shop-db-connect"))).to.deep.equal([]);
    });
});

describe("PartitionedDatabase final snapshot", function () {
    this.timeout(60_000);

    it("is named <name>-final-<8 hex> from a 4-byte RandomId kept by the primary's replacement-forcing inputs", async () => {
        const { graph } = await record(() => new PartitionedDatabase("shop-db", base), opts);
        const suffix = graph.named("shop-db-final-snapshot", RANDOM_ID);
        const primary = graph.one(INSTANCE);
        expect(suffix.parent).to.equal(graph.one("scaling-toolkit:index:PartitionedDatabase").urn);
        expect(primary.propertyDependencies.finalSnapshotIdentifier).to.deep.equal([suffix.urn]);
        const inputs = graph.inputsOf(suffix);
        expect(inputs.byteLength).to.equal(4);
        // Every input of the primary that forces a replacement (terraform-provider-aws ForceNew, as the
        // replacement facts record it) is a keeper, with the primary's value: a replacement draws a new suffix.
        const forceNew = Object.keys(JSON.parse(fs.readFileSync(REPLACEMENT_FACTS, "utf8")).types[INSTANCE].forceNew as Record<string, string>);
        const set = forceNew.filter((p) => !p.includes(".") && graph.inputsOf(primary)[p] !== undefined);
        expect(Object.keys(inputs.keepers).sort()).to.deep.equal(set.sort());
        for (const p of set) {
            expect(inputs.keepers[p], p).to.equal(String(graph.inputsOf(primary)[p]));
        }
        expect(finalSnapshotName("shop-db", "0a1b2c3d")).to.equal("shop-db-final-0a1b2c3d");
    });

    it("is not drawn when the final snapshot is skipped", async () => {
        const { graph } = await record(() => new PartitionedDatabase("shop-db", { ...base, skipFinalSnapshot: true, deletionProtection: false }), opts);
        expect(graph.byType(RANDOM_ID)).to.deep.equal([]);
        expect(graph.inputsOf(graph.one(INSTANCE)).finalSnapshotIdentifier).to.equal(undefined);
    });
});

describe("PartitionedDatabase functions wait for their network path", function () {
    this.timeout(60_000);

    it("the bootstrap function and its invocation depend on the rules to the database and the HTTPS egress", async () => {
        const { graph } = await record(() => new PartitionedDatabase("shop-db", base), opts);
        const urn = (name: string, type: string) => graph.named(name, type).urn;
        const rules = [
            urn("shop-db-bootstrap-to-db", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
            urn("shop-db-db-from-bootstrap", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
            urn("shop-db-bootstrap-https", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
        ];
        const fn = graph.named("shop-db-bootstrap", "aws:lambda/function:Function");
        expect(fn.dependencies).to.include.members([...rules, urn("shop-db-bootstrap", ROLE_POLICY)]);
        const invocation = graph.one("aws:lambda/invocation:Invocation");
        expect(invocation.dependencies).to.include.members([...rules, fn.urn, graph.one(INSTANCE).urn]);
        const watch = graph.named("shop-db-watch", "aws:lambda/function:Function");
        expect(watch.dependencies).to.include.members([
            urn("shop-db-watch-to-db", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
            urn("shop-db-db-from-watch", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
        ]);
    });
});

describe("PostgreSQL static parameters", () => {
    it("are the list the deploy facts extracted from the same real server, with the same source", () => {
        expect(POSTGRES_STATIC_PARAMETERS.parameters).to.deep.equal(FACTS.postgresStaticParameters.parameters);
        expect(POSTGRES_STATIC_PARAMETERS.source).to.equal(FACTS.postgresStaticParameters.source);
    });
});
