import http from 'node:http';
import mongoose from 'mongoose';
import { Server } from 'socket.io';
import { createChat } from './chat';

/** Runs the chat on its own: `npx tsx katas/realtime/delivery-guarantees/src/main.ts` (MONGO_URL, PORT). */
async function main(): Promise<void> {
  await mongoose.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/chat');
  const chat = createChat();
  const server = http.createServer(chat.app);
  chat.register(new Server(server, { maxHttpBufferSize: 64_000 }));
  const port = Number(process.env.PORT ?? 3000);
  server.listen(port, () => console.log(`chat on http://localhost:${port}`));
}

void main();
