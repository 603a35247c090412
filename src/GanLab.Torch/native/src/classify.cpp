// What a classifier needs beyond a GAN's layers: max pooling, softmax and cross-entropy over classes.
// The domain classifiers behind FID and the classifier score use them. Pairs with Native.Classify.cs.
#include "shim.h"

using ganlab::TensorHandle;

GANLAB_EXPORT TensorHandle ganlab_max_pool2d(TensorHandle input, int64_t kernel_size, int64_t stride) {
  GANLAB_TENSOR(at::max_pool2d(*input, {kernel_size, kernel_size}, {stride, stride}))
}
GANLAB_EXPORT TensorHandle ganlab_log_softmax(TensorHandle a, int64_t dim) { GANLAB_TENSOR(at::log_softmax(*a, dim)) }
GANLAB_EXPORT TensorHandle ganlab_softmax(TensorHandle a, int64_t dim) { GANLAB_TENSOR(at::softmax(*a, dim)) }
GANLAB_EXPORT TensorHandle ganlab_argmax(TensorHandle a, int64_t dim) { GANLAB_TENSOR(at::argmax(*a, dim)) }

// logits [N, C], target [N] int64 class indices; reduction: 0 none, 1 mean, 2 sum (at::Reduction's values).
GANLAB_EXPORT TensorHandle ganlab_cross_entropy(TensorHandle logits, TensorHandle target, int reduction) {
  GANLAB_TENSOR(at::cross_entropy_loss(*logits, *target, {}, reduction))
}
