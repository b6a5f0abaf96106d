import net from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { BSON, MongoClient } from 'mongodb';
import { EngineStateError, startEmbeddedMongo } from './index';

function rawOpMsg(command: BSON.Document, requestId = 1): Buffer {
  const body = BSON.serialize(command);
  const head = Buffer.alloc(21);
  head.writeInt32LE(21 + body.length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(2013, 12);
  return Buffer.concat([head, body]);
}

describe('startEmbeddedMongo', () => {
  it('listens on a free port and reports it in the uri', async () => {
    const mongo = await startEmbeddedMongo();

    expect(mongo.uri).toBe(`mongodb://127.0.0.1:${mongo.port}/`);
    expect(mongo.port).toBeGreaterThan(0);
    await mongo.stop();
  });

  it('treats a second stop() as harmless and refuses the uri once stopped, naming both states', async () => {
    const mongo = await startEmbeddedMongo();
    await mongo.stop();

    await mongo.stop();

    expect(() => mongo.uri).toThrow(EngineStateError);
    expect(() => mongo.uri).toThrow(/"stopped" but this needs it to be "running"/);
  });

  it('closes client sockets on stop so nothing keeps the process alive', async () => {
    const mongo = await startEmbeddedMongo();
    const client = await MongoClient.connect(mongo.uri, { serverSelectionTimeoutMS: 500 });
    await client.db('x').collection('y').insertOne({ a: 1 });

    await mongo.stop();

    await expect(client.db('x').collection('y').findOne({}, { timeoutMS: 1000 })).rejects.toThrow();
    await client.close();
  });

  it('applies a write whose client disconnects before reading the reply', async () => {
    const mongo = await startEmbeddedMongo();
    const socket = net.connect(mongo.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));

    // Send, half-close and walk away without ever reading the reply.
    socket.end(rawOpMsg({ insert: 'c', documents: [{ _id: 1 }], $db: 'gone' }));
    socket.resume();
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const client = await MongoClient.connect(mongo.uri);

    expect(await client.db('gone').collection('c').countDocuments()).toBe(1);
    await client.close();
    await mongo.stop();
  });

  it('drops a connection that sends garbage without going down', async () => {
    const mongo = await startEmbeddedMongo();
    const socket = net.connect(mongo.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));

    socket.write(Buffer.from([1, 0, 0, 0, 9, 9, 9, 9]));
    socket.resume();
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const client = await MongoClient.connect(mongo.uri);

    expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    await client.close();
    await mongo.stop();
  });
});
