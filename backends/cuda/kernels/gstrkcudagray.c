/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkgray on CUDA: the host side of kernels/gstrkcudagray.cu */

#include "gstrkcudakernel.h"
#include "gstrkcudagray-fatbin.h"
#include "gstrkerrorprivate.h"
#include "gstrkframe.h"

static gsize
gray_output_size (const GstRkParams * p, gsize in_size)
{
  return p->out_size;
}

/* The CPU reference's checks, with its messages, plus the alignment the
 * device code relies on (GStreamer's default layouts have it). */
static gboolean
gray_validate (const GstRkConfig * config, const GstRkParams * p,
    gsize in_size, GError ** error)
{
  gboolean planar = p->in_format == RK_FORMAT_NV12 ||
      p->in_format == RK_FORMAT_I420;

  if (p->out_format != RK_FORMAT_GRAY8) {
    gst_rk_error_not_negotiated (error, "gray");
    return FALSE;
  }
  if (!gst_rk_frame_check_input (p, in_size, error))
    return FALSE;
  if (p->out_stride[0] % 4 != 0 || (!planar && (p->in_stride[0] % 4 != 0 ||
              p->in_offset[0] % 4 != 0))) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "rkgray on CUDA needs rows aligned to 4 bytes (input stride %u, "
        "output stride %u)", p->in_stride[0], p->out_stride[0]);
    return FALSE;
  }
  return TRUE;
}

const GstRkCudaKernel gst_rk_cuda_kernel_gray = {
  .name = "gray",
  .image = gst_rk_cuda_gray_fatbin,
  .output_size = gray_output_size,
  .validate = gray_validate,
};
