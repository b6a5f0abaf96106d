import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { learnerFolder } from '../catalog';
import { allKatas, filesUnder, type KataRef } from './project';

/**
 * Where the shipped starter of each kata comes from, without trusting the
 * learner's working tree or their git history (see harness/cli/README.md).
 *
 * The manifest (`harness/cli/starter-manifest.json`, written by authors) maps
 * every starter file to its git blob id: the SHA-1 of `blob <size>\0<bytes>`.
 * Content is then looked up by id, which names exactly the shipped bytes:
 *   1. `.kata/starters/<id>`: a copy taken while the file still matched;
 *   2. `git cat-file blob <id>`: any clone of the dojo holds that object,
 *      whatever the learner committed on top of it.
 */
export type StarterManifest = Record<string, Record<string, string>>;

export function manifestPath(cwd: string): string {
  return path.join(cwd, 'harness', 'cli', 'starter-manifest.json');
}

export function readManifest(cwd: string): StarterManifest {
  try {
    return JSON.parse(fs.readFileSync(manifestPath(cwd), 'utf8')) as StarterManifest;
  } catch {
    return {};
  }
}

/** Git's id for a blob with these bytes (what `git hash-object` prints). */
export function blobId(bytes: Buffer): string {
  return crypto.createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function cacheDir(cwd: string): string {
  return path.join(cwd, '.kata', 'starters');
}

/** The manifest as the starters are now on disk: what authors commit. */
export function currentManifest(cwd: string): StarterManifest {
  const manifest: StarterManifest = {};
  for (const kata of allKatas(cwd)) {
    const files: Record<string, string> = {};
    // src/, or tests/ in a testing kata: whatever the learner edits.
    const folder = learnerFolder(kata.id);
    for (const file of filesUnder(path.join(kata.dir, folder))) {
      files[`${folder}/${file}`] = blobId(fs.readFileSync(path.join(kata.dir, folder, file)));
    }
    manifest[kata.id] = files;
  }
  return manifest;
}

/**
 * Copies every starter file that still matches the manifest into
 * `.kata/starters/` (keyed by blob id), so reset works later even without git.
 * Cheap: hashes a few small files. Run by setup and by every `kata` command.
 */
export function rememberStarters(cwd: string, manifest = readManifest(cwd)): number {
  let copied = 0;
  for (const [kataId, files] of Object.entries(manifest)) {
    for (const [file, id] of Object.entries(files)) {
      const cached = path.join(cacheDir(cwd), id);
      if (fs.existsSync(cached)) continue;
      const source = path.join(cwd, 'katas', ...kataId.split('/'), ...file.split('/'));
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(source);
      } catch {
        continue;
      }
      if (blobId(bytes) !== id) continue;
      fs.mkdirSync(cacheDir(cwd), { recursive: true });
      fs.writeFileSync(cached, bytes);
      copied += 1;
    }
  }
  return copied;
}

/** Is `cwd` the top of its own git work tree? (A fixture inside another repo is not.) */
function ownGitRepo(cwd: string): boolean {
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    return fs.realpathSync(top) === fs.realpathSync(cwd);
  } catch {
    return false;
  }
}

/** The shipped bytes of one starter file, or undefined when neither source has them. */
export function starterBytes(cwd: string, id: string, git = ownGitRepo(cwd)): Buffer | undefined {
  const cached = path.join(cacheDir(cwd), id);
  if (fs.existsSync(cached)) {
    const bytes = fs.readFileSync(cached);
    if (blobId(bytes) === id) return bytes;
  }
  if (!git) return undefined;
  try {
    const bytes = execFileSync('git', ['cat-file', 'blob', id], { cwd, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
    return blobId(bytes) === id ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** Starter files that differ from the manifest (for an author check before committing). */
export function staleManifestEntries(cwd: string): string[] {
  const recorded = readManifest(cwd);
  const current = currentManifest(cwd);
  const stale: string[] = [];
  for (const kata of new Set([...Object.keys(recorded), ...Object.keys(current)])) {
    const a = recorded[kata] ?? {};
    const b = current[kata] ?? {};
    for (const file of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (a[file] !== b[file]) stale.push(`${kata}/${file}`);
    }
  }
  return stale.sort();
}

export type { KataRef };
