export type {
  CaseResult,
  CaseStatus,
  ConformanceCase,
  ConformanceEnv,
  ConformanceHandler,
  ConformanceReport,
} from './conformance-contract.js';
export { runConformance, formatResult, summaryLine, type ConformanceOptions } from './run-conformance.js';
export { compareTensors, DEFAULT_TOLERANCE, type Comparison, type Tolerance } from './compare.js';
export { onnxNodeTestHandler, findNodeTests, ONNX_NODE_TEST_KIND } from './onnx-node-tests.js';
export { lowerBatchwiseRecurrent } from './batchwise-recurrent.js';
