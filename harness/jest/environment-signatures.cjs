// @ts-check
/**
 * How the harness's environment failures read in a Jest failure message: a
 * missing or unreachable service, a bad setting. The codes are the harness's
 * own (harness/setup, harness/db, harness/config); MongoServerSelectionError is
 * what the driver says when a server does not answer. Shared by watch mode
 * (harness/cli/environment-problem.ts) and the calm reporter, so both call the
 * same failures "environment" and give the same fix.
 * Plain CommonJS because Jest loads reporters without a transform.
 */

/** @type {Array<{ code: string, test: RegExp, summary: string, fix: string }>} */
const environmentSignatures = [
  {
    code: 'KATA_REDIS_BINARY_INVALID',
    test: /KATA_REDIS_BINARY_INVALID|REDISMS_SYSTEM_BINARY="[^"]*" is not a redis-server/,
    summary: 'REDISMS_SYSTEM_BINARY names a redis-server that cannot run.',
    fix: 'point REDISMS_SYSTEM_BINARY at a working redis-server (`which redis-server`), or unset it to use the one `npm run setup` recorded.',
  },
  {
    code: 'KATA_REDIS_MISSING',
    test: /KATA_REDIS_MISSING|No redis-server binary is usable|RedisBinaryMissingError/,
    summary: 'no usable redis-server, so the specs that need Redis cannot start it.',
    fix: 'install Redis (Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`) or set REDISMS_SYSTEM_BINARY to a redis-server, then run `npm run setup`.',
  },
  {
    code: 'KATA_MONGO_UNREACHABLE',
    test: /KATA_MONGO_UNREACHABLE|MongoUnreachableError|MongoServerSelectionError/,
    summary: 'the MongoDB server at MONGO_URL does not answer.',
    fix: 'start that server (or correct MONGO_URL), or unset MONGO_URL to use the embedded engine.',
  },
  {
    code: 'KATA_MONGO_UNAVAILABLE',
    test: /KATA_MONGO=mongod but no mongod/,
    summary: 'KATA_MONGO=mongod asks for a real mongod and none is installed.',
    fix: 'run `npm run setup` online to download one, or unset KATA_MONGO to use the embedded engine.',
  },
  {
    code: 'KATA_CONFIG_INVALID',
    test: /KATA_CONFIG_INVALID|KATA_[A-Z_]+="[^"]*" is not valid/,
    summary: 'a KATA_* setting holds a value the harness cannot use.',
    fix: 'correct or unset the variable named in the message.',
  },
];

/** @param {string} text */
function environmentSignatureIn(text) {
  return environmentSignatures.find((s) => s.test.test(text));
}

module.exports = { environmentSignatures, environmentSignatureIn };
