/**
 * `npm run mongo [-- --port N]`: an embedded MongoDB in the foreground, for poking
 * at with mongosh or Compass. Prints its URI on the first line; Ctrl-C / SIGTERM
 * stop it cleanly (exit 0). Commands throw; only this entry point exits.
 */
import { startEmbeddedMongo } from './index';

function parsePort(argv: string[]): number {
  const at = argv.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
  if (at < 0) return 0;
  const arg = argv[at] as string;
  const raw = arg.includes('=') ? arg.slice('--port='.length) : argv[at + 1];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port needs a number from 0 to 65535, got ${JSON.stringify(raw)}. Try \`npm run mongo -- --port 27017\`.`);
  }
  return port;
}

async function main(): Promise<void> {
  const mongo = await startEmbeddedMongo({ port: parsePort(process.argv.slice(2)) });
  process.stdout.write(`${mongo.uri}\n`);
  process.stderr.write('Embedded MongoDB (harness/mongo) is running; data lives in memory. Ctrl-C stops it.\n');
  const shutdown = (): void => {
    mongo.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Could not stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
