/**
 * @recur/runtime/internal: helpers shared by Recur's own packages (the trainer's autodiff, the
 * recurrent encoder's contract check). Not part of the stable API: names here may change in any
 * release.
 * @internal
 */
export * from './graph/shape-inference.js';
export * from './graph/value-info.js';
// The session wrapper and provider names both backends share (Node's OrtBackend, @recur/browser's WebBackend).
export { OrtSession } from './backend/ort-session.js';
export { providerCandidates, normalizeProvider } from './backend/provider-candidates.js';
export { userModelRejected } from './backend/user-model-rejected.js';
