import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decideMongoEngine } from './mongo-engine';
import { locateRedisBinary, RedisBinaryInvalidError } from './redis-binary';

const saved = { ...process.env };
beforeEach(() => {
  delete process.env.MONGO_URL;
  delete process.env.KATA_MONGO;
});
afterEach(() => {
  process.env = { ...saved };
});

describe('decideMongoEngine()', () => {
  it('uses MONGO_URL before anything else', async () => {
    process.env.MONGO_URL = 'mongodb://db.example:27017/';
    process.env.KATA_MONGO = 'embedded';

    expect(await decideMongoEngine({ allowDownload: false })).toMatchObject({ engine: 'external' });
  });

  it('honours KATA_MONGO=embedded without probing for mongod', async () => {
    process.env.KATA_MONGO = 'embedded';

    expect(await decideMongoEngine({ allowDownload: false })).toEqual({ engine: 'embedded', reason: 'KATA_MONGO=embedded' });
  });

  it('never downloads during a test run: without a mongod binary it picks the embedded engine', async () => {
    process.env.MONGOMS_SYSTEM_BINARY = '/nonexistent/mongod';
    process.env.MONGOMS_DOWNLOAD_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kata-no-mongod-'));
    process.env.PATH = '/nonexistent';

    const decision = await decideMongoEngine({ allowDownload: false });

    expect(decision).toEqual({ engine: 'embedded', reason: 'no mongod binary on this machine' });
  });

  it('refuses KATA_MONGO=mongod with no binary instead of falling back silently', async () => {
    process.env.KATA_MONGO = 'mongod';
    process.env.MONGOMS_SYSTEM_BINARY = '/nonexistent/mongod';
    process.env.MONGOMS_DOWNLOAD_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kata-no-mongod-'));
    process.env.PATH = '/nonexistent';

    await expect(decideMongoEngine({ allowDownload: false })).rejects.toThrow(/KATA_MONGO=mongod.*npm run setup/);
  });
});

describe('locateRedisBinary()', () => {
  it('refuses a REDISMS_SYSTEM_BINARY that cannot run, naming it, instead of quietly using the recorded one', async () => {
    const recorded = (await locateRedisBinary())!.binary;
    process.env.REDISMS_SYSTEM_BINARY = '/nonexistent/redis-server';

    await expect(locateRedisBinary(recorded)).rejects.toThrow(RedisBinaryInvalidError);
    await expect(locateRedisBinary(recorded)).rejects.toThrow('REDISMS_SYSTEM_BINARY="/nonexistent/redis-server"');
  });

  it('prefers a working REDISMS_SYSTEM_BINARY over the recorded choice', async () => {
    const working = (await locateRedisBinary())!.binary;
    process.env.REDISMS_SYSTEM_BINARY = working;

    expect(await locateRedisBinary('/recorded/elsewhere/redis-server')).toMatchObject({ binary: working, source: 'REDISMS_SYSTEM_BINARY' });
  });

  it('reports the version of the binary it finds', async () => {
    const found = await locateRedisBinary();

    expect(found?.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
