/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkbgsub on the CPU: the fixed-point running-average model of
 * runtime/kernels/gstrkbgsub.c. The model is the kernel's device state;
 * rows are split over the cores and each block adds its foreground count
 * to the frame's total.
 */

#include <string.h>

#include "gstrkcpuframe.h"
#include "gstrkcpukernel.h"
#include "gstrkcpuvec.h"
#include "gstrkerrorprivate.h"
#include "gstrkframe.h"
#include "gstrkkernellayouts.h"

GST_RK_CPU_VECTORIZE

typedef struct
{
  const GstRkParams *p;
  const GstRkBgsubBlob *blob;
  const guint8 *src;
  guint8 *dst;
  guint16 *model;
  gboolean first;
  guint64 foreground;           /* atomic */
} BgsubJob;

/* One row: luma, mask, model update; returns the foreground count. */
static GST_RK_CPU_HOT guint
bgsub_row (const guint8 * src, guint8 * mask, guint16 * model, guint w,
    guint format, gint alpha, gint tau, gboolean first)
{
  guint ri = 0, bi = 2, x, count = 0;

  if (format == RK_FORMAT_BGRA || format == RK_FORMAT_BGRX) {
    ri = 2;
    bi = 0;
  }
  for (x = 0; x < w; x++) {
    gint y, d, fg;

    if (format == RK_FORMAT_GRAY8)
      y = src[x];
    else
      y = ((66 * src[4 * x + ri] + 129 * src[4 * x + 1] +
              25 * src[4 * x + bi] + 128) >> 8) + 16;
    if (first) {
      model[x] = (guint16) (y << 8);
      mask[x] = 0;
      continue;
    }
    d = (y << 8) - model[x];
    fg = (d < 0 ? -d : d) > tau;
    mask[x] = fg ? 255 : 0;
    count += fg;
    model[x] = (guint16) (model[x] + ((d * alpha) >> 15));
  }
  return count;
}

static void
bgsub_rows (guint begin, guint end, gpointer data)
{
  BgsubJob *job = data;
  const GstRkParams *p = job->p;
  guint64 count = 0;
  guint y;

  for (y = begin; y < end; y++) {
    guint8 *mask = job->dst + (gsize) y * p->out_stride[0];

    count += bgsub_row (job->src + p->in_offset[0] +
        (gsize) y * p->in_stride[0], mask,
        job->model + (gsize) y * p->width, p->width, p->in_format,
        (gint) job->blob->alpha_q15, (gint) job->blob->threshold_q8,
        job->first);
    memset (mask + p->width, 0, p->out_stride[0] - p->width);
  }
  __atomic_add_fetch (&job->foreground, count, __ATOMIC_RELAXED);
}

static gboolean
bgsub_process (GstRkCpuContext * ctx, GError ** error)
{
  const GstRkParams *p = ctx->params;
  GstRkCpuFrame frame;
  GstBuffer *out;
  GstRkBgsubState *st = ctx->state;
  BgsubJob job = { 0, };
  gboolean active;

  if (ctx->config->blob == NULL || p->out_format != RK_FORMAT_GRAY8 ||
      ctx->state_size < sizeof (GstRkBgsubState) +
      (gsize) p->width * p->height * 2) {
    gst_rk_error_not_negotiated (error, "bgsub");
    return FALSE;
  }
  if (!gst_rk_cpu_frame_map (ctx, &frame, error))
    return FALSE;
  job.p = p;
  job.blob = g_bytes_get_data (ctx->config->blob, NULL);
  job.src = frame.src;
  job.dst = frame.dst;
  job.model = (guint16 *) (st + 1);
  job.first = !st->initialised;
  gst_rk_cpu_context_parallel_for (ctx, p->height, bgsub_rows, &job);
  out = gst_rk_cpu_frame_unmap (&frame);

  st->initialised = 1;
  active = job.foreground > job.blob->motion_limit;
  if (active != (st->in_motion != 0)) {
    GstRkMotionEvent ev = { 0, };

    st->in_motion = active;
    ev.frame = st->frames;
    ev.foreground = job.foreground;
    ev.pixels = (guint64) p->width * p->height;
    ev.timestamp = GST_BUFFER_PTS (out);
    ev.active = active;
    if (!gst_rk_cpu_context_emit (ctx, RK_MSG_NOTIFY,
            gst_buffer_new_memdup (&ev, sizeof (ev)), error)) {
      gst_buffer_unref (out);
      return FALSE;
    }
  }
  st->frames++;
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA, out, error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_bgsub = {
  .name = "bgsub",
  .process = bgsub_process,
};
