import type { Container } from 'inversify';
import type { FileHost } from '../files/file-host.js';
import type { Backend } from '../backend/backend.js';
import type { Logger } from '../logger.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { WeightStore } from '../safetensors/weight-store.js';

/** Load-time options of `load()`. Call-time options go to `run()`. */
export interface LoadOptions {
  /** The plugins parts are resolved from; the runtime itself knows none by name. */
  readonly registry: PluginRegistry;
  /**
   * Plugin modules a spec may import (its `plugins` list). Importing code is a trust decision, so
   * nothing is imported unless listed here, by the exact string the spec uses; `true` allows all.
   * @defaultValue `[]`
   */
  readonly allowPlugins?: readonly string[] | true;
  /** Extra folders that file references may point into, besides the spec's own folder tree. */
  readonly allowRoots?: readonly string[];
  /** `--set`-style overrides applied before validation (`encoder.hidden=512`). */
  readonly overrides?: readonly string[];
  /** Folder relative paths resolve against when the spec is given as an object. @defaultValue `process.cwd()` */
  readonly baseDir?: string;
  /** Shared session cache; one is made (and disposed with the pipeline) when omitted. */
  readonly backend?: Backend;
  /**
   * Create fresh weights from the parts' initialisers, seeded, instead of reading the weights file
   * (for `recur init` and training from scratch); the weights file need not exist.
   */
  readonly initialize?: { readonly seed: number };
  /**
   * Weights to use instead of reading the spec's weights file (the trainer evaluates its current
   * parameters this way, through the same inference graphs that ship).
   */
  readonly weights?: WeightStore;
  /** @defaultValue warnings to stderr */
  readonly logger?: Logger;
  /**
   * Refuse weights whose recorded spec or tokenizer differs from the ones loaded
   * (RECUR_E_WEIGHTS_PROVENANCE) instead of warning, as `runtime.provenance: "error"` does.
   * @defaultValue false (the spec's `runtime.provenance`, itself `"warn"` by default)
   */
  readonly strictProvenance?: boolean;
  /**
   * Where the spec and the files it names are read from. @defaultValue the Node file host (paths,
   * regular files only, weights kept on disk)
   */
  readonly fileHost?: FileHost;
  /**
   * Called with this pipeline's container after its services are bound and before anything is read
   * or any part is built: rebind a service by its token to replace it for this pipeline only, and
   * every part receives the replacement.
   *
   * @example
   * load('pipelines/sentiment.json', { registry, services: (c) => c.rebind(TOKENS.logger).toConstantValue(myLogger) })
   */
  readonly services?: (container: Container) => void;
}
