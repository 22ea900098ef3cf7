/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkecho on CUDA: the host side of kernels/gstrkcudaecho.cu */

#include "gstrkcudakernel.h"
#include "gstrkcudaecho-fatbin.h"

static gsize
echo_output_size (const GstRkParams * params, gsize in_size)
{
  return in_size;
}

const GstRkCudaKernel gst_rk_cuda_kernel_echo = {
  .name = "echo",
  .image = gst_rk_cuda_echo_fatbin,
  .output_size = echo_output_size,
};
