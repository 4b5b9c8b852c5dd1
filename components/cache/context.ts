import { ComponentContext } from "../common/component";
import { CacheSpec } from "./spec";

/** What every part of a RedisCache is built with: its spec and the component's context. */
export interface CacheContext {
    spec: CacheSpec;
    kit: ComponentContext;
}
