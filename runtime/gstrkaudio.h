/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_AUDIO_H__
#define __GST_RK_AUDIO_H__

#include <gst/gst.h>
#include "gstrkparams.h"

G_BEGIN_DECLS

/*
 * Sensor streams as GStreamer carries them: raw audio, 32-bit float
 * little-endian, interleaved, any channel count and rate. Parsed with core
 * GStreamer only (the runtime does not link libgstaudio).
 */

/* Template caps of a sensor kernel's pads. */
#define GST_RK_AUDIO_F32_CAPS "audio/x-raw, format=(string)F32LE, " \
  "layout=(string)interleaved, rate=(int)[1, MAX], channels=(int)[1, 1024]"

gboolean gst_rk_audio_caps_parse (const GstCaps * caps, guint32 * channels,
    guint32 * rate, GError ** error);

gboolean gst_rk_params_set_audio (GstRkParams * params, const GstCaps * caps,
    GError ** error);
gboolean gst_rk_audio_check_input (const GstRkParams * params, gsize size,
    GError ** error);

G_END_DECLS

#endif /* __GST_RK_AUDIO_H__ */
