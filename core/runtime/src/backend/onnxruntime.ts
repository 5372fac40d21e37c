/**
 * onnxruntime-node, loaded with its telemetry off (see `telemetry-off.ts`). Every Recur module, test
 * and benchmark imports ONNX Runtime from here (`@recur/runtime/onnxruntime` outside this package),
 * never from 'onnxruntime-node' directly, so no entry point can load it with telemetry on.
 */
import './telemetry-off.js';

export * from 'onnxruntime-node';
