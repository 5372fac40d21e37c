/**
 * @recur/cli/internal: pieces of the distributed commands that tests (and sibling packages) use
 * directly. Not part of the documented API; it may change without notice.
 */
export { parseQueueUrl, connectionOptions, type QueueAddress } from './queue/queue-url.js';
export { encodeError, decodeError, runQueueName, type ChunkJobData } from './queue/chunk-job.js';
export { pipelineFingerprint, fingerprintDifferences, type PipelineFingerprint } from './queue/fingerprint.js';
export { ResumeFiles, type ResumeState } from './queue/resume-state.js';
export { sweepSettings, describeSetting, type Setting } from './sweep/grid.js';
export { rank, renderLeaderboard, type TrialOutcome } from './sweep/leaderboard.js';
export { QueueErrors } from './errors.js';
export { ERROR_TABLES } from './error-tables.js';
