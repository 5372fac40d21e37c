/**
 * A small Prometheus text-format (0.0.4) writer: counters, gauges and histograms with labels.
 * Written here instead of using prom-client because the server needs only these three types, wants
 * no process-global default registry (two servers in one process keep separate counts) and no
 * dependencies; everything it measures is observed on the main thread.
 */
type Labels = Readonly<Record<string, string>>;

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
  ) {}
  abstract render(): string[];
}

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(labels[k])}"`)
    .join(',');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return Number.isNaN(v) ? 'NaN' : String(v);
}

function series(name: string, key: string, value: number): string {
  return `${name}${key ? `{${key}}` : ''} ${formatValue(value)}`;
}

export class Counter extends Metric {
  private readonly values = new Map<string, number>();
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string[] {
    return [...this.values].map(([key, v]) => series(this.name, key, v));
  }
}

export class Gauge extends Metric {
  private readonly values = new Map<string, number | (() => number)>();
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }
  set(labels: Labels, value: number): void {
    this.values.set(labelKey(labels), value);
  }
  /** A value read at scrape time. */
  collect(labels: Labels, read: () => number): void {
    this.values.set(labelKey(labels), read);
  }
  render(): string[] {
    return [...this.values].map(([key, v]) => series(this.name, key, typeof v === 'function' ? v() : v));
  }
}

export class Histogram extends Metric {
  private readonly data = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    name: string,
    help: string,
    readonly buckets: readonly number[],
  ) {
    super(name, help, 'histogram');
  }
  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let d = this.data.get(key);
    if (!d) {
      d = { counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.data.set(key, d);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) d.counts[i] += 1;
    d.sum += value;
    d.count += 1;
  }
  render(): string[] {
    const out: string[] = [];
    for (const [key, d] of this.data) {
      const sep = key ? ',' : '';
      this.buckets.forEach((le, i) =>
        out.push(`${this.name}_bucket{${key}${sep}le="${formatValue(le)}"} ${d.counts[i]}`),
      );
      out.push(`${this.name}_bucket{${key}${sep}le="+Inf"} ${d.count}`);
      out.push(series(`${this.name}_sum`, key, d.sum));
      out.push(series(`${this.name}_count`, key, d.count));
    }
    return out;
  }
}

/** A set of metrics rendered together at `GET /metrics`. */
export class MetricRegistry {
  private readonly metrics: Metric[] = [];

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }
  gauge(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help));
  }
  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }

  /** The exposition text, `Content-Type: text/plain; version=0.0.4`. */
  render(): string {
    const lines: string[] = [];
    for (const m of this.metrics) {
      lines.push(
        `# HELP ${m.name} ${m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`,
        `# TYPE ${m.name} ${m.type}`,
        ...m.render(),
      );
    }
    return lines.join('\n') + '\n';
  }

  private add<M extends Metric>(m: M): M {
    if (this.metrics.some((x) => x.name === m.name)) throw new Error(`duplicate metric ${m.name}`);
    this.metrics.push(m);
    return m;
  }
}
