import * as pulumi from "@pulumi/pulumi";
import { isKnownString } from "../../common/validation";

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:@]+)/;

/** The ECR repository ARN of an image URI known now, or undefined for other registries. */
export function ecrRepositoryArnOf(image: pulumi.Input<string>): string | undefined {
    if (!isKnownString(image)) {
        return undefined;
    }
    const m = ECR_IMAGE.exec(image);
    if (!m) {
        return undefined;
    }
    const partition = m[3] ? "aws-cn" : "aws";
    return `arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${m[4]}`;
}

/** A Secrets Manager reference without its `:json-key:version-stage:version-id` suffix. */
export function secretArnOf(reference: string): string {
    const parts = reference.split(":");
    return parts.length > 7 ? parts.slice(0, 7).join(":") : reference;
}
