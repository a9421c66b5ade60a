/**
 * The Prometheus text exposition format (version 0.0.4), written by hand as the relayer's metrics
 * always were (no client library): families of samples, and the two in-process kinds the server
 * needs, labelled counters and histograms. Label values come from a small known set (route
 * templates, error codes, message types), never from request data, so the series stay bounded.
 */

export type Sample = { labels?: Record<string, string>; value: string | number | bigint };

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function labelText(labels: Record<string, string> | undefined): string {
  return labels && Object.keys(labels).length
    ? `{${Object.entries(labels)
        .map(([k, v]) => `${k}="${escape(v)}"`)
        .join(',')}}`
    : '';
}

export function family(name: string, type: 'gauge' | 'counter' | 'histogram', help: string, samples: Sample[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const s of samples) lines.push(`${name}${labelText(s.labels)} ${String(s.value)}`);
  return lines.join('\n');
}

/** A counter with labels; the key of a series is its label values in declaration order. */
export class Counter {
  private readonly series = new Map<string, { labels: Record<string, string>; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
  ) {}

  inc(labels: Record<string, string>, by = 1): void {
    const key = this.labelNames.map((n) => labels[n] ?? '').join('\u0000');
    const entry = this.series.get(key);
    if (entry) entry.value += by;
    else this.series.set(key, { labels: Object.fromEntries(this.labelNames.map((n) => [n, labels[n] ?? ''])), value: by });
  }

  get(labels: Record<string, string>): number {
    return this.series.get(this.labelNames.map((n) => labels[n] ?? '').join('\u0000'))?.value ?? 0;
  }

  render(): string {
    return family(
      this.name,
      'counter',
      this.help,
      [...this.series.values()].map((s) => ({ labels: s.labels, value: s.value })),
    );
  }
}

/** A histogram with labels: cumulative buckets, sum and count per series. */
export class Histogram {
  private readonly series = new Map<string, { labels: Record<string, string>; counts: number[]; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    readonly buckets: readonly number[],
  ) {}

  observe(labels: Record<string, string>, value: number): void {
    const key = this.labelNames.map((n) => labels[n] ?? '').join('\u0000');
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels: Object.fromEntries(this.labelNames.map((n) => [n, labels[n] ?? ''])), counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) entry.counts[i]!++;
    entry.sum += value;
    entry.count++;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      this.buckets.forEach((le, i) => lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(le) })} ${s.counts[i]}`));
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`);
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines.join('\n');
  }
}
