// Layers added for the course's GANs beyond the MLP: ELU, embeddings. Pairs with Native.Layers.cs.
#include "shim.h"

#include <ATen/ops/elu.h>
#include <ATen/ops/embedding.h>

using ganlab::TensorHandle;

GANLAB_EXPORT TensorHandle ganlab_elu(TensorHandle a, double alpha) { GANLAB_TENSOR(at::elu(*a, alpha)) }

// Rows of weight picked by integer indices; the gradient accumulates into the rows that were used.
GANLAB_EXPORT TensorHandle ganlab_embedding(TensorHandle weight, TensorHandle indices) { GANLAB_TENSOR(at::embedding(*weight, *indices)) }
