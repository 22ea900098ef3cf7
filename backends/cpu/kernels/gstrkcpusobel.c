/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rksobel on the CPU: the integer Sobel magnitude of
 * runtime/kernels/gstrksobel.c. Per row, the column sums of the three
 * source rows go into padded 16-bit arrays; gx and gy then come from
 * neighbouring columns, all in loops across the row.
 */

#include <math.h>
#include <string.h>

#include "gstrkcpukernel.h"
#include "gstrkcpuscratch.h"
#include "gstrkcpuvec.h"
#include "gstrkerror.h"
#include "gstrkframe.h"

GST_RK_CPU_VECTORIZE

typedef struct
{
  const GstRkParams *p;
  const guint8 *src;
  guint8 *dst;
  gint threshold;
} SobelJob;

static GST_RK_CPU_HOT void
sobel_row (const guint8 * up, const guint8 * mid, const guint8 * down,
    guint8 * out, guint w, gint threshold, gint16 * s, gint16 * d)
{
  guint x;

  /* s: vertical [1 2 1] sums, d: vertical [-1 0 1] differences, each
   * with one clamped column on either side (index x + 1 is column x). */
  for (x = 0; x < w; x++) {
    s[x + 1] = (gint16) (up[x] + 2 * mid[x] + down[x]);
    d[x + 1] = (gint16) (down[x] - up[x]);
  }
  s[0] = s[1];
  d[0] = d[1];
  s[w + 1] = s[w];
  d[w + 1] = d[w];

  for (x = 0; x < w; x++) {
    gint gx = s[x + 2] - s[x];
    gint gy = d[x] + 2 * d[x + 1] + d[x + 2];
    gint n = MIN (gx * gx + gy * gy, 65025);
    gint m = (gint) sqrtf ((gfloat) n);

    /* sqrtf is within an ulp: fix the integer root exactly. */
    m -= m * m > n;
    m += (m + 1) * (m + 1) <= n;
    if (threshold > 0)
      m = m >= threshold ? 255 : 0;
    out[x] = (guint8) m;
  }
}

static void
sobel_rows (guint begin, guint end, gpointer data)
{
  const SobelJob *job = data;
  const GstRkParams *p = job->p;
  const guint w = p->width, h = p->height;
  gint16 *s = gst_rk_cpu_scratch (0, (w + 2) * sizeof (gint16));
  gint16 *d = gst_rk_cpu_scratch (1, (w + 2) * sizeof (gint16));
  guint y;

  for (y = begin; y < end; y++) {
    const guint8 *base = job->src + p->in_offset[0];
    const guint8 *up = base + (gsize) (y > 0 ? y - 1 : 0) * p->in_stride[0];
    const guint8 *mid = base + (gsize) y * p->in_stride[0];
    const guint8 *down = base + (gsize) (y + 1 < h ? y + 1 : h - 1) *
        p->in_stride[0];
    guint8 *out = job->dst + (gsize) y * p->out_stride[0];

    sobel_row (up, mid, down, out, w, job->threshold, s, d);
    memset (out + w, 0, p->out_stride[0] - w);
  }
}

static gboolean
sobel_process (GstRkCpuContext * ctx, GError ** error)
{
  const GstRkParams *p = ctx->params;
  GstBuffer *in = ctx->msg->payload, *out;
  GstMapInfo imap, omap;
  SobelJob job;

  if (p->out_format != RK_FORMAT_GRAY8) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "rksobel received a buffer before its caps were negotiated");
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
  job.threshold = (gint) p->param[0];
  gst_rk_cpu_context_parallel_for (ctx, p->height, sobel_rows, &job);
  gst_buffer_unmap (out, &omap);
  gst_buffer_unmap (in, &imap);

  gst_buffer_copy_into (out, in,
      GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA, out, error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_sobel = {
  .name = "sobel",
  .process = sobel_process,
};
