import type { ServiceIdentifier } from 'inversify';
import type { PluginDefinition } from './plugin-api.js';
import type { Backend } from '../backend/backend.js';
import type { Logger } from '../logger.js';

/** Service identifiers of the root container; typed symbols kept in one place. */
export const TOKENS = {
  /** Every registered plugin definition, bound by kind and named by versioned type. */
  plugin: Symbol.for('recur.plugin') as ServiceIdentifier<PluginDefinition>,
  backend: Symbol.for('recur.backend') as ServiceIdentifier<Backend>,
  logger: Symbol.for('recur.logger') as ServiceIdentifier<Logger>,
} as const;
