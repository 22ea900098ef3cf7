/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkbgsub on CUDA: the host side of kernels/gstrkcudabgsub.cu */

#include "gstrkcudakernel.h"
#include "gstrkcudabgsub.h"
#include "gstrkcudabgsub-fatbin.h"
#include "gstrkerrorprivate.h"
#include "gstrkframe.h"
#include "gstrkkernellayouts.h"

G_STATIC_ASSERT (sizeof (RkCudaBgsubBlob) == sizeof (GstRkBgsubBlob));
G_STATIC_ASSERT (sizeof (RkCudaBgsubState) == sizeof (GstRkBgsubState));
G_STATIC_ASSERT (sizeof (RkCudaMotionEvent) == sizeof (GstRkMotionEvent));

static gsize
bgsub_output_size (const GstRkParams * p, gsize in_size)
{
  return p->out_size;
}

/* The CPU reference's checks, with its messages */
static gboolean
bgsub_validate (const GstRkConfig * config, const GstRkParams * p,
    gsize in_size, GError ** error)
{
  if (config == NULL || config->blob == NULL ||
      p->out_format != RK_FORMAT_GRAY8 ||
      config->state_size < sizeof (GstRkBgsubState) +
      (gsize) p->width * p->height * 2) {
    gst_rk_error_not_negotiated (error, "bgsub");
    return FALSE;
  }
  return gst_rk_frame_check_input (p, in_size, error);
}

/* At most one motion crossing per frame */
static gsize
bgsub_extra_size (const GstRkConfig * config, gsize in_size)
{
  return rk_cuda_output_record_size (sizeof (GstRkMotionEvent));
}

const GstRkCudaKernel gst_rk_cuda_kernel_bgsub = {
  .name = "bgsub",
  .image = gst_rk_cuda_bgsub_fatbin,
  .output_size = bgsub_output_size,
  .validate = bgsub_validate,
  .phases = 2,
  .extra_size = bgsub_extra_size,
};
