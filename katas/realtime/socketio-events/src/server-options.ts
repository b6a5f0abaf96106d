import type { ServerOptions } from 'socket.io';

/** Options for `new Server()`: what the transport itself refuses, before any handler runs. */
export const chatServerOptions: Partial<ServerOptions> = {
  // TODO: cap the size of one packet (maxHttpBufferSize): Socket.io's default is 1 MB, and our largest
  // legitimate packet is a 64 KiB file plus its envelope.
};
