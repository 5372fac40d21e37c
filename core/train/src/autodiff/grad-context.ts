import { GraphBuilder, tensor, type DType, type NodeRecord, type TensorData, type Value } from '@recur/runtime';
import { TrainErrors } from '../errors.js';
import { Scope, typedArrayFor, type InfoDim, type ValueInfo } from '@recur/runtime/internal';

/**
 * What a gradient rule works with: the builder the gradient ops go into, what is known about the forward
 * values, and helpers for the patterns every rule needs (undoing broadcasting, zeros, typed constants).
 */
export class GradContext {
  constructor(
    /** Where gradient nodes are emitted (the training graph, or a reverse Scan body). */
    readonly g: GraphBuilder,
    /** Infos of the forward values the rules read. */
    readonly scope: Scope,
  ) {}

  v(name: string): Value {
    return { name };
  }

  info(name: string): ValueInfo | undefined {
    return this.scope.get(name);
  }

  dtype(name: string): DType {
    return this.info(name)?.dtype ?? 'float32';
  }

  /** The rank of a forward value; a rule that needs it fails with a coded error when it is unknown. */
  rank(name: string, node: NodeRecord): number {
    const dims = this.info(name)?.dims;
    if (!dims)
      throw TrainErrors.GRAPH_UNSUPPORTED(
        `${node.opType} node ${node.name}: the rank of '${name}' is not known statically`,
        { pointer: node.name, expected: 'graph inputs and parameters with declared shapes' },
      );
    return dims.length;
  }

  /** A scalar constant with the element type of `like`. */
  scalar(value: number, like: string): Value {
    return this.g.constant(scalarTensor(this.dtype(like), value), 'scalar');
  }

  shape(name: string): Value {
    const dims = this.info(name)?.dims;
    if (dims && dims.every((d) => typeof d === 'number')) return this.g.ints(dims);
    return this.g.shape(this.v(name));
  }

  /** Zeros of the given shape tensor and element type. */
  zeros(shape: Value, dtype: DType): Value {
    return this.g.op1('ConstantOfShape', [shape], { value: scalarTensor(dtype, 0, [1]) });
  }

  zerosLike(name: string): Value {
    return this.zeros(this.shape(name), this.dtype(name));
  }

  /** `v` reshaped to the shape of the forward value `name`. */
  reshapeLike(v: Value, name: string): Value {
    return this.g.reshape(v, this.shape(name));
  }

  /**
   * Undoes broadcasting: sums `dy` (whose shape is `dyDims`) over the axes along which `x` was
   * broadcast, so the result has `x`'s shape. Decided statically where the dims are known, with Shape
   * ops at run time where they are not.
   */
  sumTo(dy: Value, dyDims: readonly InfoDim[] | undefined, x: string, node: NodeRecord): Value {
    const xDims = this.info(x)?.dims;
    if (!xDims || !dyDims) {
      if (xDims && dyDims === undefined) return this.sumToDynamic(dy, undefined, x, xDims.length, node);
      throw TrainErrors.GRAPH_UNSUPPORTED(
        `${node.opType} node ${node.name}: cannot undo broadcasting of '${x}' without its rank`,
        { pointer: node.name },
      );
    }
    const lead = dyDims.length - xDims.length;
    const axes: number[] = [];
    for (let i = 0; i < lead; i++) axes.push(i);
    for (let i = 0; i < xDims.length; i++) {
      const xd = xDims[i]!;
      const yd = dyDims[lead + i]!;
      if (xd === null) return this.sumToDynamic(dy, dyDims.length, x, xDims.length, node);
      if (xd === 1 && yd !== 1) axes.push(lead + i);
    }
    if (axes.length === 0) return dy;
    const reduced = this.g.reduceSum(dy, axes, true);
    return lead > 0 ? this.reshapeLike(reduced, x) : reduced;
  }

  private sumToDynamic(dy: Value, dyRank: number | undefined, x: string, xRank: number, node: NodeRecord): Value {
    if (dyRank === undefined)
      throw TrainErrors.GRAPH_UNSUPPORTED(
        `${node.opType} node ${node.name}: cannot undo broadcasting without the rank of its output`,
        { pointer: node.name },
      );
    const g = this.g;
    let d = dy;
    if (dyRank > xRank)
      d = g.reduceSum(
        d,
        Array.from({ length: dyRank - xRank }, (_, i) => i),
        false,
      );
    const differs = g.not(g.equal(g.shape(this.v(x)), g.shape(d)));
    const axes = g.reshape(g.op1('NonZero', [differs]), [-1]);
    return g.op1('ReduceSum', [d, axes], { keepdims: 1, noop_with_empty_axes: 1 });
  }
}

export function scalarTensor(dtype: DType, value: number, dims: readonly number[] = []): TensorData {
  const Ctor = typedArrayFor(dtype);
  const data = new Ctor(1);
  if (dtype === 'int64') (data as BigInt64Array)[0] = BigInt(value);
  else (data as Float32Array)[0] = value;
  return tensor(dtype, dims, data);
}
