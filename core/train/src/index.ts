/** @recur/train: reverse-mode autodiff over the graph builder, ONNX training graphs, optimizers. */
export {};
