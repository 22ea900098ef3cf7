/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rkblur
 * @title: rkblur
 *
 * Separable Gaussian blur on a ring kernel, in integer arithmetic so that
 * every backend computes the same bytes.
 *
 * Caps: `video/x-raw` GRAY8, RGBA, BGRA, RGBx or BGRx in, the same format
 * out. Each byte channel of a pixel is blurred on its own (alpha and x
 * included). Output rows use GStreamer's default stride.
 *
 * The specification every backend follows:
 *
 * - Weights (computed once per configuration, on the host, and handed to
 *   the devices in the config blob `GstRkBlurBlob`): radius
 *   r = ceil (3 σ) (0 when σ = 0), g_i = exp (-i² / (2 σ²)) for
 *   i = -r..r in double precision, W_i = floor (4096 g_i / Σg + 0.5), and
 *   the centre weight W_0 takes 4096 - ΣW so that the weights sum to
 *   exactly 4096 (Q12).
 * - Borders are clamped: a pixel outside the frame reads the nearest edge
 *   pixel of its row or column.
 * - Horizontal pass, into a 16-bit intermediate (Q8 pixels):
 *   H[y][x] = (Σ_i W_i P[y][clamp (x + i)] + 8) >> 4        (≤ 65280)
 * - Vertical pass:
 *   O[y][x] = (Σ_j W_j H[clamp (y + j)][x] + (1 << 19)) >> 20   (≤ 255)
 *
 * All sums fit in unsigned 32 bits.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc ! video/x-raw,format=RGBA ! rkblur sigma=2.0 ! videoconvert ! autovideosink
 * ]|
 */

#include <math.h>

#include "gstrkbuiltinkernels.h"
#include "gstrkerror.h"
#include "gstrkframe.h"
#include "gstrkkernellayouts.h"

#define BLUR_FORMATS "{ GRAY8, RGBA, BGRA, RGBx, BGRx }"
#define BLUR_CAPS "video/x-raw, format=(string)" BLUR_FORMATS ", " \
  "width=(int)[1, 65536], height=(int)[1, 65536], " \
  "framerate=(fraction)[0/1, MAX]"

static const GstRkParamInfo blur_params[] = {
  {"sigma", "Sigma",
        "Standard deviation of the Gaussian in pixels (below 0.001 = copy); the "
        "kernel spans ceil (3 sigma) pixels each side",
      GST_RK_PARAM_DOUBLE, 0.0, GST_RK_BLUR_MAX_SIGMA, 1.2, 0,
      GST_RK_PARAM_FLAG_MUTABLE_PLAYING},
};

/**
 * gst_rk_blur_weights:
 * @sigma: standard deviation in pixels
 * @weights: (out caller-allocates): 2 × GST_RK_BLUR_MAX_RADIUS + 1 entries
 *
 * Computes the Q12 weights of the specification above.
 *
 * Returns: the radius r; @weights[0..2r] hold W_-r..W_r.
 */
guint
gst_rk_blur_weights (gdouble sigma, gint32 * weights)
{
  gdouble g[2 * GST_RK_BLUR_MAX_RADIUS + 1], sum = 0.0;
  gint r = (gint) ceil (3.0 * sigma), i, total = 0;

  r = CLAMP (r, 0, GST_RK_BLUR_MAX_RADIUS);
  /* A sigma this small blurs nothing, and 2 sigma² would underflow to 0
   * (weights of 0/0): it copies, like sigma 0. Found by fuzz-params. */
  if (sigma < GST_RK_BLUR_MIN_SIGMA)
    r = 0;
  if (r == 0) {
    weights[0] = 4096;
    return 0;
  }
  for (i = -r; i <= r; i++) {
    g[i + r] = exp (-(gdouble) (i * i) / (2.0 * sigma * sigma));
    sum += g[i + r];
  }
  for (i = 0; i <= 2 * r; i++) {
    weights[i] = (gint32) floor (4096.0 * g[i] / sum + 0.5);
    total += weights[i];
  }
  weights[r] += 4096 - total;
  return (guint) r;
}

static gboolean
blur_configure (const GstRkKernelInfo * info, GstRkConfig * config,
    const GstStructure * params, GError ** error)
{
  GstRkParams *p = &config->params;
  GstRkBlurBlob *blob;
  gdouble sigma = 1.2;

  if (!gst_rk_params_set_video_input (p, config->sink_caps, error))
    return FALSE;
  if (p->in_format == RK_FORMAT_NV12 || p->in_format == RK_FORMAT_I420) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "rkblur takes GRAY8 or 4-byte RGB video, not %s",
        gst_rk_format_to_string (p->in_format));
    return FALSE;
  }
  gst_rk_params_set_video_output (p, p->in_format);
  gst_structure_get_double (params, "sigma", &sigma);

  blob = g_new0 (GstRkBlurBlob, 1);
  blob->radius = gst_rk_blur_weights (sigma, blob->weights);
  config->blob = g_bytes_new_take (blob, sizeof (*blob));
  config->src_caps = gst_caps_ref (config->sink_caps);
  return TRUE;
}

const GstRkKernelInfo gst_rk_kernel_info_blur = {
  .name = "blur",
  .long_name = "Ring kernel Gaussian blur",
  .klass = "Filter/Effect/Video",
  .description = "Separable Gaussian blur in fixed point (clamped borders) "
      "on a ring kernel",
  .sink_caps = BLUR_CAPS,
  .src_caps = BLUR_CAPS,
  .kind = GST_RK_KERNEL_KIND_FRAME,
  .params = blur_params,
  .n_params = G_N_ELEMENTS (blur_params),
  .configure = blur_configure,
};
