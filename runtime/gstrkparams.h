/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_PARAMS_H__
#define __GST_RK_PARAMS_H__

#include <glib.h>
#include "gstrkabi.h"

G_BEGIN_DECLS

/**
 * GstRkParams:
 *
 * The 128-byte dispatch parameters every kernel invocation receives (layout
 * RK_PARAMS_* in gstrkabi.h): frame geometry of input and output, audio
 * layout, and up to ten float kernel parameters.
 */
typedef struct
{
  guint32 width;
  guint32 height;
  guint32 in_format;
  guint32 out_format;
  guint32 in_offset[3];
  guint32 in_stride[3];
  guint32 out_offset[3];
  guint32 out_stride[3];
  guint32 in_size;
  guint32 out_size;
  guint32 channels;
  guint32 rate;
  gfloat param[RK_PARAMS_N_PARAM];
  guint32 flags;
  guint32 sequence;
} GstRkParams;

/* Not C to the introspection scanner */
#ifndef __GI_SCANNER__
G_STATIC_ASSERT (sizeof (GstRkParams) == RK_PARAMS_SIZE);
G_STATIC_ASSERT (G_STRUCT_OFFSET (GstRkParams, in_offset) == RK_PARAMS_OFF_IN_OFFSET);
G_STATIC_ASSERT (G_STRUCT_OFFSET (GstRkParams, in_stride) == RK_PARAMS_OFF_IN_STRIDE);
G_STATIC_ASSERT (G_STRUCT_OFFSET (GstRkParams, out_offset) == RK_PARAMS_OFF_OUT_OFFSET);
G_STATIC_ASSERT (G_STRUCT_OFFSET (GstRkParams, out_stride) == RK_PARAMS_OFF_OUT_STRIDE);
G_STATIC_ASSERT (G_STRUCT_OFFSET (GstRkParams, in_size) == RK_PARAMS_OFF_IN_SIZE);
G_STATIC_ASSERT (G_STRUCT_OFFSET (GstRkParams, channels) == RK_PARAMS_OFF_CHANNELS);
G_STATIC_ASSERT (G_STRUCT_OFFSET (GstRkParams, param) == RK_PARAMS_OFF_PARAM);
G_STATIC_ASSERT (G_STRUCT_OFFSET (GstRkParams, flags) == RK_PARAMS_OFF_FLAGS);
G_STATIC_ASSERT (G_STRUCT_OFFSET (GstRkParams, sequence) == RK_PARAMS_OFF_SEQUENCE);
#endif

G_END_DECLS

#endif /* __GST_RK_PARAMS_H__ */
