/** CloudWatch dashboard widgets as data: components return them, a stack's dashboard lays them out. */

/** One widget of a dashboard body's `widgets` (CloudWatch API Reference, "Dashboard Body Structure and Syntax"). */
export interface DashboardWidget {
    type: "metric" | "text";
    x?: number;
    y?: number;
    width: number;
    height: number;
    properties: Record<string, unknown>;
}

/** A dashboard body laying the widgets out left to right, three 8-wide widgets a row. */
export function dashboardBody(widgets: DashboardWidget[]): string {
    return JSON.stringify({
        widgets: widgets.map((w, i) => ({ ...w, x: w.x ?? (i % 3) * 8, y: w.y ?? Math.floor(i / 3) * w.height })),
    });
}
