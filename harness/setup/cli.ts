import { stylerFor } from '../output/style';
import { runSetup, type SetupResult } from './setup';

/**
 * `npm run setup` (also npm install's postinstall). Never fails the install:
 * a missing piece is reported with the next step and surfaces again, clearly,
 * in the spec that needs it.
 */
async function main(): Promise<void> {
  const style = stylerFor(process.stdout);
  const recheck = process.argv.includes('--recheck');
  try {
    const result = await runSetup({ recheck, say: (line) => console.log(style.dim(`  ${line}`)) });
    console.log(report(result, style));
  } catch (error) {
    console.log(style.yellow(`Setup could not finish: ${error instanceof Error ? error.message : String(error)}`));
    console.log('Fix the above, then run `npm run setup`.');
  }
}

function report(result: SetupResult, style: ReturnType<typeof stylerFor>): string {
  const redis = result.redis
    ? `${result.redis.binary} ${result.redis.version} (${result.redis.source})`
    : style.yellow(
        'not found: install redis-server (apt-get install redis-server / brew install redis) or set REDISMS_SYSTEM_BINARY, then `npm run setup`',
      );
  const engines = {
    external: 'your MongoDB at MONGO_URL',
    mongod: `real mongod (${result.mongo.mongodBinary ?? 'mongodb-memory-server'})`,
    embedded: 'embedded engine (harness/mongo)',
  } as const;
  return [
    style.bold('Kata dojo environment'),
    `  Node     ${result.node}`,
    `  Redis    ${redis}`,
    ...Object.entries(result.browsers).map(
      ([engine, found]) =>
        `  ${engine.padEnd(8)} ${found.ready ? found.detail : style.yellow(`${found.detail}: its browser specs fail until you run ${found.install}`)}`,
    ),
    `  MongoDB  ${engines[result.mongo.engine]}: ${result.mongo.reason}${result.mongoReused ? ' (recorded earlier)' : ''}`,
    style.dim('           change it: MONGO_URL=mongodb://… (your own server), KATA_MONGO=embedded|mongod,'),
    style.dim('           or `npm run setup -- --recheck` to look for a mongod again'),
    style.dim(`  ready in ${result.elapsedMs} ms`),
  ].join('\n');
}

void main();
