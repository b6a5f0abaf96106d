import { createAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import type Redis from 'ioredis';

/** Makes a new ioredis connection to the shared Redis (each call, its own connection). */
export type RedisConnector = () => Redis;

/**
 * The Redis adapter over pub/sub: a broadcast on one node is published once and
 * every node delivers it to its own sockets. It needs two connections because
 * a connection that has subscribed can do nothing else.
 */
export function pubSubAdapter(connect: RedisConnector) {
  return createAdapter(connect(), connect());
}

/**
 * The adapter over a Redis stream: packets are appended to a stream that
 * every node reads, so a node can replay what a client missed even when the
 * client was connected to another node, which is what connection state
 * recovery across nodes needs. One connection, blocked in XREAD.
 */
export function streamsAdapter(connect: RedisConnector) {
  return createStreamsAdapter(connect());
}
