import { strict as assert } from 'node:assert';
import { defineErrors, PluginRegistry, RuntimeErrors } from '@recur/runtime';
import { renderErrorReference, renderSpecReference } from '@recur/runtime/internal';
import { ALL_TEST_PLUGINS, testPlugin, testRegistry } from './test-plugins.js';
import { throwsWithCode } from '../../helpers/coded-error.js';

describe('spec reference generator', () => {
  const page = renderSpecReference(testRegistry());

  it('documents every core key with its type, default and description', () => {
    assert.match(page, /^# Spec reference/);
    assert.match(page, /\| `name` \| string of 1 to 128 characters matching .* \| {2}\| yes \| Name of the pipeline/);
    assert.match(page, /\| `runtime\.threads` \| integer >= 0 and <= 1024 \| `0` \| {2}\| Intra-op threads/);
    assert.match(
      page,
      /\| `train\.optimizer\.betas` \| array of \(number >= 0 and < 1\) with exactly 2 items \| `\[0\.9,0\.999\]` \|/,
    );
    assert.match(page, /\| `encoder` \| encoder block \(see Parts: encoder\) \|/);
  });

  it('documents every registered plugin with its names and options', () => {
    for (const plugin of ALL_TEST_PLUGINS.filter((p) => p.kind !== 'task')) {
      assert.ok(page.includes(`#### \`${plugin.type}\``), `no section for ${plugin.type}`);
      assert.ok(page.includes(plugin.description));
    }
    assert.match(page, /Names: `cellx\.v1`\./);
    assert.match(page, /Names: `cellx`, `cellx\.v2`\./);
    assert.match(page, /\| `layers` \| integer >= 1 and <= 16 \| `1` \| {2}\| Stacked layers\. \|/);
    assert.match(page, /\| `cell` \| cell block \(see Parts: cell\) \| {2}\| yes \|/);
  });

  it('documents tasks with their aliases and required keys', () => {
    assert.match(
      page,
      /### `text-classification\.v1`\n\nTest classification task\.\n\nNames: `sentiment-analysis`, `text-classification`, `text-classification\.v1`\.\nRequires: `tokenizer`, `embedding`, `encoder`, `head`\./,
    );
  });

  it('is the same text every time (no drift from ordering)', () => {
    const reversed = new PluginRegistry().register(...[...ALL_TEST_PLUGINS].reverse());
    assert.equal(renderSpecReference(reversed), page);
  });

  it('refuses a plugin option without a description, naming the plugin and the property', () => {
    const undocumented = testPlugin({
      kind: 'head',
      type: 'quiet.v1',
      description: 'A head whose option is undocumented.',
      options: {
        type: 'object',
        properties: { nested: { type: 'object', description: 'ok', properties: { level: { type: 'integer' } } } },
      },
    });
    const registry = new PluginRegistry().register(...ALL_TEST_PLUGINS, undocumented);
    throwsWithCode(() => renderSpecReference(registry), 'RECUR_E_PLUGIN_INVALID', /quiet\.v1/, {
      pointer: '#/properties/nested/properties/level',
    });
  });
});

describe('error reference generator', () => {
  const page = renderErrorReference([RuntimeErrors]);

  it('has one row per runtime error code with package, exit code, HTTP status and description', () => {
    for (const factory of Object.values(RuntimeErrors)) {
      const row = `| \`${factory.code}\` | \`@recur/runtime\` | ${factory.exitCode} | ${factory.httpStatus} | ${factory.description.replace(/\|/g, '\\|')} |`;
      assert.ok(page.includes(row), `missing or different row for ${factory.code}`);
    }
  });

  it('gives usage errors exit code 2 and internal faults 3 / HTTP 500', () => {
    assert.ok(page.includes('| `RECUR_E_SPEC_OVERRIDE` | `@recur/runtime` | 2 | 400 |'));
    assert.ok(page.includes('| `RECUR_E_INTERNAL` | `@recur/runtime` | 3 | 500 |'));
  });

  it('lists only the tables it is given, packages by name whatever their order, and refuses a code declared twice', () => {
    const later = defineErrors('@recur/zz-test', { ONE: { code: 'RECUR_E_ZZ_ONE', description: 'One.' } });
    const earlier = defineErrors('@recur/aa-test', { TWO: { code: 'RECUR_E_AA_TWO', description: 'Two.' } });
    const both = renderErrorReference([later, earlier]);
    assert.ok(both.indexOf('RECUR_E_AA_TWO') < both.indexOf('RECUR_E_ZZ_ONE'), both);
    assert.equal(both.includes('RECUR_E_SPEC_INVALID'), false);
    assert.equal(renderErrorReference([earlier, later]), both);
    const again = defineErrors('@recur/other-test', { ONE: { code: 'RECUR_E_ZZ_ONE', description: 'Again.' } });
    assert.throws(() => renderErrorReference([later, again]), /duplicate error code RECUR_E_ZZ_ONE/);
  });
});
