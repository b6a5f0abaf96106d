/**
 * Authors: records the git blob id of every starter file in
 * harness/cli/starter-manifest.json. Run after changing any `katas/<phase>/<kata>/src`
 * file, and commit the manifest with the change:
 *
 *   npx tsx harness/cli/write-starter-manifest.ts          # write
 *   npx tsx harness/cli/write-starter-manifest.ts --check  # exit 1 when stale
 */
import fs from 'node:fs';
import { projectRoot } from '../config';
import { currentManifest, manifestPath, staleManifestEntries } from './starters';

if (process.argv.includes('--check')) {
  const stale = staleManifestEntries(projectRoot);
  if (stale.length > 0) {
    console.error(`Starter manifest is stale for:\n  ${stale.join('\n  ')}\nRun \`npx tsx harness/cli/write-starter-manifest.ts\` and commit it.`);
    process.exit(1);
  }
  console.log('Starter manifest matches every starter file.');
} else {
  const manifest = currentManifest(projectRoot);
  fs.writeFileSync(manifestPath(projectRoot), JSON.stringify(manifest, null, 2) + '\n');
  const count = Object.values(manifest).reduce((sum, files) => sum + Object.keys(files).length, 0);
  console.log(`Wrote ${manifestPath(projectRoot)}: ${count} starter files in ${Object.keys(manifest).length} katas.`);
}
