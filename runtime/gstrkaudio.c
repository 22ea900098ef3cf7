/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkaudio.h"
#include "gstrkerror.h"

/**
 * gst_rk_audio_caps_parse:
 * @channels: (out): channels per frame
 * @rate: (out): frames per second
 *
 * Reads fixed raw audio caps and checks that they are F32LE interleaved.
 */
gboolean
gst_rk_audio_caps_parse (const GstCaps * caps, guint32 * channels,
    guint32 * rate, GError ** error)
{
  GstStructure *s;
  const gchar *format, *layout;
  gint ch = 0, r = 0;

  if (caps == NULL || gst_caps_get_size (caps) != 1 ||
      !gst_caps_is_fixed (caps)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "caps are not fixed raw audio caps");
    return FALSE;
  }
  s = gst_caps_get_structure (caps, 0);
  format = gst_structure_get_string (s, "format");
  layout = gst_structure_get_string (s, "layout");
  if (!gst_structure_has_name (s, "audio/x-raw") ||
      !gst_structure_get_int (s, "channels", &ch) ||
      !gst_structure_get_int (s, "rate", &r) || ch <= 0 || r <= 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "caps lack raw audio channels or rate");
    return FALSE;
  }
  if (g_strcmp0 (format, "F32LE") != 0 ||
      (layout != NULL && g_strcmp0 (layout, "interleaved") != 0)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "audio must be F32LE interleaved, not %s %s",
        format ? format : "(no format)", layout ? layout : "");
    return FALSE;
  }
  *channels = (guint32) ch;
  *rate = (guint32) r;
  return TRUE;
}

/**
 * gst_rk_params_set_audio:
 *
 * Fills @params for F32LE interleaved audio in and out: channels, rate,
 * formats. Frames per message vary with the buffers; a kernel derives them
 * from the payload size (4 × channels bytes per frame).
 */
gboolean
gst_rk_params_set_audio (GstRkParams * params, const GstCaps * caps,
    GError ** error)
{
  if (!gst_rk_audio_caps_parse (caps, &params->channels, &params->rate, error))
    return FALSE;
  params->in_format = params->out_format = RK_FORMAT_F32LE;
  params->width = params->height = 0;
  return TRUE;
}

/**
 * gst_rk_audio_check_input:
 * @params: the audio layout in force
 * @size: bytes of the input buffer
 *
 * Checks that an input is a whole number of F32LE frames. Every backend's
 * sensor kernels check with this, so they fail with one text.
 */
gboolean
gst_rk_audio_check_input (const GstRkParams * params, gsize size,
    GError ** error)
{
  if (params->channels > 0 && size % ((gsize) params->channels * 4) == 0)
    return TRUE;
  g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
      "buffer of %" G_GSIZE_FORMAT " bytes is not a whole number of "
      "%u-channel F32LE frames", size, params->channels);
  return FALSE;
}
