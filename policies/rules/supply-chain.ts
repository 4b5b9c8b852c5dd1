/** What runs: container images pinned to a version (and to a digest in production), Lambda runtimes AWS still supports. */
import facts from "../facts.generated.json";
import { Concern, requireProduction, resourceRule } from "../rule";
import { CONTAINER_TYPES, containerViews } from "./containers";

/** The runtimes @pulumi/aws marks deprecated (facts.generated.json). */
export const DEPRECATED_LAMBDA_RUNTIMES: readonly string[] = facts.deprecatedLambdaRuntimes.values;

/** The tag of an image reference (`repo:tag`), undefined when it has none; digests are `@sha256:...`. */
export function imageTag(image: string): string | undefined {
    const name = image.split("@")[0];
    const slash = name.lastIndexOf("/");
    const colon = name.lastIndexOf(":");
    return colon > slash ? name.slice(colon + 1) : undefined;
}

const hasDigest = (image: string) => /@sha256:[0-9a-f]{64}$/.test(image);

export const imageTagPinned = resourceRule({
    name: "image-tag-pinned",
    description: "Container images name a version: a tag other than `latest`, or a digest.",
    why: "An image without a tag is `latest`: what runs changes with every push, a rollback redeploys the same broken image, and two tasks of one service may run different code.",
    remediationSteps: "Reference the image by a version tag (shop-api:1.4.2) set by the pipeline, or by digest (shop-api@sha256:...).",
    concern: Concern.SupplyChain,
    enforcementLevel: "mandatory",
    severity: "high",
    types: CONTAINER_TYPES,
    check: ({ type, props }) => containerViews(type, props).flatMap((c) => {
        if (c.image === undefined || hasDigest(c.image)) {
            return [];
        }
        const tag = imageTag(c.image);
        return tag === undefined ? [`${c.who}: image ${c.image} has no tag (it runs whatever latest is)`]
            : tag === "latest" ? [`${c.who}: image ${c.image} uses the mutable tag latest`] : [];
    }),
});

export const imageDigestProduction = resourceRule({
    name: "image-digest-production",
    description: "Production containers reference their image by digest (tags are mutable).",
    why: "A tag can be moved to another image by anyone who can push to the repository; a digest names exactly the image that was tested and approved.",
    remediationSteps: "Deploy repo@sha256:<digest> (the pipeline knows the digest it pushed), or make the ECR repository's tags IMMUTABLE and waive with that reason.",
    concern: Concern.SupplyChain,
    enforcementLevel: "advisory",
    severity: "medium",
    types: CONTAINER_TYPES,
    check: ({ type, props }, args) => {
        requireProduction(args, props);
        return containerViews(type, props).filter((c) => c.image !== undefined && !hasDigest(c.image))
            .map((c) => `${c.who}: image ${c.image} is referenced by a mutable tag, not a digest`);
    },
});

export const lambdaDeprecatedRuntime = resourceRule({
    name: "lambda-deprecated-runtime",
    description: "Lambda functions do not use a deprecated runtime.",
    why: "A deprecated runtime gets no security patches; AWS then blocks creating and later updating functions that use it, so a fix cannot be deployed when it is needed.",
    remediationSteps: "Move to a supported runtime (for Node.js: nodejs22.x or newer) and test the function on it.",
    concern: Concern.SupplyChain,
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:lambda/function:Function"],
    check: ({ props }) => typeof props.runtime === "string" && DEPRECATED_LAMBDA_RUNTIMES.includes(props.runtime)
        ? [`runtime ${props.runtime} is deprecated (${facts.deprecatedLambdaRuntimes.source})`] : [],
});

export const SUPPLY_CHAIN_RULES = [imageTagPinned, imageDigestProduction, lambdaDeprecatedRuntime];
