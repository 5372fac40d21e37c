import type { RecurError } from '../errors/recur-error.js';
import { E } from '../errors/runtime-errors.js';
import type { ComputeUnit } from '../plugins/task-contract.js';

/** RECUR_E_ONNX_REJECTED: ONNX Runtime refused a unit that holds a user's ONNX file(s). */
export function userModelRejected(
  unit: Pick<ComputeUnit, 'name' | 'userModels'>,
  what: string,
  cause: unknown,
): RecurError {
  const files = unit.userModels ?? [];
  return E.ONNX_REJECTED(
    `ONNX Runtime refused the model from ${files.join(', ')} (unit "${unit.name}"): ${what}. Check the model with the tool that exported it (onnx.checker, onnxruntime) or re-export it`,
    {
      file: files[0],
      pointer: unit.name,
      expected: 'a model ONNX Runtime accepts',
    },
    { cause },
  );
}
