// SHORT mode runs in the default `npm test`; LONG mode with LOOM_CHAOS=long (`npm run chaos`).
export const long = process.env.LOOM_CHAOS === 'long';

/** Pick the figure for the current mode. */
export function pick<T>(short: T, longValue: T): T {
  return long ? longValue : short;
}

/** Print one report line block so a CI log shows the figures of each chaos run. */
export function report(title: string, figures: Record<string, number | string>): void {
  const rows = Object.entries(figures).map(([k, v]) => `  ${k.padEnd(28)} ${v}`);
  console.log(`\n[chaos ${long ? 'LONG' : 'short'}] ${title}\n${rows.join('\n')}`);
}
