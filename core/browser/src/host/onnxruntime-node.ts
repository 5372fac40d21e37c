/**
 * Stands in for onnxruntime-node in the browser bundle, where the runtime's Node backend (`OrtBackend`)
 * is never created: `load` there always gets the onnxruntime-web backend. Anything that still
 * reaches for the native binding gets a clear error instead of a failed import of a native module.
 */
export { Tensor } from 'onnxruntime-common';

export const InferenceSession = {
  create(): never {
    throw new Error('onnxruntime-node is not available in the browser; use the onnxruntime-web backend');
  },
};

export function listSupportedBackends(): { name: string }[] {
  return [];
}
