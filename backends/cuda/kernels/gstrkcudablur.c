/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkblur on CUDA: the host side of kernels/gstrkcudablur.cu */

#include "gstrkcudakernel.h"
#include "gstrkcudablur.h"
#include "gstrkcudablur-fatbin.h"
#include "gstrkerrorprivate.h"
#include "gstrkframe.h"
#include "gstrkkernellayouts.h"

G_STATIC_ASSERT (sizeof (RkCudaBlurBlob) == sizeof (GstRkBlurBlob));
G_STATIC_ASSERT (RK_CUDA_BLUR_MAX_RADIUS == GST_RK_BLUR_MAX_RADIUS);

static gsize
blur_output_size (const GstRkParams * p, gsize in_size)
{
  return p->out_size;
}

/* The CPU reference's checks, with its messages */
static gboolean
blur_validate (const GstRkConfig * config, const GstRkParams * p,
    gsize in_size, GError ** error)
{
  if (config == NULL || config->blob == NULL ||
      p->in_format == RK_FORMAT_BYTES) {
    gst_rk_error_not_negotiated (error, "blur");
    return FALSE;
  }
  return gst_rk_frame_check_input (p, in_size, error);
}

/* The horizontal pass: 16 bits per byte of the frame's rows */
static gsize
blur_scratch_size (const GstRkConfig * config)
{
  const GstRkParams *p = &config->params;
  gsize bpp = p->in_format == RK_FORMAT_GRAY8 ? 1 : 4;

  return (gsize) p->width * bpp * p->height * sizeof (guint16);
}

const GstRkCudaKernel gst_rk_cuda_kernel_blur = {
  .name = "blur",
  .image = gst_rk_cuda_blur_fatbin,
  .output_size = blur_output_size,
  .validate = blur_validate,
  .phases = 2,
  .scratch_size = blur_scratch_size,
};
