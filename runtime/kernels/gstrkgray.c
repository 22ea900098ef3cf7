/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rkgray
 * @title: rkgray
 *
 * Converts video to GRAY8 on a ring kernel. RGB input uses the integer
 * BT.601 (limited range) luma formula
 *
 *   Y = ((66 R + 129 G + 25 B + 128) >> 8) + 16
 *
 * which every backend computes bit-exactly. NV12 and I420 input already
 * carry that luma: their Y plane is copied. Output rows use GStreamer's
 * default GRAY8 stride (width rounded up to 4); the padding bytes are 0.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=100 ! video/x-raw,format=RGBA ! rkgray ! videoconvert ! autovideosink
 * ]|
 */

#include "gstrkbuiltinkernels.h"
#include "gstrkerror.h"
#include "gstrkframe.h"

#define GRAY_INPUT_FORMATS "{ RGBA, BGRA, RGBx, BGRx, NV12, I420 }"

static GstCaps *
gray_transform_caps (const GstRkKernelInfo * info, GstPadDirection direction,
    GstCaps * caps)
{
  return gst_rk_video_caps_with_formats (caps,
      direction == GST_PAD_SINK ? "GRAY8" : GRAY_INPUT_FORMATS);
}

static gboolean
gray_configure (const GstRkKernelInfo * info, GstRkConfig * config,
    const GstStructure * params, GError ** error)
{
  GstRkParams *p = &config->params;
  GstCaps *out;

  if (!gst_rk_params_set_video_input (p, config->sink_caps, error))
    return FALSE;
  if (p->in_format == RK_FORMAT_GRAY8) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "rkgray takes colour video, not GRAY8");
    return FALSE;
  }
  gst_rk_params_set_video_output (p, RK_FORMAT_GRAY8);

  out = gst_rk_video_caps_with_formats (config->sink_caps, "GRAY8");
  config->src_caps = out;
  return TRUE;
}

const GstRkKernelInfo gst_rk_kernel_info_gray = {
  .name = "gray",
  .long_name = "Ring kernel grayscale",
  .klass = "Filter/Converter/Video",
  .description = "Converts RGB, NV12 or I420 video to GRAY8 (integer BT.601 "
      "luma) on a ring kernel",
  .sink_caps = "video/x-raw, format=(string)" GRAY_INPUT_FORMATS ", "
      "width=(int)[1, 65536], height=(int)[1, 65536], "
      "framerate=(fraction)[0/1, MAX]",
  .src_caps = "video/x-raw, format=(string)GRAY8, "
      "width=(int)[1, 65536], height=(int)[1, 65536], "
      "framerate=(fraction)[0/1, MAX]",
  .kind = GST_RK_KERNEL_KIND_FRAME,
  .transform_caps = gray_transform_caps,
  .configure = gray_configure,
};
