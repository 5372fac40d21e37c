/** Training progress on stderr and the JSONL metrics log. */
export { formatProgress, formatDuration, formatCount, type ProgressState } from './format.js';
export { ProgressBar, type ProgressBarOptions, type ProgressStream, type ProgressUpdate } from './progress-bar.js';
export { MetricsLog, readMetricsLog, type MetricsRecord } from './metrics-log.js';
