// The float64 gradient check lives in @recur/train so that plugin authors use the same one.
export { gradCheck, randoms, randomInput as t, type TensorSpec, type GradCheckOptions } from '@recur/train';
