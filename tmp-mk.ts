import * as fs from "fs";
import * as path from "path";
import { projectWithConfig, REPO } from "./test/support/preview";
const [dir] = process.argv.slice(2);
const spec = fs.readFileSync(path.join(REPO, "stacks", "partitions.yaml"), "utf8").replace("retention: 24 months", "retention: 36 months");
fs.writeFileSync(path.join(dir, "partitions.yaml"), spec);
projectWithConfig(dir, "prod", (c: any) => {
    c["scaling-toolkit:services"][0].maxCapacity = 40;
    c["scaling-toolkit:services"][0].environment = { QUEUE: "orders" };
    c["scaling-toolkit:database"].readReplicas = 0;
    c["scaling-toolkit:database"].partitionSpecFile = path.relative(path.join(REPO, "stacks"), path.join(dir, "partitions.yaml"));
    c["scaling-toolkit:services"][1].containerPort = 8080;
});
