/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkanomaly on the CPU: Welford statistics per channel as specified in
 * runtime/kernels/gstrkanomaly.c. Channels are split over the cores; a
 * block notes the frames where its channels have anomalies, and the
 * dispatcher thread emits them in (frame, channel) order afterwards.
 */

#include <math.h>
#include <string.h>

#include "gstrkcpukernel.h"
#include "gstrkcpuscratch.h"
#include "gstrkcpuvec.h"
#include "gstrkerror.h"
#include "gstrkkernellayouts.h"

GST_RK_CPU_VECTORIZE

typedef struct
{
  guint C;
  guint frames;
  const gfloat *in;
  gdouble *mean, *m2;           /* [C] each */
  gdouble z2;                   /* z-threshold squared */
  guint64 min_samples;
  GArray **found;               /* per channel: GstRkAnomalyEvent, or NULL */
  guint64 offset;               /* frames before this buffer */
} AnomalyJob;

/* The spec's test |z| > t written without a root or a division:
 * d² n > t² m2. Then the Welford update. */
static GST_RK_CPU_HOT void
anomaly_channels (AnomalyJob * job, guint c0, guint c1)
{
  const guint C = job->C;
  const gdouble z2 = job->z2;
  guint8 *hit = gst_rk_cpu_scratch (0, C);
  gdouble *mean = job->mean, *m2 = job->m2;
  guint i, c;

  for (i = 0; i < job->frames; i++) {
    const gfloat *row = job->in + (gsize) i * C;
    const guint64 seen = job->offset + i;
    const gdouble n = (gdouble) seen, r = 1.0 / (gdouble) (seen + 1);

    if (seen >= job->min_samples) {
      guint any = 0;

      for (c = c0; c < c1; c++) {
        gdouble d = row[c] - mean[c];

        hit[c] = (m2[c] > 0.0) & (d * d * n > z2 * m2[c]);
        any |= hit[c];
      }
      if (G_UNLIKELY (any)) {
        for (c = c0; c < c1; c++) {
          GstRkAnomalyEvent ev = { 0, };

          if (!hit[c])
            continue;
          ev.channel = c;
          ev.offset = seen;
          ev.value = row[c];
          ev.mean = mean[c];
          ev.stddev = sqrt (m2[c] / n);
          ev.z = (ev.value - ev.mean) / ev.stddev;
          if (job->found[c] == NULL)
            job->found[c] = g_array_new (FALSE, FALSE, sizeof (ev));
          g_array_append_val (job->found[c], ev);
        }
      }
    }
    for (c = c0; c < c1; c++) {
      gdouble x = row[c], d = x - mean[c];

      mean[c] += d * r;
      m2[c] += d * (x - mean[c]);
    }
  }
}

static void
anomaly_range (guint begin, guint end, gpointer data)
{
  anomaly_channels (data, begin, end);
}

/* Emits what the blocks found, frames ascending, channels ascending
 * within a frame. */
static gboolean
emit_found (GstRkCpuContext * ctx, AnomalyJob * job, GstClockTime pts,
    GError ** error)
{
  guint *next = g_new0 (guint, job->C);
  gboolean ok = TRUE;

  for (;;) {
    guint best = G_MAXUINT, c;
    GstRkAnomalyEvent ev;

    for (c = 0; c < job->C; c++) {
      GArray *a = job->found[c];
      if (a && next[c] < a->len && (best == G_MAXUINT ||
              g_array_index (a, GstRkAnomalyEvent, next[c]).offset <
              g_array_index (job->found[best], GstRkAnomalyEvent,
                  next[best]).offset))
        best = c;
    }
    if (best == G_MAXUINT)
      break;
    ev = g_array_index (job->found[best], GstRkAnomalyEvent, next[best]++);
    ev.timestamp = GST_CLOCK_TIME_IS_VALID (pts) ?
        pts + gst_util_uint64_scale_int (ev.offset - job->offset, GST_SECOND,
        ctx->params->rate) : GST_CLOCK_TIME_NONE;
    if (ok)
      ok = gst_rk_cpu_context_emit (ctx, RK_MSG_NOTIFY,
          gst_buffer_new_memdup (&ev, sizeof (ev)), error);
  }
  for (guint c = 0; c < job->C; c++)
    if (job->found[c])
      g_array_free (job->found[c], TRUE);
  g_free (next);
  return ok;
}

static gboolean
anomaly_process (GstRkCpuContext * ctx, GError ** error)
{
  const GstRkParams *p = ctx->params;
  GstBuffer *in = ctx->msg->payload;
  GstRkAnomalyState *st = ctx->state;
  GArray *found_stack[64];
  AnomalyJob job;
  GstMapInfo map;
  gsize size, bpf;
  gboolean ok;

  if (p->in_format != RK_FORMAT_F32LE || ctx->state_size <
      sizeof (GstRkAnomalyState) + (gsize) 2 * p->channels * sizeof (gdouble)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "rkanomaly received a buffer before its caps were negotiated");
    return FALSE;
  }
  if (in == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "rkanomaly received a message without audio");
    return FALSE;
  }
  bpf = (gsize) p->channels * sizeof (gfloat);
  size = gst_buffer_get_size (in);
  if (size % bpf != 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "buffer of %" G_GSIZE_FORMAT " bytes is not a whole number of "
        "%u-channel F32LE frames", size, p->channels);
    return FALSE;
  }

  job.C = p->channels;
  job.frames = (guint) (size / bpf);
  job.mean = (gdouble *) (st + 1);
  job.m2 = job.mean + job.C;
  job.z2 = (gdouble) p->param[0] * (gdouble) p->param[0];
  job.min_samples = (guint64) p->param[1];
  job.offset = st->samples;
  job.found = job.C <= G_N_ELEMENTS (found_stack) ? found_stack :
      g_new (GArray *, job.C);
  memset (job.found, 0, job.C * sizeof (GArray *));

  gst_buffer_map (in, &map, GST_MAP_READ);
  job.in = (const gfloat *) map.data;
  gst_rk_cpu_context_parallel_for (ctx, job.C, anomaly_range, &job);
  gst_buffer_unmap (in, &map);
  st->samples += job.frames;

  ok = emit_found (ctx, &job, GST_BUFFER_PTS (in), error);
  if (job.found != found_stack)
    g_free (job.found);
  if (!ok)
    return FALSE;

  ctx->msg->payload = NULL;
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA, in, error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_anomaly = {
  .name = "anomaly",
  .process = anomaly_process,
};
