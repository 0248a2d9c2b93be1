// Fails when src/api/schema.d.ts differs from what openapi-typescript generates from ../api/openapi.yaml.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'habeas-api-'));
const out = join(dir, 'schema.d.ts');
try {
  execFileSync('npx', ['--no-install', 'openapi-typescript', '../api/openapi.yaml', '-o', out], { stdio: 'pipe' });
  const fresh = readFileSync(out, 'utf8');
  const committed = readFileSync('src/api/schema.d.ts', 'utf8');
  if (fresh !== committed) {
    console.error('src/api/schema.d.ts is stale: run `npm run gen:api` in web/ and commit it.');
    process.exit(1);
  }
  console.log('src/api/schema.d.ts matches api/openapi.yaml');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
