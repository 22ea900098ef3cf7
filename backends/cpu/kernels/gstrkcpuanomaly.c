/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkanomaly on the CPU: Welford statistics per channel as specified in
 * runtime/kernels/gstrkanomaly.c. Channels go in blocks of 16 (four
 * vectors of four doubles) whose mean and m2 stay in registers for the
 * whole buffer; the blocks of large buffers are split over the cores. A
 * block notes the anomalies of its channels, and the dispatcher thread
 * emits all of them in (frame, channel) order afterwards.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gstrkcpuframe.h"
#include "gstrkcpukernel.h"
#include "gstrkcpuscratch.h"
#include "gstrkcpuvec.h"
#include "gstrkerrorprivate.h"
#include "gstrkkernellayouts.h"

GST_RK_CPU_VECTORIZE

/* Channels per block: four vectors of four doubles each for the mean and
 * m2, which fit the registers with room for the arithmetic. */
#define BLOCK 16

typedef struct
{
  guint C;
  guint frames;
  const gfloat *in;
  gdouble *mean, *m2;           /* [C] each */
  gdouble z2;                   /* z-threshold squared */
  guint64 min_samples;
  GArray **found;               /* per block: GstRkAnomalyEvent, or NULL */
  guint64 offset;               /* frames before this buffer */
} AnomalyJob;

/* Notes the anomalies of frame i among the block's channels, from the
 * statistics before the frame: the specified test, exactly. Rare: the
 * vectors are copied to memory only here. */
static __attribute__ ((noinline)) void
note_anomalies (AnomalyJob * job, guint b, guint i, const gdouble * x,
    const gdouble * mean, const gdouble * m2)
{
  const guint c0 = b * BLOCK, nc = MIN (BLOCK, job->C - c0);
  const guint64 seen = job->offset + i;
  const gdouble n = (gdouble) seen;
  guint c;

  for (c = 0; c < nc; c++) {
    GstRkAnomalyEvent ev = { 0, };
    gdouble d = x[c] - mean[c];

    if (!(m2[c] > 0.0 && d * d * n > job->z2 * m2[c]))
      continue;
    ev.channel = c0 + c;
    ev.offset = seen;
    ev.value = x[c];
    ev.mean = mean[c];
    ev.stddev = sqrt (m2[c] / n);
    ev.z = (ev.value - ev.mean) / ev.stddev;
    if (job->found[b] == NULL)
      job->found[b] = g_array_new (FALSE, FALSE, sizeof (ev));
    g_array_append_val (job->found[b], ev);
  }
}

/* The block's statistics live in four named vector pairs, mean0..3 and
 * m20..3 (each four channels): named variables stay in registers, where
 * GCC keeps arrays of vectors in memory. EACH4 (M) expands M for each. */
#define EACH4(M) M (0) M (1) M (2) M (3)
#define DECLARE(v) GstRkV4df mean##v, m2##v;
#define LOAD_STATE(v) \
  mean##v = gst_rk_vec_load (GstRkV4df, st[0] + 4 * v); \
  m2##v = gst_rk_vec_load (GstRkV4df, st[1] + 4 * v);
#define STORE_STATE(v) \
  gst_rk_vec_store (st[0] + 4 * v, mean##v); \
  gst_rk_vec_store (st[1] + 4 * v, m2##v);
/* (an initializer: GCC splits __builtin_convertvector of 4 floats) */
#define LOAD_X(v) GstRkV4df x##v = { row[4 * v], row[4 * v + 1], \
  row[4 * v + 2], row[4 * v + 3] };
#define TEST(v) any |= (x##v - mean##v) * (x##v - mean##v) * nn > z2 * m2##v;
#define SPILL(v) \
  gst_rk_vec_store (cx + 4 * v, x##v); \
  gst_rk_vec_store (cm + 4 * v, mean##v); \
  gst_rk_vec_store (c2 + 4 * v, m2##v);
#define UPDATE(v) { \
  GstRkV4df d = x##v - mean##v; \
  mean##v += d * rr; \
  m2##v += d * (x##v - mean##v); }
#define SAVE(v) const GstRkV4df mean##v##s = mean##v, m2##v##s = m2##v;
#define RESTORE(v) mean##v = mean##v##s; m2##v = m2##v##s;
#define SQUARE(v) GstRkV4df d##v = x##v - mean##v, q##v = d##v * d##v;
#define UPDATE_D(v) \
  mean##v += d##v * rr; \
  m2##v += d##v * (x##v - mean##v);

/* Frames screened at once. */
#define SCREEN 64

/* Samples of a buffer below which one core does all blocks. */
#define SPLIT_SAMPLES (1 << 19)

/* Lane-wise minimum. */
#define MIN4DF(a, b) __extension__ ({ GstRkV4df _a = (a), _b = (b); \
      GstRkV4di _m = _b < _a; \
      (GstRkV4df) (((GstRkV4di) _b & _m) | ((GstRkV4di) _a & ~_m)); })

/* Block b: channels c0 .. c0 + nc - 1 (nc ≤ BLOCK), every frame. Per
 * channel, in double precision as specified: with d = x - mean, an
 * anomaly when n ≥ min-samples, m2 > 0 and d² n > t² m2; then
 * mean += d r, m2 += d (x - mean). A block of fewer channels reads a
 * zero-padded copy of its input: the padding lanes keep m2 = 0, are never
 * anomalies and are not stored.
 *
 * Frames are screened SCREEN at a time, with one vector test per frame
 * instead of one per four channels: s, the rounded sum of the frame's d²
 * over the four vectors, bounds each of them; m2 never decreases once
 * n ≥ 1 (with r ≤ 1/2 the new mean stays between the old one and x, so d
 * and x - mean have one sign), so with monotonic rounding
 * d² n ≤ s n ≤ t² min (m2 at the chunk's start) ≤ t² m2 for every channel
 * of a lane when the bound holds: no anomaly. When it fails in a chunk
 * (and for NaN or infinite values, which fail it), the chunk runs again
 * from its start with the exact test per frame. */
static GST_RK_CPU_HOT void
anomaly_block (AnomalyJob * job, guint b)
{
  const guint C = job->C, c0 = b * BLOCK, nc = MIN (BLOCK, C - c0);
  const GstRkV4df z2 = { job->z2, job->z2, job->z2, job->z2 };
  gdouble st[2][BLOCK] = { {0.0,}, };
  const gfloat *in = job->in + c0;
  gsize stride = C;
  guint i, i0;
  EACH4 (DECLARE);

  if (nc < BLOCK) {
    gfloat *pad = gst_rk_cpu_scratch (0, (gsize) job->frames * BLOCK *
        sizeof (gfloat));

    memset (pad, 0, (gsize) job->frames * BLOCK * sizeof (gfloat));
    for (i = 0; i < job->frames; i++)
      memcpy (pad + (gsize) i * BLOCK, in + (gsize) i * C,
          nc * sizeof (gfloat));
    in = pad;
    stride = BLOCK;
  }
  memcpy (st[0], job->mean + c0, nc * sizeof (gdouble));
  memcpy (st[1], job->m2 + c0, nc * sizeof (gdouble));
  EACH4 (LOAD_STATE);

  for (i0 = 0; i0 < job->frames; i0 += SCREEN) {
    const guint i1 = MIN (job->frames, i0 + SCREEN);
    const guint64 first = job->offset + i0, last = job->offset + i1 - 1;
    const gboolean test = last >= job->min_samples;

    if (first >= job->min_samples && first >= 1) {
      GstRkV4df thr;
      GstRkV4di fail = { 0, };
      EACH4 (SAVE);

      thr = z2 * MIN4DF (MIN4DF (m20, m21), MIN4DF (m22, m23));
      for (i = i0; i < i1; i++) {
        const guint64 seen = job->offset + i;
        const gdouble n = (gdouble) seen, r = 1.0 / (gdouble) (seen + 1);
        const GstRkV4df nn = { n, n, n, n }, rr = { r, r, r, r };
        const gfloat *row = in + (gsize) i * stride;
        EACH4 (LOAD_X);
        EACH4 (SQUARE);

        fail |= ((q0 + q1) + (q2 + q3)) * nn > thr;
        EACH4 (UPDATE_D);
      }
      if (!(fail[0] | fail[1] | fail[2] | fail[3]))
        continue;
      EACH4 (RESTORE);
    }

    for (i = i0; i < i1; i++) {
      const guint64 seen = job->offset + i;
      const gdouble n = (gdouble) seen, r = 1.0 / (gdouble) (seen + 1);
      const GstRkV4df nn = { n, n, n, n }, rr = { r, r, r, r };
      const gfloat *row = in + (gsize) i * stride;
      EACH4 (LOAD_X);

      /* The vector test leaves out m2 > 0 (m2 = 0 only while a channel
       * has been constant, when d is 0 too); the exact test runs on the
       * rare frames that pass it. */
      if (test && seen >= job->min_samples) {
        GstRkV4di any = { 0, };

        EACH4 (TEST);
        if (G_UNLIKELY (any[0] | any[1] | any[2] | any[3])) {
          gdouble cx[BLOCK], cm[BLOCK], c2[BLOCK];

          EACH4 (SPILL);
          note_anomalies (job, b, i, cx, cm, c2);
        }
      }
      EACH4 (UPDATE);
    }
  }

  EACH4 (STORE_STATE);
  memcpy (job->mean + c0, st[0], nc * sizeof (gdouble));
  memcpy (job->m2 + c0, st[1], nc * sizeof (gdouble));
}

static void
anomaly_range (guint begin, guint end, gpointer data)
{
  guint b;

  for (b = begin; b < end; b++)
    anomaly_block (data, b);
}

static gint
event_cmp (gconstpointer a, gconstpointer b)
{
  const GstRkAnomalyEvent *x = a, *y = b;

  if (x->offset != y->offset)
    return x->offset < y->offset ? -1 : 1;
  return x->channel < y->channel ? -1 : x->channel > y->channel;
}

/* Emits what the blocks found, frames ascending, channels ascending
 * within a frame. */
static gboolean
emit_found (GstRkCpuContext * ctx, AnomalyJob * job, guint n_blocks,
    GstClockTime pts, GError ** error)
{
  GArray *all = NULL;
  gboolean ok = TRUE;
  guint b, i;

  for (b = 0; b < n_blocks; b++) {
    if (job->found[b] == NULL)
      continue;
    if (all == NULL) {
      all = job->found[b];
    } else {
      g_array_append_vals (all, job->found[b]->data, job->found[b]->len);
      g_array_free (job->found[b], TRUE);
    }
  }
  if (all == NULL)
    return TRUE;
  if (all->len > 1)
    qsort (all->data, all->len, sizeof (GstRkAnomalyEvent), event_cmp);
  for (i = 0; i < all->len && ok; i++) {
    GstRkAnomalyEvent ev = g_array_index (all, GstRkAnomalyEvent, i);

    ev.timestamp = GST_CLOCK_TIME_IS_VALID (pts) ?
        pts + gst_util_uint64_scale_int (ev.offset - job->offset, GST_SECOND,
        ctx->params->rate) : GST_CLOCK_TIME_NONE;
    ok = gst_rk_cpu_context_emit (ctx, RK_MSG_NOTIFY,
        gst_buffer_new_memdup (&ev, sizeof (ev)), error);
  }
  g_array_free (all, TRUE);
  return ok;
}

static gboolean
anomaly_process (GstRkCpuContext * ctx, GError ** error)
{
  const GstRkParams *p = ctx->params;
  GstBuffer *in = ctx->msg->payload;
  GstRkAnomalyState *st = ctx->state;
  GArray *found_stack[16];
  AnomalyJob job;
  guint n_blocks;
  GstMapInfo map;
  gsize size, bpf;
  gboolean ok;

  if (p->in_format != RK_FORMAT_F32LE || ctx->state_size <
      sizeof (GstRkAnomalyState) + (gsize) 2 * p->channels * sizeof (gdouble)) {
    gst_rk_error_not_negotiated (error, "anomaly");
    return FALSE;
  }
  if (!gst_rk_cpu_audio_input (ctx, &size, error))
    return FALSE;
  bpf = (gsize) p->channels * sizeof (gfloat);

  job.C = p->channels;
  job.frames = (guint) (size / bpf);
  job.mean = (gdouble *) (st + 1);
  job.m2 = job.mean + job.C;
  job.z2 = (gdouble) p->param[0] * (gdouble) p->param[0];
  job.min_samples = (guint64) p->param[1];
  job.offset = st->samples;
  n_blocks = (job.C + BLOCK - 1) / BLOCK;
  job.found = n_blocks <= G_N_ELEMENTS (found_stack) ? found_stack :
      g_new (GArray *, n_blocks);
  memset (job.found, 0, n_blocks * sizeof (GArray *));

  gst_buffer_map (in, &map, GST_MAP_READ);
  job.in = (const gfloat *) map.data;
  /* A sample costs well under a nanosecond here, while handing a block to
   * another core costs tens of microseconds (more when that core sleeps,
   * as an idle virtual CPU does): split only buffers worth it. */
  if ((gsize) job.frames * job.C >= SPLIT_SAMPLES)
    gst_rk_cpu_context_parallel_for (ctx, n_blocks, anomaly_range, &job);
  else
    anomaly_range (0, n_blocks, &job);
  gst_buffer_unmap (in, &map);
  st->samples += job.frames;

  ok = emit_found (ctx, &job, n_blocks, GST_BUFFER_PTS (in), error);
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
