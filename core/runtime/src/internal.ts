/**
 * @recur/runtime/internal: helpers shared by Recur's own packages (the trainer's autodiff, the
 * recurrent encoder's contract check). Not part of the stable API: names here may change in any
 * release.
 * @internal
 */
export * from './graph/shape-inference.js';
export * from './graph/value-info.js';
