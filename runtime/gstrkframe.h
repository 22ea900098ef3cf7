/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_FRAME_H__
#define __GST_RK_FRAME_H__

#include <gst/gst.h>
#include "gstrkparams.h"

G_BEGIN_DECLS

/*
 * Frame layouts from caps, with GStreamer core only (the runtime does not
 * link libgstvideo). Strides and plane offsets follow GStreamer's default
 * layout for each format, the layout of buffers without a GstVideoMeta;
 * tests/test-frame.c checks them against GstVideoInfo.
 */

guint32 gst_rk_format_from_string (const gchar * format);
const gchar *gst_rk_format_to_string (guint32 format);

gboolean gst_rk_frame_layout (guint32 format, guint32 width, guint32 height,
    guint32 offset[3], guint32 stride[3], guint32 * size);

gboolean gst_rk_video_caps_parse (const GstCaps * caps, guint32 * format,
    guint32 * width, guint32 * height, GError ** error);

gboolean gst_rk_params_set_video_input (GstRkParams * params,
    const GstCaps * caps, GError ** error);
gboolean gst_rk_params_set_video_output (GstRkParams * params,
    guint32 format);

gboolean gst_rk_frame_check_input (const GstRkParams * params, gsize size,
    GError ** error);

GstCaps *gst_rk_video_caps_with_formats (GstCaps * caps,
    const gchar * formats);

G_END_DECLS

#endif /* __GST_RK_FRAME_H__ */
