import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { nginxConfig } from '../services/nginx-service.js';

describe('docs/guides/deploy.md', () => {
  it('shows the nginx configuration the rolling-restart test runs', async () => {
    const guide = await readFile('docs/guides/deploy.md', 'utf8');
    const block = /```nginx\n([\s\S]*?)```/.exec(guide);
    assert.ok(block, 'the guide has an nginx block');
    assert.equal(block[1], nginxConfig(8080, [8081, 8082, 8083], '/var/lib/recur-nginx'));
  });
});
