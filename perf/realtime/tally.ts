import { quantile } from '../stats';

/**
 * What the producer puts in every message body: its sequence number and the
 * time it published it, read on the clock the receivers read (the driver's),
 * so that receipt − publish is a delivery latency and not a clock skew.
 */
export interface Stamp {
  seq: number;
  publishedAt: number;
}

export const stampBody = (stamp: Stamp): string => JSON.stringify({ seq: stamp.seq, t: stamp.publishedAt });

/** The stamp in a body, or undefined for a body this scenario did not write. */
export function readStamp(body: unknown): Stamp | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const { seq, t } = JSON.parse(body) as { seq?: unknown; t?: unknown };
    return Number.isSafeInteger(seq) && typeof t === 'number' ? { seq: seq as number, publishedAt: t } : undefined;
  } catch {
    return undefined;
  }
}

/** How one way of delivering did, over every client. */
export interface DeliveryStats {
  /** Messages the producer published and the server acknowledged. */
  published: number;
  /** Publishes refused or never acknowledged. */
  publishFailures: number;
  /** First receipts of a published message, summed over clients. */
  delivered: number;
  /** (published × clients) − delivered: a client never got that message. */
  lost: number;
  /** Receipts of a message the same client had already received. */
  duplicated: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/**
 * Counts what each client received, by sequence number: the first receipt
 * records a latency, a later one is a duplicate, and what never arrived is
 * lost. Knows nothing of transports; push and polling feed it alike.
 */
export class DeliveryTally {
  private readonly seen: Array<Set<number>>;
  private readonly latencies: number[] = [];
  private duplicates = 0;
  private firsts = 0;

  constructor(readonly clients: number) {
    this.seen = Array.from({ length: clients }, () => new Set<number>());
  }

  /** Client `client` received `body` at `receivedAt` (the producer's clock). */
  receive(client: number, body: unknown, receivedAt: number): void {
    const stamp = readStamp(body);
    const seen = this.seen[client];
    if (!stamp || !seen) throw new Error(`client ${client} received something this scenario did not publish: ${JSON.stringify(body)}`);
    if (seen.has(stamp.seq)) {
      this.duplicates++;
      return;
    }
    seen.add(stamp.seq);
    this.firsts++;
    this.latencies.push(receivedAt - stamp.publishedAt);
  }

  /**
   * 0 once every client has every message of `published`; otherwise how many
   * (client, message) pairs are missing (a lower bound while many are).
   */
  missing(published: readonly number[]): number {
    // Cheap first: while fewer first receipts than pairs exist, some are missing for sure.
    if (this.firsts < published.length * this.clients) return published.length * this.clients - this.firsts;
    let missing = 0;
    for (const seen of this.seen) for (const seq of published) if (!seen.has(seq)) missing++;
    return missing;
  }

  /** The figures, once `published` (the acknowledged sequence numbers) is final. */
  summary(published: readonly number[], publishFailures: number): DeliveryStats {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const publishedSet = new Set(published);
    let delivered = 0;
    for (const seen of this.seen) for (const seq of seen) if (publishedSet.has(seq)) delivered++;
    return {
      published: published.length,
      publishFailures,
      delivered,
      lost: published.length * this.clients - delivered,
      duplicated: this.duplicates,
      p50Ms: quantile(sorted, 0.5),
      p95Ms: quantile(sorted, 0.95),
      p99Ms: quantile(sorted, 0.99),
    };
  }
}
