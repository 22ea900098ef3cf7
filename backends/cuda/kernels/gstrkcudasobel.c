/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rksobel on CUDA: the host side of kernels/gstrkcudasobel.cu */

#include "gstrkcudakernel.h"
#include "gstrkcudasobel-fatbin.h"
#include "gstrkerror.h"
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
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "rksobel received a buffer before its caps were negotiated");
    return FALSE;
  }
  if (in_size < p->in_size) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "buffer of %" G_GSIZE_FORMAT " bytes is smaller than a %ux%u %s "
        "frame (%u bytes)", in_size, p->width, p->height,
        gst_rk_format_to_string (p->in_format), p->in_size);
    return FALSE;
  }
  return TRUE;
}

const GstRkCudaKernel gst_rk_cuda_kernel_sobel = {
  .name = "sobel",
  .image = gst_rk_cuda_sobel_fatbin,
  .output_size = sobel_output_size,
  .validate = sobel_validate,
};
