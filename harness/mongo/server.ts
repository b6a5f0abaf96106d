/**
 * The TCP side: accepts connections, frames messages, decodes them, runs the
 * command and writes the answer (OP_MSG for OP_MSG, OP_REPLY for OP_QUERY).
 * Commands run synchronously to completion once their message is whole, so a
 * client that disconnects mid-command never leaves a half-applied write, and
 * whatever was acknowledged stays. `close()` ends every socket it accepted.
 */
import net from 'node:net';
import type { Document } from 'bson';
import { runCommand, type RouterDeps } from './commands/router';
import { decodeRequest, encodeOpMsg, encodeOpReply, OP_MSG } from './wire/codec';
import { MessageFramer } from './wire/framing';

export class WireServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private nextConnectionId = 1;
  private nextRequestId = 1;

  constructor(private readonly deps: RouterDeps) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
    });
  }

  private accept(socket: net.Socket): void {
    const connectionId = this.nextConnectionId++;
    const framer = new MessageFramer();
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const message of framer.push(chunk)) this.handle(socket, message, connectionId);
      } catch {
        // A frame we cannot parse means we lost sync with the client: drop it, stay up.
        socket.destroy();
      }
    });
    // Clients vanish (ECONNRESET) all the time; that must never take the server down.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private handle(socket: net.Socket, message: Buffer, connectionId: number): void {
    const request = decodeRequest(message);
    const reply: Document = runCommand(this.deps, request.body, connectionId);
    if (request.noReply || socket.destroyed) return;
    const requestId = this.nextRequestId++;
    const bytes =
      request.opCode === OP_MSG
        ? encodeOpMsg(reply, requestId, request.requestId)
        : encodeOpReply(reply, requestId, request.requestId);
    socket.write(bytes);
  }
}
