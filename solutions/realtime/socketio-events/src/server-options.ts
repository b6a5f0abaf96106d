import type { ServerOptions } from 'socket.io';

/** Options for `new Server()`: what the transport itself refuses, before any handler runs. */
export const chatServerOptions: Partial<ServerOptions> = {
  // Socket.io's default is 1 MB per message: a client could make every server
  // buffer and parse a megabyte per event. Our largest legitimate packet is a
  // 64 KiB file plus its envelope; anything much bigger is cut off by
  // engine.io (the connection closes) before it reaches a handler.
  maxHttpBufferSize: 100_000,
};
