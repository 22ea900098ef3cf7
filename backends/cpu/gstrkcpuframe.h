/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CPU_FRAME_H__
#define __GST_RK_CPU_FRAME_H__

#include "gstrkcpukernel.h"

G_BEGIN_DECLS

/*
 * The input and output framing every CPU library kernel shares: a video
 * frame in and a new frame out, or a run of F32LE audio frames in. The
 * checks fail with the runtime's texts (gstrkframe.h, gstrkaudio.h), the
 * same on every backend.
 */

/**
 * GstRkCpuFrame:
 * @in: the input frame (still owned by the message)
 * @out: the output frame being written
 * @src: the input's bytes
 * @dst: the output's bytes, params->out_size of them
 */
typedef struct
{
  GstBuffer *in;
  GstBuffer *out;
  const guint8 *src;
  guint8 *dst;

  /*< private >*/
  GstMapInfo in_map;
  GstMapInfo out_map;
} GstRkCpuFrame;

gboolean gst_rk_cpu_frame_map (GstRkCpuContext * ctx, GstRkCpuFrame * frame,
    GError ** error);
GstBuffer *gst_rk_cpu_frame_unmap (GstRkCpuFrame * frame);

gboolean gst_rk_cpu_audio_input (GstRkCpuContext * ctx, gsize * size,
    GError ** error);

G_END_DECLS

#endif /* __GST_RK_CPU_FRAME_H__ */
