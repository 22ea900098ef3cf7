/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gstrkframe.h"
#include "gstrkerror.h"

static const struct
{
  guint32 format;
  const gchar *name;
} formats[] = {
  {RK_FORMAT_GRAY8, "GRAY8"},
  {RK_FORMAT_RGBA, "RGBA"},
  {RK_FORMAT_BGRA, "BGRA"},
  {RK_FORMAT_RGBX, "RGBx"},
  {RK_FORMAT_BGRX, "BGRx"},
  {RK_FORMAT_NV12, "NV12"},
  {RK_FORMAT_I420, "I420"},
  {RK_FORMAT_F32LE, "F32LE"},
};

guint32
gst_rk_format_from_string (const gchar * format)
{
  guint i;

  for (i = 0; format && i < G_N_ELEMENTS (formats); i++)
    if (strcmp (formats[i].name, format) == 0)
      return formats[i].format;
  return RK_FORMAT_UNKNOWN;
}

const gchar *
gst_rk_format_to_string (guint32 format)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i].format == format)
      return formats[i].name;
  return format == RK_FORMAT_BYTES ? "bytes" : "unknown";
}

/**
 * gst_rk_frame_layout:
 *
 * Fills GStreamer's default plane offsets and strides for a video frame.
 * Unused planes get 0. Returns %FALSE for a format that is not a video
 * format, or a frame larger than 4 GiB.
 */
gboolean
gst_rk_frame_layout (guint32 format, guint32 width, guint32 height,
    guint32 offset[3], guint32 stride[3], guint32 * size)
{
  guint64 h2 = GST_ROUND_UP_2 ((guint64) height);
  guint64 total;

  memset (offset, 0, 3 * sizeof (guint32));
  memset (stride, 0, 3 * sizeof (guint32));

  switch (format) {
    case RK_FORMAT_GRAY8:
      stride[0] = GST_ROUND_UP_4 (width);
      total = (guint64) stride[0] * height;
      break;
    case RK_FORMAT_RGBA:
    case RK_FORMAT_BGRA:
    case RK_FORMAT_RGBX:
    case RK_FORMAT_BGRX:
      stride[0] = width * 4;
      total = (guint64) stride[0] * height;
      break;
    case RK_FORMAT_NV12:
      stride[0] = stride[1] = GST_ROUND_UP_4 (width);
      offset[1] = (guint32) (stride[0] * h2);
      total = offset[1] + stride[1] * (h2 / 2);
      break;
    case RK_FORMAT_I420:
      stride[0] = GST_ROUND_UP_4 (width);
      stride[1] = stride[2] = GST_ROUND_UP_4 (GST_ROUND_UP_2 (width) / 2);
      offset[1] = (guint32) (stride[0] * h2);
      offset[2] = (guint32) (offset[1] + stride[1] * (h2 / 2));
      total = offset[2] + stride[2] * (h2 / 2);
      break;
    default:
      return FALSE;
  }
  if (width == 0 || height == 0 || width > 65536 || total > G_MAXUINT32)
    return FALSE;
  *size = (guint32) total;
  return TRUE;
}

/**
 * gst_rk_video_caps_parse:
 *
 * Reads format, width and height of fixed raw video caps.
 */
gboolean
gst_rk_video_caps_parse (const GstCaps * caps, guint32 * format,
    guint32 * width, guint32 * height, GError ** error)
{
  GstStructure *s;
  const gchar *fmt;
  gint w = 0, h = 0;

  if (caps == NULL || gst_caps_get_size (caps) != 1 ||
      !gst_caps_is_fixed (caps)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "caps are not fixed raw video caps");
    return FALSE;
  }
  s = gst_caps_get_structure (caps, 0);
  fmt = gst_structure_get_string (s, "format");
  if (!gst_structure_has_name (s, "video/x-raw") || fmt == NULL ||
      !gst_structure_get_int (s, "width", &w) ||
      !gst_structure_get_int (s, "height", &h) || w <= 0 || h <= 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "caps lack a raw video format, width or height");
    return FALSE;
  }
  *format = gst_rk_format_from_string (fmt);
  *width = (guint32) w;
  *height = (guint32) h;
  if (*format == RK_FORMAT_UNKNOWN || *format == RK_FORMAT_F32LE) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "video format %s is not supported", fmt);
    return FALSE;
  }
  return TRUE;
}

/* Fills the input side of @params from raw video caps. */
gboolean
gst_rk_params_set_video_input (GstRkParams * params, const GstCaps * caps,
    GError ** error)
{
  if (!gst_rk_video_caps_parse (caps, &params->in_format, &params->width,
          &params->height, error))
    return FALSE;
  if (!gst_rk_frame_layout (params->in_format, params->width, params->height,
          params->in_offset, params->in_stride, &params->in_size)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "a %ux%u %s frame is too large", params->width, params->height,
        gst_rk_format_to_string (params->in_format));
    return FALSE;
  }
  return TRUE;
}

/* Fills the output side of @params for a frame of the same size. */
gboolean
gst_rk_params_set_video_output (GstRkParams * params, guint32 format)
{
  params->out_format = format;
  return gst_rk_frame_layout (format, params->width, params->height,
      params->out_offset, params->out_stride, &params->out_size);
}

/**
 * gst_rk_video_caps_with_formats:
 * @formats: a format or a list in caps syntax: "GRAY8", "{ RGBA, BGRA }"
 *
 * Returns: (transfer full): @caps with the format replaced and the fields
 * that depend on the format (colorimetry, chroma-site) removed.
 */
GstCaps *
gst_rk_video_caps_with_formats (GstCaps * caps, const gchar * formats)
{
  GstCaps *res = gst_caps_copy (caps);
  gchar *str = g_strdup_printf ("x, format=(string)%s", formats);
  GstStructure *f = gst_structure_from_string (str, NULL);
  const GValue *fv = gst_structure_get_value (f, "format");
  guint i;

  for (i = 0; i < gst_caps_get_size (res); i++) {
    GstStructure *s = gst_caps_get_structure (res, i);

    gst_structure_set_value (s, "format", fv);
    gst_structure_remove_fields (s, "colorimetry", "chroma-site", NULL);
  }
  gst_structure_free (f);
  g_free (str);
  return gst_caps_simplify (res);
}

/**
 * gst_rk_frame_check_input:
 * @params: the frame layout in force
 * @size: bytes of the input buffer
 *
 * Checks that an input holds a whole frame of the negotiated layout. Every
 * backend's frame kernels check with this, so they fail with one text.
 */
gboolean
gst_rk_frame_check_input (const GstRkParams * params, gsize size,
    GError ** error)
{
  if (size >= params->in_size)
    return TRUE;
  g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
      "buffer of %" G_GSIZE_FORMAT " bytes is smaller than a %ux%u %s "
      "frame (%u bytes)", size, params->width, params->height,
      gst_rk_format_to_string (params->in_format), params->in_size);
  return FALSE;
}
