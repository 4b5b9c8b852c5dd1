/** The database tests' fixture: a network as a `Network` gives it, the orders table, the default arguments. */
import { PartitionedDatabaseArgs, PartitionedTableSpec, PartitionInterval } from "../../components";

export const network = { vpcId: "vpc-123", isolatedSubnetIds: ["subnet-iso-a", "subnet-iso-b"], privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"] };
export const ORDERS: PartitionedTableSpec = {
    name: "orders",
    columns: [{ name: "id", type: "bigserial" }, { name: "order_date", type: "timestamptz" }, { name: "total", type: "numeric(12,2)" }],
    partitionKey: "order_date",
    interval: PartitionInterval.Month,
    retention: "24 months",
    primaryKey: ["id", "order_date"],
};
export const base: PartitionedDatabaseArgs = { network, allowedSecurityGroupIds: ["sg-app"], tables: [ORDERS] };
