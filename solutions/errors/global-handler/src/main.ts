import mongoose from 'mongoose';
import { createApp } from './app';
import { serve } from './server';

/** The production entry point: `tsx src/main.ts` with MONGO_URL and JWT_SECRET set. */
async function main(): Promise<void> {
  await mongoose.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/users');
  const server = serve(createApp({ jwtSecret: process.env.JWT_SECRET }), { port: Number(process.env.PORT ?? 3000) });
  server.on('listening', () => console.log('listening', server.address()));
}

if (require.main === module) void main();
