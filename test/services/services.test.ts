import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findBinary } from './find-binary.js';
import { RedisService } from './redis-service.js';
import { launchChromium } from './chromium.js';

describe('test services', function () {
  this.timeout(60000);

  it('npm run test:setup is silent and succeeds when redis-server, nginx and chromium are installed', () => {
    const r = spawnSync(process.execPath, ['scripts/test-setup.mjs'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout + r.stderr, '');
  });

  it('a missing service binary fails with the command that installs it', () => {
    assert.throws(
      () => findBinary('nginx', []),
      /nginx is not installed[\s\S]*npm run test:setup[\s\S]*sudo apt-get install nginx/,
    );
  });

  it('Redis keeps its data across a restart (append-only file) and leaves nothing behind', async () => {
    const redis = await RedisService.start();
    try {
      assert.equal(await redis.command('SET', 'recur-test', 'kept'), '+OK');
      await redis.restart();
      assert.equal(await redis.command('EXISTS', 'recur-test'), ':1');
    } finally {
      await redis.stop();
    }
    assert.equal(existsSync(redis.dir), false);
  });

  it('Debian chromium starts headless and renders a page', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent('<p id="x">rendered</p><script>document.getElementById("x").dataset.ran = "yes"</script>');
      assert.equal(await page.textContent('#x'), 'rendered');
      assert.equal(await page.getAttribute('#x', 'data-ran'), 'yes');
    } finally {
      await browser.close();
    }
  });
});
