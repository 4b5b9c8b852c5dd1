import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "../common/component";

/** What every part of a Network is built with: the component's name, parent and tags. */
export interface NetworkContext {
    /** The component's name, which every child's name starts with. */
    name: string;
    /** The component itself (the parent of look-ups). */
    component: pulumi.ComponentResource;
    kit: ComponentContext;
    /** The standard tags with a `Name` (and any extra tags). */
    tagged(name: string, extra?: Record<string, string>): Record<string, string>;
}

export function networkContext(component: pulumi.ComponentResource, name: string, kit: ComponentContext): NetworkContext {
    return { name, component, kit, tagged: (n, extra = {}) => ({ ...kit.tags, Name: n, ...extra }) };
}
