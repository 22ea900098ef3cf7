/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkblur on the CPU: the fixed-point separable Gaussian of
 * runtime/kernels/gstrkblur.c. Each block of rows keeps a ring of 2r + 1
 * horizontally blurred rows (16-bit) in per-thread scratch, so a source
 * row is blurred once per block and the working set stays in cache.
 */

#include <string.h>

#include "gstrkcpuframe.h"
#include "gstrkcpukernel.h"
#include "gstrkcpuscratch.h"
#include "gstrkcpuvec.h"
#include "gstrkerrorprivate.h"
#include "gstrkframe.h"
#include "gstrkkernellayouts.h"

GST_RK_CPU_VECTORIZE

typedef struct
{
  const GstRkParams *p;
  const GstRkBlurBlob *blob;
  const guint8 *src;
  guint8 *dst;
  guint bpp;
} BlurJob;

/* H = (Σ W_i P[clamp (x + i)] + 8) >> 4 for one row. */
static GST_RK_CPU_HOT void
blur_horizontal (const BlurJob * job, const guint8 * row, guint16 * out,
    guint8 * pad, guint32 * acc)
{
  const guint bpp = job->bpp, w = job->p->width, r = job->blob->radius;
  const gsize len = (gsize) w * bpp;
  guint t, x;
  gsize e;

  /* The row with r clamped pixels on each side. */
  for (x = 0; x < r; x++) {
    memcpy (pad + (gsize) x * bpp, row, bpp);
    memcpy (pad + (gsize) (r + w + x) * bpp, row + len - bpp, bpp);
  }
  memcpy (pad + (gsize) r * bpp, row, len);

  for (e = 0; e < len; e++)
    acc[e] = 0;
  for (t = 0; t <= 2 * r; t++) {
    const guint32 wt = (guint32) job->blob->weights[t];
    const guint8 *s = pad + (gsize) t * bpp;

    for (e = 0; e < len; e++)
      acc[e] += wt * s[e];
  }
  for (e = 0; e < len; e++)
    out[e] = (guint16) ((acc[e] + 8) >> 4);
}

/* O = (Σ W_j H[clamp (y + j)] + 2^19) >> 20 for one row. */
static GST_RK_CPU_HOT void
blur_vertical (const BlurJob * job, guint16 * const *rows, guint8 * out,
    guint32 * acc)
{
  const guint r = job->blob->radius;
  const gsize len = (gsize) job->p->width * job->bpp;
  guint t;
  gsize e;

  for (e = 0; e < len; e++)
    acc[e] = 0;
  for (t = 0; t <= 2 * r; t++) {
    const guint32 wt = (guint32) job->blob->weights[t];
    const guint16 *h = rows[t];

    for (e = 0; e < len; e++)
      acc[e] += wt * h[e];
  }
  for (e = 0; e < len; e++)
    out[e] = (guint8) ((acc[e] + (1u << 19)) >> 20);
}

static void
blur_rows (guint begin, guint end, gpointer data)
{
  const BlurJob *job = data;
  const GstRkParams *p = job->p;
  const guint r = job->blob->radius, n_ring = 2 * r + 1;
  const gsize len = (gsize) p->width * job->bpp;
  guint16 *ring = gst_rk_cpu_scratch (0, n_ring * len * sizeof (guint16));
  guint8 *pad = gst_rk_cpu_scratch (1, len + 2 * (gsize) r * job->bpp);
  guint32 *acc = gst_rk_cpu_scratch (2, len * sizeof (guint32));
  guint16 *rows[2 * GST_RK_BLUR_MAX_RADIUS + 1];
  gint next = MAX ((gint) begin - (gint) r, 0);
  guint y, t;

  for (y = begin; y < end; y++) {
    gint last = MIN ((gint) (y + r), (gint) p->height - 1);
    guint8 *d = job->dst + p->out_offset[0] + (gsize) y * p->out_stride[0];

    for (; next <= last; next++)
      blur_horizontal (job, job->src + p->in_offset[0] +
          (gsize) next * p->in_stride[0], ring + (next % n_ring) * len, pad,
          acc);
    for (t = 0; t < n_ring; t++) {
      gint sy = CLAMP ((gint) y + (gint) t - (gint) r, 0, (gint) p->height - 1);
      rows[t] = ring + (sy % n_ring) * len;
    }
    blur_vertical (job, rows, d, acc);
    memset (d + len, 0, p->out_stride[0] - len);
  }
}

static gboolean
blur_process (GstRkCpuContext * ctx, GError ** error)
{
  const GstRkParams *p = ctx->params;
  GstRkCpuFrame frame;
  BlurJob job;

  if (ctx->config->blob == NULL || p->in_format == RK_FORMAT_BYTES) {
    gst_rk_error_not_negotiated (error, "blur");
    return FALSE;
  }
  if (!gst_rk_cpu_frame_map (ctx, &frame, error))
    return FALSE;
  job.p = p;
  job.blob = g_bytes_get_data (ctx->config->blob, NULL);
  job.src = frame.src;
  job.dst = frame.dst;
  job.bpp = p->in_format == RK_FORMAT_GRAY8 ? 1 : 4;
  gst_rk_cpu_context_parallel_for (ctx, p->height, blur_rows, &job);
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA,
      gst_rk_cpu_frame_unmap (&frame), error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_blur = {
  .name = "blur",
  .process = blur_process,
};
