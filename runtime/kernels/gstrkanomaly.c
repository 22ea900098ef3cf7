/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rkanomaly
 * @title: rkanomaly
 *
 * Running mean and variance per channel of F32LE interleaved sensor data,
 * kept in the kernel's device state (Welford's algorithm), and a
 * `ringkernel-anomaly` element message for every sample whose z-score
 * exceeds `z-threshold`. The audio passes through unchanged.
 *
 * The specification every backend follows, per channel, frame by frame,
 * in double precision (state: mean and m2 per channel; n, the frames seen
 * so far, is the same for all channels):
 *
 * - with d = x - mean and t = z-threshold (as a float, params slot 0):
 *   if n ≥ `min-samples`, m2 > 0 and d² n > t² m2 — that is |z| > t for
 *   z = d / σ, σ = sqrt (m2 / n), without a root or a division — the
 *   sample is an anomaly
 * - then x joins the statistics (anomalies too), with r = 1 / (n + 1)
 *   computed once per frame: mean += d × r; m2 += d × (x - mean); after
 *   the frame n += 1
 *
 * Anomalies of one buffer are emitted in frame order, channels ascending
 * within a frame, before the buffer itself. Other backends match the CPU
 * reference's statistics within 1e-9 relative and report the same
 * anomalies, except for a z-score within 1e-6 of the threshold.
 *
 * Message `ringkernel-anomaly`: `channel` (guint), `offset` (guint64,
 * frames since the stream start or the last reset), `value`, `z`, `mean`,
 * `stddev` (doubles, the statistics before the sample), `timestamp` (the
 * frame's PTS), `stream-time`, `running-time`, and the HLC stamp
 * (`hlc-physical`, `hlc-logical`, `hlc-node`).
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -m audiotestsrc wave=ticks ! audio/x-raw,format=F32LE,channels=4 ! rkanomaly z-threshold=6 ! fakesink
 * ]|
 */

#include <string.h>

#include "gstrkaudio.h"
#include "gstrkbuiltinkernels.h"
#include "gstrkerror.h"
#include "gstrkkernellayouts.h"

static const GstRkParamInfo anomaly_params[] = {
  {"z-threshold", "Z threshold",
        "A sample is an anomaly when it lies more than this many standard "
        "deviations from its channel's running mean",
      GST_RK_PARAM_DOUBLE, 0.0, 1e6, 5.0, 0, GST_RK_PARAM_FLAG_MUTABLE_PLAYING},
  {"min-samples", "Minimum samples",
        "Samples a channel must have seen before it reports anomalies",
      GST_RK_PARAM_INT, 2, G_MAXINT, 64, 1, GST_RK_PARAM_FLAG_MUTABLE_PLAYING},
};

static gboolean
anomaly_configure (const GstRkKernelInfo * info, GstRkConfig * config,
    const GstStructure * params, GError ** error)
{
  GstRkParams *p = &config->params;

  if (!gst_rk_params_set_audio (p, config->sink_caps, error))
    return FALSE;
  config->state_size = sizeof (GstRkAnomalyState) +
      (gsize) 2 * p->channels * sizeof (gdouble);
  config->src_caps = gst_caps_ref (config->sink_caps);
  return TRUE;
}

static GstStructure *
anomaly_notify_to_structure (const GstRkKernelInfo * info,
    const GstRkEnvelope * env, const guint8 * data, gsize size)
{
  GstRkAnomalyEvent ev;

  if (size < sizeof (ev))
    return NULL;
  memcpy (&ev, data, sizeof (ev));
  return gst_structure_new ("ringkernel-anomaly",
      "channel", G_TYPE_UINT, ev.channel,
      "offset", G_TYPE_UINT64, ev.offset,
      "value", G_TYPE_DOUBLE, ev.value,
      "z", G_TYPE_DOUBLE, ev.z,
      "mean", G_TYPE_DOUBLE, ev.mean,
      "stddev", G_TYPE_DOUBLE, ev.stddev,
      "timestamp", G_TYPE_UINT64, ev.timestamp, NULL);
}

const GstRkKernelInfo gst_rk_kernel_info_anomaly = {
  .name = "anomaly",
  .long_name = "Ring kernel anomaly detector",
  .klass = "Filter/Analyzer/Audio",
  .description = "Running mean and variance per channel in device state; "
      "posts a message per sample beyond a z-score; data passes through",
  .sink_caps = GST_RK_AUDIO_F32_CAPS,
  .src_caps = GST_RK_AUDIO_F32_CAPS,
  .kind = GST_RK_KERNEL_KIND_FRAME,
  .params = anomaly_params,
  .n_params = G_N_ELEMENTS (anomaly_params),
  .flags = GST_RK_KERNEL_FLAG_RESETTABLE,
  .configure = anomaly_configure,
  .notify_to_structure = anomaly_notify_to_structure,
};
