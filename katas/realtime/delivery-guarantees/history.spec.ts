import { beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { connectClient, expectProblem, useMongo, type RunningSocketServer } from '../../../harness';
import { indexesBuilt, offsets, range, send, startChatNode, withMongoGone, type WireMessage } from './chat-fixture';

const mongo = useMongo();
beforeAll(indexesBuilt);

interface HistoryPage {
  messages: WireMessage[];
  next: string | null;
}

async function seed(node: RunningSocketServer, room: string, from: number, to: number): Promise<void> {
  const producer = await connectClient(node);
  for (let i = from; i <= to; i++) await send(producer, room, `message ${i}`);
}

async function page(node: RunningSocketServer, room: string, query: Record<string, string> = {}): Promise<HistoryPage> {
  const res = await request(node.url).get(`/rooms/${room}/history`).query(query).expect(200);
  return res.body as HistoryPage;
}

describe('5. Page through history', () => {
  it('pages newest first with an opaque cursor until next is null', async () => {
    const node = await startChatNode();
    await seed(node, 'lobby', 1, 45);

    const first = await page(node, 'lobby', { limit: '20' });
    const second = await page(node, 'lobby', { limit: '20', cursor: first.next! });
    const third = await page(node, 'lobby', { limit: '20', cursor: second.next! });

    expect(offsets(first.messages)).toEqual(range(26, 45).reverse());
    expect(offsets(second.messages)).toEqual(range(6, 25).reverse());
    expect(offsets(third.messages)).toEqual(range(1, 5).reverse());
    expect(third.next).toBeNull();
    expect(first.next).toEqual(expect.any(String));
    expect(first.next).not.toMatch(/^\d+$/);
  });

  it('answers 20 messages by default, and next: null when one page holds everything', async () => {
    const node = await startChatNode();
    await seed(node, 'lobby', 1, 21);

    const first = await page(node, 'lobby');
    const exact = await page(node, 'lobby', { limit: '21' });

    expect(offsets(first.messages)).toEqual(range(2, 21).reverse());
    expect(first.next).not.toBeNull();
    expect(exact.messages).toHaveLength(21);
    expect(exact.next).toBeNull();
  });

  it('neither repeats nor skips a message when new ones arrive between two pages', async () => {
    const node = await startChatNode();
    await seed(node, 'lobby', 1, 10);

    const first = await page(node, 'lobby', { limit: '4' });
    await seed(node, 'lobby', 11, 15);
    const second = await page(node, 'lobby', { limit: '4', cursor: first.next! });

    expect(offsets(first.messages)).toEqual([10, 9, 8, 7]);
    expect(offsets(second.messages)).toEqual([6, 5, 4, 3]);
  });

  it('answers an empty page for a room without messages', async () => {
    const node = await startChatNode();

    expect(await page(node, 'empty')).toEqual({ messages: [], next: null });
  });

  describe('when the cursor or limit is not one this API issued', () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    it.each<[string, { cursor?: string; limit?: string }]>([
      ['garbage', { cursor: 'not a cursor!' }],
      ['base64 of something else', { cursor: Buffer.from('hello').toString('base64url') }],
      ['a cursor with a negative offset', { cursor: b64({ r: 'lobby', b: -5 }) }],
      ['a cursor with a string offset', { cursor: b64({ r: 'lobby', b: '5' }) }],
      ['a cursor of another room', { cursor: 'ROOM:kitchen' }],
      ['limit=0', { limit: '0' }],
      ['limit=101', { limit: '101' }],
      ['limit=ten', { limit: 'ten' }],
    ])('answers %s with a 400 validation.failed problem', async (_case, query) => {
      const node = await startChatNode();
      await seed(node, 'kitchen', 1, 3);
      const fromKitchen = await page(node, 'kitchen', { limit: '1' });
      const resolved = query.cursor === 'ROOM:kitchen' ? { cursor: fromKitchen.next! } : query;

      const res = await request(node.url).get('/rooms/lobby/history').query(resolved);

      expectProblem(res, 400, 'validation.failed');
    });

    it('answers a repeated cursor parameter with a 400 validation.failed problem', async () => {
      const node = await startChatNode();

      const res = await request(node.url).get('/rooms/lobby/history?cursor=a&cursor=b');

      expectProblem(res, 400, 'validation.failed');
    });
  });

  it('answers 503 store.unavailable, not 500, while MongoDB is gone', async () => {
    const node = await startChatNode();

    let res: request.Response | undefined;
    await withMongoGone(mongo.uri, async () => {
      res = await request(node.url).get('/rooms/lobby/history');
    });

    expectProblem(res!, 503, 'store.unavailable');
  });
});
