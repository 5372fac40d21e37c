/** @recur/train: reverse-mode autodiff over the graph builder, ONNX training graphs, optimizers. */
export { TrainErrors } from './errors.js';
export { addGradients, type Gradients } from './autodiff/gradients.js';
export { backprop, type BackpropRequest } from './autodiff/backprop.js';
export { differentiableOps } from './autodiff/rules/index.js';
export { inferGraph } from './autodiff/shape-inference.js';
export { Scope, type ValueInfo, type InfoDim } from './autodiff/value-info.js';
