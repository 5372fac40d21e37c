import { E } from '../errors/runtime-errors.js';
import { decodeModel } from '../graph/onnx-proto.js';
import type { ComputeUnit } from '../plugins/task-contract.js';
import type { Backend, Session } from './backend.js';

/**
 * A backend that creates no ONNX Runtime session: a pipeline loaded with it builds every part and
 * compiles every unit (tokenizers read, weights' headers and shapes checked against the spec, user
 * ONNX files decoded and linked) without running anything. `recur validate` uses it to check the
 * structure of a spec's files. Its sessions know their units' input and output names; running one
 * is a fault in the caller.
 */
export class StructureOnlyBackend implements Backend {
  session(unit: ComputeUnit): Promise<Session> {
    // The executor turns decodeModel's coded error into a rejection, as a real backend's session() gives.
    return new Promise((resolve) => {
      resolve(structureSession(unit));
    });
  }

  async dispose(): Promise<void> {}
}

/** A session that knows the unit's inputs and outputs and refuses to run. */
function structureSession(unit: ComputeUnit): Session {
  const graph = decodeModel(unit.model, `unit "${unit.name}"`).graph;
  const initializers = new Set(graph.initializer.map((t) => t.name));
  return {
    inputNames: graph.input.map((i) => i.name).filter((n) => !initializers.has(n)),
    outputNames: graph.output.map((o) => o.name),
    executionProviders: [],
    run: () =>
      Promise.reject(
        E.INTERNAL(`unit "${unit.name}" was loaded only to check its structure and cannot run`, {
          pointer: unit.name,
        }),
      ),
    release: () => Promise.resolve(),
  };
}
