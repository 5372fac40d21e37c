import { defineErrors } from '@recur/runtime';

/** The error table of @recur/recurrent. Every code is documented in docs/reference/errors.md. */
export const E = defineErrors('@recur/recurrent', {
  NO_NATIVE: {
    code: 'RECUR_E_RECURRENT_NO_NATIVE',
    description:
      'The encoder asks for `path: "native"` but its cell has no native ONNX operator; use `"scan"` or `"auto"`.',
  },
  INPUT_DIM: {
    code: 'RECUR_E_RECURRENT_INPUT_DIM',
    description:
      'The encoder does not know its input size: put an embedding (or another part that reports its output size) before it.',
  },
  TORCH_MISSING: {
    code: 'RECUR_E_RECURRENT_TORCH_MISSING',
    description:
      'A PyTorch state dict lacks a tensor the recurrent layer needs (`weight_ih_l0`, `bias_hh_l1_reverse`, ...); the error names it and the prefix searched.',
  },
  TORCH_SHAPE: {
    code: 'RECUR_E_RECURRENT_TORCH_SHAPE',
    description:
      'A PyTorch state-dict tensor has another shape than the layer configuration implies; the error names the tensor, its shape and the expected one.',
  },
  TORCH_MISMATCH: {
    code: 'RECUR_E_RECURRENT_TORCH_MISMATCH',
    description:
      "A PyTorch state dict describes another recurrent layer than the spec (or the import configuration) says: another number of layers, directions, hidden size or cell kind, biases where `bias: false` was given, or a `nonlinearity` other than the spec's activation; the error gives both sides.",
  },
  TORCH_UNUSED: {
    code: 'RECUR_E_RECURRENT_TORCH_UNUSED',
    description:
      'A PyTorch import left source tensors unused (outside every `--map` prefix, or not part of the layer mapped there); the error lists them. Map their prefix to a part, or remove them from the state dict.',
  },
  TORCH_UNFILLED: {
    code: 'RECUR_E_RECURRENT_TORCH_UNFILLED',
    description:
      'A PyTorch import left parameters of the spec unfilled (no `--map` names their part); the error lists them and the parts they belong to.',
  },
  TORCH_UNSUPPORTED: {
    code: 'RECUR_E_RECURRENT_TORCH_UNSUPPORTED',
    description: 'The PyTorch module uses a feature Recur does not import (LSTM `proj_size`, an unknown kind).',
  },
  BYOM_IO: {
    code: 'RECUR_E_RECURRENT_BYOM_IO',
    description:
      "An `onnx-file` encoder maps an input or output name the model does not have, or leaves a required model input unmapped; the error lists the model's names.",
  },
  BYOM_UNSUPPORTED: {
    code: 'RECUR_E_RECURRENT_BYOM_UNSUPPORTED',
    description:
      "An `onnx-file` encoder's model cannot be linked into a Recur graph (opset outside 13..17, a custom operator domain, sparse attributes); re-export it, for example with `torch.onnx.export(..., opset_version=17)`.",
  },
});
