/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rksobel on CUDA: the host side of kernels/gstrkcudasobel.cu */

#include "gstrkcudakernel.h"
#include "gstrkcudasobel-fatbin.h"
#include "gstrkerrorprivate.h"
#include "gstrkframe.h"

static gsize
sobel_output_size (const GstRkParams * p, gsize in_size)
{
  return p->out_size;
}

/* The CPU reference's checks, with its messages */
static gboolean
sobel_validate (const GstRkConfig * config, const GstRkParams * p,
    gsize in_size, GError ** error)
{
  if (p->out_format != RK_FORMAT_GRAY8) {
    gst_rk_error_not_negotiated (error, "sobel");
    return FALSE;
  }
  return gst_rk_frame_check_input (p, in_size, error);
}

const GstRkCudaKernel gst_rk_cuda_kernel_sobel = {
  .name = "sobel",
  .image = gst_rk_cuda_sobel_fatbin,
  .output_size = sobel_output_size,
  .validate = sobel_validate,
};
