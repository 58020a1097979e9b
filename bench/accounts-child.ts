/**
 * Child process for the AD-export benchmark: streams `rows` generated rows through the accounts
 * check and prints one JSON line with the result and this process's peak resident set size
 * (`process.resourceUsage().maxRSS`, whole process lifetime: Node, tsx and the check together).
 * Run by bench/checks-bench.ts as `node --import tsx bench/accounts-child.ts <rows>`.
 */
import { runAccountsBench } from '../src/domain/checks/accounts/bench.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const baselineRssMb = Math.round(process.memoryUsage().rss / 1_048_576);
const result = await runAccountsBench(rows);
const usage = process.resourceUsage();
const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1_000_000;
process.stdout.write(`${JSON.stringify({ ...result, baselineRssMb, maxRssMb: Math.round(usage.maxRSS / 1024), cpuSeconds })}\n`);
