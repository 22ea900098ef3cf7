/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rkbgsub
 * @title: rkbgsub
 *
 * Background subtraction with a running-average background model that
 * lives in the kernel's device state across frames. Outputs the GRAY8
 * foreground mask (255 foreground, 0 background; default stride, padding
 * 0) and posts a `ringkernel-motion` element message whenever the
 * foreground fraction crosses `motion-threshold`, up or down.
 *
 * Caps: GRAY8, or RGBA/BGRA/RGBx/BGRx (reduced to luma with rkgray's
 * integer BT.601 formula Y = ((66 R + 129 G + 25 B + 128) >> 8) + 16) in;
 * GRAY8 out.
 *
 * The specification every backend follows, all integer, per pixel with
 * Y its luma and B its background (16-bit, Q8, in state):
 *
 * - integer parameters (config blob `GstRkBgsubBlob`):
 *   α = floor (learning-rate × 32768 + 0.5), τ = threshold × 256,
 *   limit = floor (motion-threshold × width × height)
 * - first frame after launch or reset: B = Y << 8, mask 0
 * - other frames: d = (Y << 8) - B (signed); the pixel is foreground
 *   (mask 255) when |d| > τ; then B += (d × α) >> 15 (arithmetic shift,
 *   rounding toward -∞; the product fits in 32 bits)
 * - F = number of foreground pixels; motion is active when F > limit. When
 *   that differs from the previous frame's state a NOTIFY is emitted
 *   before the mask.
 *
 * Message `ringkernel-motion`: `active` (boolean: TRUE when the fraction
 * rose above the threshold), `fraction` (double, F / pixels),
 * `foreground-pixels`, `pixels`, `frame` (guint64, frames since the last
 * reset), `timestamp` (the frame's PTS), `stream-time`, `running-time`,
 * and the HLC stamp (`hlc-physical`, `hlc-logical`, `hlc-node`).
 *
 * The model survives PAUSED → READY → PAUSED and caps changes that keep
 * the frame size. The `reset` action signal, or a flushing seek with
 * `reset-on-flush`, starts it afresh in order with the data.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -m v4l2src ! videoconvert ! video/x-raw,format=GRAY8 ! rkbgsub motion-threshold=0.02 ! videoconvert ! autovideosink
 * ]|
 */

#include <math.h>
#include <string.h>

#include "gstrkbuiltinkernels.h"
#include "gstrkerror.h"
#include "gstrkframe.h"
#include "gstrkkernellayouts.h"

#define BGSUB_FORMATS "{ GRAY8, RGBA, BGRA, RGBx, BGRx }"
#define VIDEO_SIZES "width=(int)[1, 65536], height=(int)[1, 65536], " \
  "framerate=(fraction)[0/1, MAX]"

static const GstRkParamInfo bgsub_params[] = {
  {"learning-rate", "Learning rate",
        "How fast the background follows the scene: the fraction of the "
        "difference added to the model per frame",
      GST_RK_PARAM_DOUBLE, 0.0, 1.0, 0.05, 0,
      GST_RK_PARAM_FLAG_MUTABLE_PLAYING},
  {"threshold", "Threshold",
        "A pixel is foreground when its luma differs from the background "
        "by more than this", GST_RK_PARAM_INT, 0, 255, 30, 1,
      GST_RK_PARAM_FLAG_MUTABLE_PLAYING},
  {"motion-threshold", "Motion threshold",
        "Foreground fraction of the frame above which there is motion; "
        "crossing it posts a ringkernel-motion message",
      GST_RK_PARAM_DOUBLE, 0.0, 1.0, 0.01, 2,
      GST_RK_PARAM_FLAG_MUTABLE_PLAYING},
};

static GstCaps *
bgsub_transform_caps (const GstRkKernelInfo * info, GstPadDirection direction,
    GstCaps * caps)
{
  return gst_rk_video_caps_with_formats (caps,
      direction == GST_PAD_SINK ? "GRAY8" : BGSUB_FORMATS);
}

static gboolean
bgsub_configure (const GstRkKernelInfo * info, GstRkConfig * config,
    const GstStructure * params, GError ** error)
{
  GstRkParams *p = &config->params;
  GstRkBgsubBlob *blob;
  gdouble rate = 0.05, motion = 0.01;
  gint threshold = 30;

  if (!gst_rk_params_set_video_input (p, config->sink_caps, error))
    return FALSE;
  if (p->in_format == RK_FORMAT_NV12 || p->in_format == RK_FORMAT_I420) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "rkbgsub takes GRAY8 or 4-byte RGB video, not %s",
        gst_rk_format_to_string (p->in_format));
    return FALSE;
  }
  gst_rk_params_set_video_output (p, RK_FORMAT_GRAY8);
  gst_structure_get_double (params, "learning-rate", &rate);
  gst_structure_get_int (params, "threshold", &threshold);
  gst_structure_get_double (params, "motion-threshold", &motion);

  blob = g_new0 (GstRkBgsubBlob, 1);
  blob->alpha_q15 = (guint32) floor (rate * 32768.0 + 0.5);
  blob->threshold_q8 = (guint32) threshold << 8;
  blob->motion_limit = (guint32) floor (motion * p->width * p->height);
  blob->luma = p->in_format != RK_FORMAT_GRAY8;
  config->blob = g_bytes_new_take (blob, sizeof (*blob));

  config->state_size = sizeof (GstRkBgsubState) +
      (gsize) p->width * p->height * sizeof (guint16);
  config->src_caps = gst_rk_video_caps_with_formats (config->sink_caps,
      "GRAY8");
  return TRUE;
}

static GstStructure *
bgsub_notify_to_structure (const GstRkKernelInfo * info,
    const GstRkEnvelope * env, const guint8 * data, gsize size)
{
  GstRkMotionEvent ev;

  if (size < sizeof (ev))
    return NULL;
  memcpy (&ev, data, sizeof (ev));
  return gst_structure_new ("ringkernel-motion",
      "active", G_TYPE_BOOLEAN, ev.active != 0,
      "fraction", G_TYPE_DOUBLE,
      ev.pixels ? (gdouble) ev.foreground / ev.pixels : 0.0,
      "foreground-pixels", G_TYPE_UINT64, ev.foreground,
      "pixels", G_TYPE_UINT64, ev.pixels,
      "frame", G_TYPE_UINT64, ev.frame,
      "timestamp", G_TYPE_UINT64, ev.timestamp, NULL);
}

const GstRkKernelInfo gst_rk_kernel_info_bgsub = {
  .name = "bgsub",
  .long_name = "Ring kernel background subtraction",
  .klass = "Filter/Analyzer/Video",
  .description = "Running-average background subtraction with the model in "
      "device state; GRAY8 foreground mask and motion messages",
  .sink_caps = "video/x-raw, format=(string)" BGSUB_FORMATS ", " VIDEO_SIZES,
  .src_caps = "video/x-raw, format=(string)GRAY8, " VIDEO_SIZES,
  .kind = GST_RK_KERNEL_KIND_FRAME,
  .params = bgsub_params,
  .n_params = G_N_ELEMENTS (bgsub_params),
  .flags = GST_RK_KERNEL_FLAG_RESETTABLE,
  .transform_caps = bgsub_transform_caps,
  .configure = bgsub_configure,
  .notify_to_structure = bgsub_notify_to_structure,
};
