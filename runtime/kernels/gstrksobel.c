/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rksobel
 * @title: rksobel
 *
 * Sobel gradient magnitude on a ring kernel, integer arithmetic, GRAY8 in
 * and GRAY8 out (default stride; padding bytes 0).
 *
 * The specification every backend follows, with borders clamped (a pixel
 * outside the frame reads the nearest edge pixel) and p(dx, dy) the pixel
 * at (x + dx, y + dy):
 *
 *   gx = p(1,-1) + 2 p(1,0) + p(1,1) - p(-1,-1) - 2 p(-1,0) - p(-1,1)
 *   gy = p(-1,1) + 2 p(0,1) + p(1,1) - p(-1,-1) - 2 p(0,-1) - p(1,-1)
 *   m  = min (255, floor (sqrt (gx² + gy²)))      (an exact integer root)
 *
 * The root: a correctly rounded float square root of gx² + gy² (an
 * integer below 2^22), truncated, is that floor; a root that may be off
 * by an ulp needs a ±1 integer correction after it.
 *
 * With `threshold` t > 0 the output is 255 where m ≥ t and 0 elsewhere
 * (the same as gx² + gy² ≥ t²); with t = 0 it is m.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc ! video/x-raw,format=GRAY8 ! rksobel threshold=64 ! videoconvert ! autovideosink
 * ]|
 */

#include "gstrkbuiltinkernels.h"
#include "gstrkerror.h"
#include "gstrkframe.h"

#define SOBEL_CAPS "video/x-raw, format=(string)GRAY8, " \
  "width=(int)[1, 65536], height=(int)[1, 65536], " \
  "framerate=(fraction)[0/1, MAX]"

static const GstRkParamInfo sobel_params[] = {
  {"threshold", "Threshold",
        "0: output the gradient magnitude; 1-255: output 255 where the "
        "magnitude reaches it and 0 elsewhere",
      GST_RK_PARAM_INT, 0, 255, 0, 0, GST_RK_PARAM_FLAG_MUTABLE_PLAYING},
};

static gboolean
sobel_configure (const GstRkKernelInfo * info, GstRkConfig * config,
    const GstStructure * params, GError ** error)
{
  GstRkParams *p = &config->params;

  if (!gst_rk_params_set_video_input (p, config->sink_caps, error))
    return FALSE;
  if (p->in_format != RK_FORMAT_GRAY8) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "rksobel takes GRAY8, not %s", gst_rk_format_to_string
        (p->in_format));
    return FALSE;
  }
  gst_rk_params_set_video_output (p, RK_FORMAT_GRAY8);
  config->src_caps = gst_caps_ref (config->sink_caps);
  return TRUE;
}

const GstRkKernelInfo gst_rk_kernel_info_sobel = {
  .name = "sobel",
  .long_name = "Ring kernel Sobel",
  .klass = "Filter/Effect/Video",
  .description = "Sobel gradient magnitude (integer, clamped borders) of "
      "GRAY8 video on a ring kernel",
  .sink_caps = SOBEL_CAPS,
  .src_caps = SOBEL_CAPS,
  .kind = GST_RK_KERNEL_KIND_FRAME,
  .params = sobel_params,
  .n_params = G_N_ELEMENTS (sobel_params),
  .configure = sobel_configure,
};
