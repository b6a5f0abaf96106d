import { describe, expect, it } from '@jest/globals';
import { DeliveryTally, readStamp, stampBody } from './tally';

const body = (seq: number, publishedAt = 1_000) => stampBody({ seq, publishedAt });

describe('DeliveryTally', () => {
  it('records a latency per first receipt, on the publish clock', () => {
    const tally = new DeliveryTally(1);
    tally.receive(0, body(1, 1_000), 1_004);
    tally.receive(0, body(2, 1_000), 1_010);
    expect(tally.summary([1, 2], 0)).toMatchObject({ delivered: 2, lost: 0, duplicated: 0, p50Ms: 4, p95Ms: 10, p99Ms: 10 });
  });

  it('counts a second receipt by the same client as a duplicate, not a delivery', () => {
    const tally = new DeliveryTally(2);
    tally.receive(0, body(1), 1_001);
    tally.receive(0, body(1), 1_002);
    tally.receive(1, body(1), 1_003);
    expect(tally.summary([1], 0)).toMatchObject({ delivered: 2, duplicated: 1, lost: 0 });
  });

  it('counts as lost each (client, published message) pair that never arrived', () => {
    const tally = new DeliveryTally(3);
    tally.receive(0, body(1), 1_001);
    tally.receive(0, body(2), 1_001);
    tally.receive(1, body(2), 1_001);
    expect(tally.summary([1, 2], 0)).toMatchObject({ published: 2, delivered: 3, lost: 3 });
  });

  it('does not count a message whose publish failed as lost, nor its receipt as delivered', () => {
    const tally = new DeliveryTally(1);
    tally.receive(0, body(1), 1_001);
    tally.receive(0, body(2), 1_001);
    expect(tally.summary([1], 1)).toMatchObject({ published: 1, publishFailures: 1, delivered: 1, lost: 0 });
  });

  it('says what is missing until every client has every published message', () => {
    const tally = new DeliveryTally(2);
    expect(tally.missing([1, 2])).toBe(4);
    tally.receive(0, body(1), 1_001);
    tally.receive(0, body(2), 1_001);
    tally.receive(1, body(3), 1_001);
    expect(tally.missing([1, 2])).toBeGreaterThan(0);
    tally.receive(1, body(1), 1_001);
    // As many first receipts as pairs, one of them unpublished: only the exact count sees the gap.
    expect(tally.missing([1, 2])).toBe(1);
    tally.receive(1, body(2), 1_001);
    expect(tally.missing([1, 2])).toBe(0);
  });

  it('refuses a body the producer did not stamp', () => {
    const tally = new DeliveryTally(1);
    expect(() => tally.receive(0, 'hello', 1)).toThrow(/did not publish/);
    expect(() => tally.receive(1, body(1), 1)).toThrow(/client 1/);
  });
});

describe('readStamp', () => {
  it('reads back what stampBody wrote, and nothing else', () => {
    expect(readStamp(stampBody({ seq: 7, publishedAt: 12.5 }))).toEqual({ seq: 7, publishedAt: 12.5 });
    expect(readStamp('{"seq":1.5,"t":1}')).toBeUndefined();
    expect(readStamp('{"seq":1}')).toBeUndefined();
    expect(readStamp('not json')).toBeUndefined();
    expect(readStamp(42)).toBeUndefined();
  });
});
