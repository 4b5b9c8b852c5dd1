/**
 * The arguments of an EdgeCache, their defaults, and their validation into a spec: the one meaning
 * of every argument, resolved before any resource exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { CommonArgs } from "../common/component";
import { isKnownString, Validator } from "../common/validation";

export const COMPONENT = "EdgeCache";

/** How CloudFront reaches the load balancer. */
export enum EdgeOriginAccess {
    /**
     * A CloudFront VPC origin: the load balancer may be internal (in private subnets, no public
     * address), and CloudFront reaches it through elastic network interfaces in the VPC.
     */
    VpcOrigin = "VpcOrigin",
    /**
     * The load balancer's public DNS name over HTTPS (TLS 1.2). The load balancer should admit only
     * CloudFront's origin-facing managed prefix list (`originPrefixListId`) and require the secret
     * `originVerifyHeaderName` header (`originVerifyHeaderValue`).
     */
    PublicHttps = "PublicHttps",
}

/** Which edge locations serve the distribution (CloudFront price classes). */
export enum EdgePriceClass {
    /** Every edge location: the best latency everywhere, the highest price. */
    All = "PriceClass_All",
    /** North America, Europe, Asia, the Middle East and Africa. */
    Class200 = "PriceClass_200",
    /** North America and Europe only: the cheapest. */
    Class100 = "PriceClass_100",
}

/** Caching of static paths. Every other path is not cached and is forwarded whole to the load balancer. */
export interface EdgeStaticCacheArgs {
    /**
     * CloudFront path patterns served from the cache (at most 24; `*` and `?` wildcards).
     * Only the path is the cache key: no cookies, headers or query strings reach these paths' origin.
     * @default ["/static/*", "/assets/*"]
     */
    pathPatterns?: string[];
    /**
     * The shortest time an object stays cached, in seconds, even when the origin says less.
     * @default 0
     */
    minTtlSeconds?: number;
    /**
     * How long an object stays cached when the origin sends no Cache-Control or Expires, in seconds.
     * @default 86400 (one day)
     */
    defaultTtlSeconds?: number;
    /**
     * The longest time an object stays cached, in seconds, even when the origin says more.
     * @default 31536000 (one year)
     */
    maxTtlSeconds?: number;
}

/** The AWS WAF web ACL in front of the distribution. */
export interface EdgeWafArgs {
    /**
     * Create a web ACL (scope CLOUDFRONT) and attach it to the distribution.
     * @default true
     */
    enabled?: boolean;
    /**
     * Requests one client IP may make in the rate window before WAF blocks it.
     * @default 2000
     */
    rateLimit?: number;
    /**
     * The window the rate limit counts over, in seconds (60, 120, 300 or 600).
     * @default 300
     */
    rateWindowSeconds?: number;
    /**
     * Put every rule in count mode (log, do not block) while tuning.
     * @default false
     */
    countOnly?: boolean;
}

/** Alarms on the distribution (CloudFront metrics, in us-east-1). */
export interface EdgeAlarmArgs {
    /**
     * Create the alarms.
     * @default true
     */
    enabled?: boolean;
    /**
     * SNS topic the alarms notify, in us-east-1 (an alarm can only notify a topic of its own region).
     * @default a topic created in us-east-1 with its own KMS key
     */
    topicArn?: pulumi.Input<string>;
    /**
     * The percentage of viewer requests answered with a 5xx that raises the error-rate alarm.
     * @default 5
     */
    errorRatePercent?: number;
    /**
     * The p99 origin latency (time to first byte from the load balancer, in ms) that raises the latency
     * alarm (created only with `additionalMetrics`: CloudFront publishes OriginLatency as an additional metric).
     * @default 1000
     */
    originLatencyMs?: number;
}

/** How the edge caches, protects, logs and alarms: everything but the origin and the name (what a LoadBalancedService's `cdn` takes). */
export interface EdgeCacheSettings {
    /**
     * How CloudFront reaches the load balancer.
     * @default EdgeOriginAccess.VpcOrigin
     */
    originAccess?: EdgeOriginAccess;
    /**
     * The name CloudFront sends as Host and checks the load balancer's certificate against.
     * @default the viewer's Host header is forwarded, so the load balancer's certificate must cover `domainName`
     */
    originDomainName?: string;
    /**
     * Seconds CloudFront waits for the load balancer's response (1 to 60 without a quota increase).
     * @default 30
     */
    originReadTimeoutSeconds?: number;
    /**
     * Caching of static paths.
     * @default { pathPatterns: ["/static/*", "/assets/*"], minTtlSeconds: 0, defaultTtlSeconds: 86400, maxTtlSeconds: 31536000 }
     */
    staticCache?: EdgeStaticCacheArgs;
    /**
     * The WAF web ACL.
     * @default { enabled: true, rateLimit: 2000, rateWindowSeconds: 300, countOnly: false }
     */
    waf?: EdgeWafArgs;
    /**
     * Days CloudFront access logs are kept in their bucket.
     * @default 90
     */
    accessLogRetentionDays?: number;
    /**
     * Which edge locations serve the distribution.
     * @default EdgePriceClass.All
     */
    priceClass?: EdgePriceClass;
    /**
     * Turn on CloudFront's additional metrics (origin latency, cache hit rate, error rates per status;
     * charged per distribution): the latency alarm and the cache hit ratio need them.
     * @default true
     */
    additionalMetrics?: boolean;
    /**
     * Alarms on the edge's 5xx rate and the origin's latency.
     * @default { enabled: true, errorRatePercent: 5, originLatencyMs: 1000 }
     */
    alarms?: EdgeAlarmArgs;
}

export interface EdgeCacheArgs extends EdgeCacheSettings, CommonArgs {
    /** The load balancer CloudFront forwards to (its ARN): a VPC origin names it. */
    loadBalancerArn: pulumi.Input<string>;
    /** The load balancer's DNS name: the origin's domain name. */
    loadBalancerDnsName: pulumi.Input<string>;
    /**
     * The port of the load balancer's HTTPS listener.
     * @default 443
     */
    originPort?: number;
    /** The name viewers use (`api.example.com`): the distribution's alias, its certificate and its DNS record. */
    domainName: string;
    /** The Route 53 hosted zone holding `domainName`: the certificate's validation records and the alias records go there. */
    hostedZoneId: pulumi.Input<string>;
}

/** Every argument resolved: what the component builds from. */
export interface EdgeSpec {
    name: string;
    originPort: number;
    domainName: string;
    originAccess: EdgeOriginAccess;
    originDomainName?: string;
    originReadTimeoutSeconds: number;
    staticCache: Required<EdgeStaticCacheArgs>;
    waf: Required<EdgeWafArgs>;
    accessLogRetentionDays: number;
    priceClass: EdgePriceClass;
    additionalMetrics: boolean;
    alarms: Required<Omit<EdgeAlarmArgs, "topicArn">> & { topicArn?: pulumi.Input<string> };
}

/** CloudFront's default cache behaviour plus at most 24 more stay under the default quota of 25 per distribution. */
export const MAX_STATIC_PATHS = 24;
/** Rate-based rule windows WAF accepts (`EvaluationWindowSec`). */
export const RATE_WINDOWS = [60, 120, 300, 600] as const;
/** WAF's lowest and highest rate limit (`RateBasedStatement.Limit`). */
export const RATE_LIMIT_RANGE = [10, 2_000_000_000] as const;
/** A year: the largest TTL the toolkit accepts (CloudFront's own default maximum). */
export const MAX_TTL = 31_536_000;

/** Characters CloudFront accepts in a path pattern (Developer Guide, "Path pattern"). */
const PATH_PATTERN = /^\/?[A-Za-z0-9_\-.*$/~"'@:+?&]+$/;
/** A DNS name of at least two labels, letters, digits and hyphens. */
const DOMAIN = /^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))+$/;

/** Validates the arguments (every problem at once) and resolves the defaults. */
export function edgeSpec(name: string, args: EdgeCacheArgs): EdgeSpec {
    const s = resolve(name, args);
    const v = new Validator(COMPONENT, name);
    v.nonEmpty("loadBalancerArn", args.loadBalancerArn);
    v.nonEmpty("loadBalancerDnsName", args.loadBalancerDnsName);
    v.nonEmpty("hostedZoneId", args.hostedZoneId);
    v.check(typeof args.domainName === "string" && DOMAIN.test(args.domainName), "domainName", args.domainName, "a DNS name such as \"api.example.com\"");
    v.check(s.originDomainName === undefined || DOMAIN.test(s.originDomainName), "originDomainName", s.originDomainName, "a DNS name the load balancer's certificate covers");
    v.port("originPort", s.originPort);
    v.oneOf("originAccess", s.originAccess, Object.values(EdgeOriginAccess));
    v.oneOf("priceClass", s.priceClass, Object.values(EdgePriceClass));
    v.intRange("originReadTimeoutSeconds", s.originReadTimeoutSeconds, 1, 60);
    checkStaticCache(v, s.staticCache);
    v.intRange("waf.rateLimit", s.waf.rateLimit, ...RATE_LIMIT_RANGE);
    v.oneOf("waf.rateWindowSeconds", s.waf.rateWindowSeconds, RATE_WINDOWS);
    v.intRange("accessLogRetentionDays", s.accessLogRetentionDays, 1, 3650);
    v.percent("alarms.errorRatePercent", s.alarms.errorRatePercent);
    v.check(s.alarms.originLatencyMs > 0 && Number.isFinite(s.alarms.originLatencyMs), "alarms.originLatencyMs", s.alarms.originLatencyMs, "a latency in milliseconds above 0");
    v.tags(args.tags);
    v.throwIfAny();
    return s;
}

function resolve(name: string, args: EdgeCacheArgs): EdgeSpec {
    const sc = args.staticCache ?? {};
    const waf = args.waf ?? {};
    const alarms = args.alarms ?? {};
    return {
        name,
        originPort: args.originPort ?? 443,
        domainName: args.domainName,
        originAccess: args.originAccess ?? EdgeOriginAccess.VpcOrigin,
        originDomainName: args.originDomainName,
        originReadTimeoutSeconds: args.originReadTimeoutSeconds ?? 30,
        staticCache: {
            pathPatterns: sc.pathPatterns ?? ["/static/*", "/assets/*"],
            minTtlSeconds: sc.minTtlSeconds ?? 0,
            defaultTtlSeconds: sc.defaultTtlSeconds ?? 86_400,
            maxTtlSeconds: sc.maxTtlSeconds ?? MAX_TTL,
        },
        waf: { enabled: waf.enabled ?? true, rateLimit: waf.rateLimit ?? 2000, rateWindowSeconds: waf.rateWindowSeconds ?? 300, countOnly: waf.countOnly ?? false },
        accessLogRetentionDays: args.accessLogRetentionDays ?? 90,
        priceClass: args.priceClass ?? EdgePriceClass.All,
        additionalMetrics: args.additionalMetrics ?? true,
        alarms: { enabled: alarms.enabled ?? true, topicArn: alarms.topicArn, errorRatePercent: alarms.errorRatePercent ?? 5, originLatencyMs: alarms.originLatencyMs ?? 1000 },
    };
}

function checkStaticCache(v: Validator, sc: Required<EdgeStaticCacheArgs>): void {
    v.check(Array.isArray(sc.pathPatterns) && sc.pathPatterns.length <= MAX_STATIC_PATHS, "staticCache.pathPatterns", sc.pathPatterns,
        `at most ${MAX_STATIC_PATHS} path patterns (CloudFront allows 25 cache behaviours per distribution, the default one included)`);
    (Array.isArray(sc.pathPatterns) ? sc.pathPatterns : []).forEach((p, i) => {
        v.check(isKnownString(p) && p.length <= 255 && PATH_PATTERN.test(p) && p !== "*" && p !== "/*", `staticCache.pathPatterns[${i}]`, p,
            "a CloudFront path pattern of at most 255 characters (A-Z a-z 0-9 _ - . * $ / ~ \" ' @ : + ? &), not \"*\" or \"/*\" (that is every path: the default, uncached behaviour)");
    });
    const dupes = sc.pathPatterns.filter((p, i) => sc.pathPatterns.indexOf(p) !== i);
    v.check(dupes.length === 0, "staticCache.pathPatterns", dupes, "each path pattern once");
    v.intRange("staticCache.minTtlSeconds", sc.minTtlSeconds, 0, MAX_TTL);
    v.intRange("staticCache.defaultTtlSeconds", sc.defaultTtlSeconds, 0, MAX_TTL);
    v.intRange("staticCache.maxTtlSeconds", sc.maxTtlSeconds, 0, MAX_TTL);
    v.check(sc.minTtlSeconds <= sc.defaultTtlSeconds && sc.defaultTtlSeconds <= sc.maxTtlSeconds, "staticCache.defaultTtlSeconds", sc.defaultTtlSeconds,
        `a TTL from minTtlSeconds (${sc.minTtlSeconds}) to maxTtlSeconds (${sc.maxTtlSeconds})`);
}
