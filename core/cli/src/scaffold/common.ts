/** What every scaffolded plugin package shares: its package.json, README and the test helpers. */
export interface PluginNames {
  /** npm package name (`recur-plugin-minrnn`). */
  readonly pkg: string;
  /** Bare type name (`minrnn`); the plugin declares `<base>.v1`. */
  readonly base: string;
}

/** What sets a scaffolded plugin apart in the opening lines of its index.js. */
export interface PluginHeader {
  /** The plugin kind, also the name of the exported constant. */
  readonly kind: 'cell' | 'embedding' | 'head' | 'tokenizer';
  /** Names imported from @recur/runtime. @defaultValue `"definePlugin"` */
  readonly imports?: string;
  /** Lines between the import and the doc comment (constants the plugin uses). */
  readonly preamble?: string;
  /** The lines of the plugin's doc comment, without the leading ` * `. */
  readonly doc: readonly string[];
  /** The plugin's one-line `description` (no single quotes). */
  readonly description: string;
}

/**
 * The opening every scaffolded plugin's index.js shares: the import line, the doc comment and
 * definePlugin's identity fields (kind, versioned type, description, runtime range), up to `options`.
 */
export function pluginHeader(names: PluginNames, h: PluginHeader): string {
  const preamble = h.preamble === undefined ? '' : `\n${h.preamble}\n`;
  return `import { ${h.imports ?? 'definePlugin'} } from '@recur/runtime';
${preamble}
/**
${h.doc.map((line) => ` * ${line}`).join('\n')}
 */
export const ${h.kind} = definePlugin({
  kind: '${h.kind}',
  type: '${names.base}.v1',
  description: '${h.description}',
  runtime: '^0.1',
`;
}

export function packageJson(names: PluginNames, kind: string): string {
  return (
    JSON.stringify(
      {
        name: names.pkg,
        version: '0.1.0',
        description: `A Recur ${kind} plugin: ${names.base}.v1`,
        type: 'module',
        exports: { '.': './index.js' },
        files: ['index.js'],
        scripts: { test: 'node --test' },
        keywords: ['recur', 'recur-plugin', kind],
        peerDependencies: { '@recur/runtime': '^0.1.0' },
        engines: { node: '>=20.19' },
      },
      null,
      2,
    ) + '\n'
  );
}

export function readme(names: PluginNames, kind: string, specBlock: string): string {
  return `# ${names.pkg}

A Recur ${kind} plugin declaring \`${names.base}.v1\`. Written by \`recur new plugin\`; edit \`index.js\`
and keep \`test/\` passing.

## Depending on Recur

The plugin imports \`@recur/runtime\` only, as a peer dependency: the application that loads it provides
the runtime. Its tests also need \`@recur/recurrent\` and \`@recur/train\`.

- **Before Recur is on a registry**: in a clone of Recur, \`npm pack --workspaces --pack-destination
  ../recur-packs\`, then here \`ONNXRUNTIME_NODE_INSTALL=skip npm install --save-dev ../recur-packs/*.tgz\`
  (or \`file:\` dependencies on the clone's package folders, \`"@recur/runtime": "file:../recur/core/runtime"\`).
- **After**: \`npm install --save-dev @recur/runtime @recur/recurrent @recur/train @recur/cli\`.

Then \`npm test\`.

## Using it

A spec lists the plugin by package name (or a path relative to the spec) and names the ${kind}:

\`\`\`json
{ "plugins": ["${names.pkg}"], ${specBlock} }
\`\`\`

Loading a plugin runs its code, so the caller allows it: \`recur run spec.json --allow-plugin ${names.pkg}\`,
or \`load(spec, { allowPlugins: ['${names.pkg}'] })\`.
`;
}

/** test/helpers.js: seeded values and a tolerance check, shared by the kinds' tests. */
export const TEST_HELPERS = `/** A seeded generator of values in [-1, 1), so that a failure reproduces. */
export function seeded(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

/** A float32 tensor of \`dims\` filled from \`rand\`. */
export function randomTensor(rand, dims, scale = 1) {
  const n = dims.reduce((a, b) => a * b, 1);
  return { dtype: 'float32', dims: [...dims], data: Float32Array.from({ length: n }, () => rand() * scale) };
}

/** Asserts |got - want| <= 1e-5 + 1e-5 |want| element by element, naming the first that differs. */
export function assertClose(assert, got, want, what) {
  assert.equal(got.length, want.length, \`\${what}: length\`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= 1e-5 + 1e-5 * Math.abs(want[i]), \`\${what}[\${i}]: \${got[i]}, expected \${want[i]}\`);
  }
}
`;
