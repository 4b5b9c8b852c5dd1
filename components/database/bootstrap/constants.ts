// What the component and the Lambda handlers both need, apart from the handlers: importing a
// handler loads pg and the AWS SDK, which a preview of the component never runs.

/** Where Lambda's Node.js 20+ runtimes ship Amazon's CA certificates, the RDS CAs included. */
export const LAMBDA_CA_BUNDLE = "/var/runtime/ca-cert.pem";
