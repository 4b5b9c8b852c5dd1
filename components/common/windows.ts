/** AWS maintenance, backup and snapshot windows (UTC): parsing and lengths. */

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** Minutes after midnight of `hh:mm`, or undefined when malformed. */
function minutesOf(hhmm: string): number | undefined {
    const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
    return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** Length in minutes of a daily `hh:mm-hh:mm` window, or undefined when malformed. */
export function dailyWindowMinutes(window: string): number | undefined {
    const [from, to, extra] = window.split("-");
    const start = minutesOf(from ?? "");
    const end = minutesOf(to ?? "");
    if (start === undefined || end === undefined || extra !== undefined) {
        return undefined;
    }
    return (end - start + 24 * 60) % (24 * 60);
}

/** Length in minutes of a weekly `ddd:hh:mm-ddd:hh:mm` window, or undefined when malformed. */
export function weeklyWindowMinutes(window: string): number | undefined {
    const m = /^([a-z]{3}):(\d\d:\d\d)-([a-z]{3}):(\d\d:\d\d)$/.exec(window);
    if (!m) {
        return undefined;
    }
    const [startDay, endDay] = [DAYS.indexOf(m[1]), DAYS.indexOf(m[3])];
    const [start, end] = [minutesOf(m[2]), minutesOf(m[4])];
    if (startDay < 0 || endDay < 0 || start === undefined || end === undefined) {
        return undefined;
    }
    const week = 7 * 24 * 60;
    return (endDay * 24 * 60 + end - (startDay * 24 * 60 + start) + week) % week;
}


/** Start and end (minutes after midnight) of a daily `hh:mm-hh:mm` window. */
function dailyRange(window: string): [number, number] | undefined {
    const start = minutesOf(window.split("-")[0] ?? "");
    return start === undefined || dailyWindowMinutes(window) === undefined ? undefined : [start, start + dailyWindowMinutes(window)!];
}

/**
 * Whether a daily window (`hh:mm-hh:mm`, such as a backup window) overlaps a weekly one
 * (`ddd:hh:mm-ddd:hh:mm`, such as a maintenance window) on some day; undefined when either is
 * malformed. Both are UTC; windows that cross midnight are handled.
 */
export function dailyOverlapsWeekly(daily: string, weekly: string): boolean | undefined {
    const day = dailyRange(daily);
    const m = /^([a-z]{3}):(\d\d:\d\d)-([a-z]{3}):(\d\d:\d\d)$/.exec(weekly.toLowerCase());
    const length = weeklyWindowMinutes(weekly.toLowerCase());
    if (!day || !m || length === undefined) {
        return undefined;
    }
    const week = 7 * 24 * 60;
    const start = DAYS.indexOf(m[1]) * 24 * 60 + minutesOf(m[2])!;
    // The daily window on each day of the week (and the week before, for windows crossing Sunday night).
    for (let d = -1; d < 7; d++) {
        const [a, b] = [d * 24 * 60 + day[0], d * 24 * 60 + day[1]];
        for (const shift of [0, week, -week]) {
            if (a < start + shift + length && start + shift < b) {
                return true;
            }
        }
    }
    return false;
}
