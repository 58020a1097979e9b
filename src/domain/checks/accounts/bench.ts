import { Readable } from 'node:stream';
import { analyseAdExportStream } from './parse-ad-export.ts';

/** A Get-ADUser Export-Csv stream of `rows` synthetic users, generated lazily in chunks. */
export function generateAdExport(rows: number): Readable {
  let index = 0;
  const header = '#TYPE Selected.Microsoft.ActiveDirectory.Management.ADUser\n"SamAccountName","Enabled","LastLogonDate","SID","MemberOf","whenCreated"\n';
  return Readable.from(
    (function* () {
      yield header;
      while (index < rows) {
        const lines: string[] = [];
        const end = Math.min(rows, index + 5000);
        for (; index < end; index += 1) {
          const month = (index % 12) + 1;
          const day = (index % 28) + 1;
          const lastLogon = index % 10 === 0 ? '' : `${month}/${day}/${index % 3 === 0 ? 2023 : 2024} ${(index % 12) + 1}:04:05 ${index % 2 ? 'PM' : 'AM'}`;
          const groups = index % 1000 === 0 ? 'CN=Domain Admins,CN=Users,DC=corp,DC=example;CN=Staff,OU=Groups,DC=corp,DC=example' : 'CN=Staff,OU=Groups,DC=corp,DC=example';
          lines.push(
            `"user${index}","${index % 20 === 0 ? 'False' : 'True'}","${lastLogon}","S-1-5-21-1004336348-1177238915-682003330-${1000 + index}","${groups}","1/2/2020 9:00:00 AM"`,
          );
        }
        yield lines.join('\n') + '\n';
      }
    })(),
  );
}

/** Generates and analyses `rows` AD rows; returns wall time and the peak RSS seen while running. */
export async function runAccountsBench(rows: number): Promise<{ rows: number; seconds: number; peakRssMb: number; findings: number }> {
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  try {
    const result = await analyseAdExportStream(generateAdExport(rows), { at: new Date('2024-12-31T00:00:00Z'), file: 'bench.csv' });
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return {
      rows: result.stats.accounts,
      seconds: (performance.now() - started) / 1000,
      peakRssMb: Math.round(peakRss / 1_048_576),
      findings: result.findings.length,
    };
  } finally {
    clearInterval(timer);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  console.log(JSON.stringify(await runAccountsBench(rows)));
}
