/** Reading metrics the way a scraper does, from the Prometheus text format (version 0.0.4). */

/**
 * The value of one series, named as exposed (with its labels, e.g. `govrelay_executions{status="failed"}`),
 * as its text; null when the text has no such series.
 */
export function sampleOf(text: string, series: string): string | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : line.slice(series.length + 1);
}
