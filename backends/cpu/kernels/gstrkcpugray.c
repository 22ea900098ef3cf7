/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gstrkcpukernel.h"
#include "gstrkerror.h"
#include "gstrkframe.h"

/* The reference for every backend: Y = ((66 R + 129 G + 25 B + 128) >> 8)
 * + 16, integer BT.601 limited range. */
static inline guint8
bt601_luma (guint r, guint g, guint b)
{
  return (guint8) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
}

typedef struct
{
  const GstRkParams *p;
  const guint8 *src;
  guint8 *dst;
} GrayJob;

static void
gray_rows (guint begin, guint end, gpointer data)
{
  const GrayJob *job = data;
  const GstRkParams *p = job->p;
  guint ri = 0, bi = 2, y, x;

  if (p->in_format == RK_FORMAT_BGRA || p->in_format == RK_FORMAT_BGRX) {
    ri = 2;
    bi = 0;
  }

  for (y = begin; y < end; y++) {
    const guint8 *s = job->src + p->in_offset[0] + (gsize) y * p->in_stride[0];
    guint8 *d = job->dst + (gsize) y * p->out_stride[0];

    if (p->in_format == RK_FORMAT_NV12 || p->in_format == RK_FORMAT_I420) {
      memcpy (d, s, p->width);
    } else {
      for (x = 0; x < p->width; x++, s += 4)
        d[x] = bt601_luma (s[ri], s[1], s[bi]);
    }
    memset (d + p->width, 0, p->out_stride[0] - p->width);
  }
}

static gboolean
gray_process (GstRkCpuContext * ctx, GError ** error)
{
  const GstRkParams *p = ctx->params;
  GstBuffer *in = ctx->msg->payload, *out;
  GstMapInfo imap, omap;
  GrayJob job;

  if (p->out_format != RK_FORMAT_GRAY8) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "rkgray received a buffer before its caps were negotiated");
    return FALSE;
  }
  if (in == NULL || gst_buffer_get_size (in) < p->in_size) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "buffer of %" G_GSIZE_FORMAT " bytes is smaller than a %ux%u %s "
        "frame (%u bytes)", in ? gst_buffer_get_size (in) : 0, p->width,
        p->height, gst_rk_format_to_string (p->in_format), p->in_size);
    return FALSE;
  }
  out = gst_rk_cpu_context_alloc (ctx, p->out_size, error);
  if (out == NULL)
    return FALSE;

  gst_buffer_map (in, &imap, GST_MAP_READ);
  gst_buffer_map (out, &omap, GST_MAP_WRITE);
  job.p = p;
  job.src = imap.data;
  job.dst = omap.data;
  gst_rk_cpu_context_parallel_for (ctx, p->height, gray_rows, &job);
  gst_buffer_unmap (out, &omap);
  gst_buffer_unmap (in, &imap);

  gst_buffer_copy_into (out, in,
      GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA, out, error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_gray = {
  .name = "gray",
  .process = gray_process,
};
