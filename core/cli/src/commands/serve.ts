import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RuntimeErrors as E, type PluginRegistry } from '@recur/runtime';
import { loadConfigFile, startServer, type ConfigFileOptions, type RegistrySource } from '@recur/serve';
import { parse, SPEC_OPTIONS } from '../args.js';
import type { CommandIO } from '../io.js';

export const USAGE =
  'recur serve SPEC... [--host HOST] [--port PORT] [--config FILE] [--registry MODULE[#EXPORT]] [--log-level LEVEL] [--set path=value]... [--allow-plugin MODULE]... [--allow-root DIR]...';

/** The built-in plugins, as the worker threads import them (they cannot receive a registry object). */
const BUILTIN_REGISTRY: RegistrySource = {
  module: new URL('../registry.js', import.meta.url).href,
  export: 'createRegistry',
};

/**
 * `recur serve`: serves the given pipelines over HTTP until SIGTERM or SIGINT, then shuts down
 * gracefully and exits 0. Pipelines run in worker threads that build their registry from the CLI's
 * built-in plugins, or from `--registry ./my-registry.js#createRegistry` (the `registry` argument,
 * an in-process object, cannot cross into a worker).
 */
export async function serveCommand(argv: readonly string[], io: CommandIO, _registry: PluginRegistry): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      ...SPEC_OPTIONS,
      host: { type: 'string' },
      port: { type: 'string' },
      config: { type: 'string' },
      registry: { type: 'string' },
      'log-level': { type: 'string' },
    },
    USAGE,
  );
  const file: ConfigFileOptions = values.config
    ? await loadConfigFile(resolve(io.cwd, values.config))
    : { pipelines: [] };
  const pipelines = [...file.pipelines, ...positionals.map((p) => ({ spec: resolve(io.cwd, p) }))];
  if (pipelines.length === 0)
    throw E.USAGE(`give at least one spec file (or a --config with "pipelines")\nusage: ${USAGE}`, { expected: USAGE });
  const server = await startServer({
    ...file,
    pipelines,
    registry: values.registry ? registrySource(values.registry, io.cwd) : BUILTIN_REGISTRY,
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.port !== undefined ? { port: portNumber(values.port) } : {}),
    ...(values['log-level'] !== undefined ? { logLevel: values['log-level'] } : {}),
    ...(values.set ? { overrides: values.set } : {}),
    allowPlugins: [...(file.allowPlugins ?? []), ...(values['allow-plugin'] ?? [])],
    allowRoots: [...(file.allowRoots ?? []), ...(values['allow-root'] ?? []).map((r) => resolve(io.cwd, r))],
  });
  io.stderr.write(`recur serve: listening on ${server.url}\n`);
  const signal = await new Promise<string>((done) => {
    const on = (name: string) => () => {
      done(name);
    };
    process.once('SIGTERM', on('SIGTERM'));
    process.once('SIGINT', on('SIGINT'));
  });
  io.stderr.write(
    `recur serve: ${signal}: finishing in-flight requests, then stopping (readiness is off at once; new requests are taken for ${server.config.timeouts.drainDelayMs} ms more, timeouts.drainDelayMs)\n`,
  );
  // A second signal skips the rest of the delay.
  const again = () => void server.close();
  process.once('SIGTERM', again);
  process.once('SIGINT', again);
  try {
    await server.drain();
  } finally {
    process.off('SIGTERM', again);
    process.off('SIGINT', again);
  }
  return 0;
}

/** `./my-registry.js#createRegistry` or `my-package#createRegistry` -> a module the workers import. */
function registrySource(text: string, cwd: string): RegistrySource {
  const [mod, name] = text.split('#');
  if (!mod)
    throw E.USAGE(`--registry needs a module: --registry ./my-registry.js#createRegistry`, {
      expected: 'MODULE[#EXPORT]',
    });
  const isPath = mod.startsWith('.') || isAbsolute(mod);
  return { module: isPath ? pathToFileURL(resolve(cwd, mod)).href : mod, export: name || 'createRegistry' };
}

function portNumber(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw E.USAGE(`--port must be an integer from 0 to 65535, got ${text}`, { expected: '0..65535' });
  return port;
}
