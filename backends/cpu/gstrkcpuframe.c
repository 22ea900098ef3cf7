/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkcpuframe.h"
#include "gstrkaudio.h"
#include "gstrkerror.h"
#include "gstrkframe.h"

/**
 * gst_rk_cpu_frame_map:
 *
 * Checks that the input holds a whole frame of the negotiated layout,
 * allocates the output frame (params->out_size bytes) and maps both.
 * Finish with gst_rk_cpu_frame_unmap().
 */
gboolean
gst_rk_cpu_frame_map (GstRkCpuContext * ctx, GstRkCpuFrame * frame,
    GError ** error)
{
  GstBuffer *in = ctx->msg->payload;

  if (!gst_rk_frame_check_input (ctx->params,
          in ? gst_buffer_get_size (in) : 0, error))
    return FALSE;
  frame->out = gst_rk_cpu_context_alloc (ctx, ctx->params->out_size, error);
  if (frame->out == NULL)
    return FALSE;
  frame->in = in;
  gst_buffer_map (in, &frame->in_map, GST_MAP_READ);
  gst_buffer_map (frame->out, &frame->out_map, GST_MAP_WRITE);
  frame->src = frame->in_map.data;
  frame->dst = frame->out_map.data;
  return TRUE;
}

/**
 * gst_rk_cpu_frame_unmap:
 *
 * Unmaps both frames and gives the output the input's timestamps and
 * flags.
 *
 * Returns: (transfer full): the output frame, ready to emit
 */
GstBuffer *
gst_rk_cpu_frame_unmap (GstRkCpuFrame * frame)
{
  gst_buffer_unmap (frame->out, &frame->out_map);
  gst_buffer_unmap (frame->in, &frame->in_map);
  gst_buffer_copy_into (frame->out, frame->in,
      GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
  return frame->out;
}

/**
 * gst_rk_cpu_audio_input:
 * @size: (out): bytes of audio in the input
 *
 * Checks that the input carries a whole number of F32LE frames of the
 * negotiated channel count.
 */
gboolean
gst_rk_cpu_audio_input (GstRkCpuContext * ctx, gsize * size, GError ** error)
{
  GstBuffer *in = ctx->msg->payload;

  if (in == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "rk%s received a message without audio", ctx->impl->name);
    return FALSE;
  }
  *size = gst_buffer_get_size (in);
  return gst_rk_audio_check_input (ctx->params, *size, error);
}
