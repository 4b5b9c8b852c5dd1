"use strict";
/**
 * `node -r ./bench/usage.js ...` (or in NODE_OPTIONS, so every Node process of a command reports):
 * at exit, appends the process's own CPU time and peak resident memory as one JSON line to the
 * file named by BENCH_USAGE_FILE (process.resourceUsage: user + system CPU, maxRSS).
 */
const fs = require("fs");

const file = process.env.BENCH_USAGE_FILE;
if (file) {
    process.on("exit", (code) => {
        const usage = process.resourceUsage();
        fs.appendFileSync(file, `${JSON.stringify({
            pid: process.pid,
            script: process.argv[1] ?? "",
            code,
            cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
            maxRssKb: usage.maxRSS,
        })}\n`);
    });
}
