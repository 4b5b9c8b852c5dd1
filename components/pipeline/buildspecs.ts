/**
 * The default CodeBuild buildspecs of a CiCdPipeline, as data rendered to YAML (CodeBuild accepts
 * JSON, a subset of YAML, so no YAML library is needed at run time).
 */

/** Environment variable names the image buildspec reads; the project sets them. */
export const IMAGE_BUILD_ENV = {
    repositoryUri: "REPOSITORY_URI",
    imageTag: "IMAGE_TAG",
    containerName: "CONTAINER_NAME",
    dockerfile: "DOCKERFILE",
    dockerContext: "DOCKER_CONTEXT",
} as const;

/** A buildspec (version 0.2) that runs the given commands in the build phase and stops at the first failure. */
export function testBuildspec(commands: string[]): string {
    return JSON.stringify({
        version: "0.2",
        env: { shell: "bash" },
        phases: { build: { "on-failure": "ABORT", commands } },
    }, null, 2);
}

/**
 * A buildspec (version 0.2) that builds the image, pushes it tagged with the commit id (tags are
 * immutable, so a commit already pushed is not rebuilt) and writes `imagedefinitions.json` for the
 * ECS deploy action. Everything runs in one phase that aborts on failure: `post_build` would run
 * even after a failed build.
 */
export function imageBuildspec(): string {
    const e = IMAGE_BUILD_ENV;
    return JSON.stringify({
        version: "0.2",
        env: { shell: "bash" },
        phases: {
            build: {
                "on-failure": "ABORT",
                commands: [
                    `test -n "$${e.imageTag}" || { echo "${e.imageTag} is empty: the pipeline passes the commit id"; exit 1; }`,
                    `REGISTRY="\${${e.repositoryUri}%%/*}"`,
                    `aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$REGISTRY"`,
                    `if aws ecr describe-images --repository-name "\${${e.repositoryUri}#*/}" --image-ids imageTag="$${e.imageTag}" >/dev/null 2>&1; then ` +
                        `echo "image $${e.imageTag} already pushed"; else ` +
                        `docker build --pull --tag "$${e.repositoryUri}:$${e.imageTag}" --file "$${e.dockerfile}" "$${e.dockerContext}" && ` +
                        `docker push "$${e.repositoryUri}:$${e.imageTag}"; fi`,
                    `printf '[{"name":"%s","imageUri":"%s"}]' "$${e.containerName}" "$${e.repositoryUri}:$${e.imageTag}" > imagedefinitions.json`,
                ],
            },
        },
        artifacts: { files: ["imagedefinitions.json"] },
    }, null, 2);
}
