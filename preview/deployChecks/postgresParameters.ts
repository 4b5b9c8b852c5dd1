export { postgresStaticParameters } from "../../components/database/postgresParameters";
