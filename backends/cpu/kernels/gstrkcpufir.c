/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkfir on the CPU: the partitioned convolution of runtime/kernels/
 * gstrkfir.c. Channels are split over the cores; each block runs every
 * frame of the buffer for its channels, with the channels innermost so
 * the tap loop and the FFTs are vector code across channels while each
 * channel's sums keep the specified order.
 */

#include <string.h>

#include "gstrkcpufft.h"
#include "gstrkcpukernel.h"
#include "gstrkcpuscratch.h"
#include "gstrkcpuvec.h"
#include "gstrkerror.h"
#include "gstrkkernellayouts.h"

GST_RK_CPU_VECTORIZE

/* Channels per work item; blocks of the pool take runs of items. */
#define CHANNEL_GROUP 8

typedef struct
{
  guint C, P, K, Q;
  const gfloat *h;              /* K taps */
  const gfloat *g;              /* Q × (2P re, 2P im) */
  gfloat *x;                    /* [2P][C] */
  gfloat *t;                    /* [P][C] */
  gfloat *s;                    /* Q × ([2P][C] re, [2P][C] im) */
  const GstRkCpuFftPlan *plan;
  const gfloat *in;
  gfloat *out;
  guint frames;
  guint pos, head;              /* at the start of the buffer */
} FirJob;

/* A block is complete: push its spectrum into the delay line and compute
 * the tail of the next block, for channels c0 .. c0 + nc. */
static GST_RK_CPU_HOT void
block_end (const FirJob * job, guint c0, guint nc, guint head)
{
  const guint C = job->C, P = job->P, N = 2 * P;
  gfloat *sr = job->s + (gsize) head * 2 * N * C, *si = sr + (gsize) N * C;
  gfloat *yr = gst_rk_cpu_scratch (1, (gsize) 2 * N * nc * sizeof (gfloat));
  gfloat *yi = yr + (gsize) N * nc;
  const gfloat scale = 1.0f / N;
  guint k, c, q, j;

  for (k = 0; k < N; k++) {
    memcpy (sr + (gsize) k * C + c0, job->x + (gsize) k * C + c0,
        nc * sizeof (gfloat));
    memset (si + (gsize) k * C + c0, 0, nc * sizeof (gfloat));
  }
  gst_rk_cpu_fft (job->plan, sr + c0, si + c0, C, nc, FALSE);

  memset (yr, 0, (gsize) 2 * N * nc * sizeof (gfloat));
  for (q = 0; q < job->Q; q++) {
    guint slot = (head + job->Q - q) % job->Q;
    const gfloat *ar = job->s + (gsize) slot * 2 * N * C + c0;
    const gfloat *ai = ar + (gsize) N * C;
    const gfloat *gr = job->g + (gsize) q * 2 * N, *gi = gr + N;

    for (k = 0; k < N; k++) {
      const gfloat br = gr[k], bi = gi[k];
      const gfloat *a_r = ar + (gsize) k * C, *a_i = ai + (gsize) k * C;
      gfloat *o_r = yr + (gsize) k * nc, *o_i = yi + (gsize) k * nc;

      for (c = 0; c < nc; c++) {
        o_r[c] += a_r[c] * br - a_i[c] * bi;
        o_i[c] += a_r[c] * bi + a_i[c] * br;
      }
    }
  }
  gst_rk_cpu_fft (job->plan, yr, yi, nc, nc, TRUE);
  for (j = 0; j < P; j++)
    for (c = 0; c < nc; c++)
      job->t[(gsize) j * C + c0 + c] = yr[(gsize) (P + j) * nc + c] * scale;
}

static GST_RK_CPU_HOT void
fir_channels (const FirJob * job, guint c0, guint nc)
{
  const guint C = job->C, P = job->P, Kd = MIN (job->K, job->P);
  gfloat *acc = gst_rk_cpu_scratch (0, nc * sizeof (gfloat));
  guint pos = job->pos, head = job->head, i, k, c;

  for (i = 0; i < job->frames; i++) {
    const gfloat *xin = job->in + (gsize) i * C + c0;
    gfloat *y = job->out + (gsize) i * C + c0;
    const gfloat *tail = job->t + (gsize) pos * C + c0;

    memcpy (job->x + (gsize) (P + pos) * C + c0, xin, nc * sizeof (gfloat));
    for (c = 0; c < nc; c++)
      acc[c] = 0.0f;
    for (k = 0; k < Kd; k++) {
      const gfloat hk = job->h[k];
      const gfloat *xr = job->x + (gsize) (P + pos - k) * C + c0;

      for (c = 0; c < nc; c++)
        acc[c] += hk * xr[c];
    }
    for (c = 0; c < nc; c++)
      y[c] = acc[c] + tail[c];

    if (++pos == P) {
      pos = 0;
      if (job->Q > 0) {
        head = (head + 1) % job->Q;
        block_end (job, c0, nc, head);
      }
      for (k = 0; k < P; k++)
        memcpy (job->x + (gsize) k * C + c0, job->x + (gsize) (P + k) * C + c0,
            nc * sizeof (gfloat));
    }
  }
}

static void
fir_groups (guint begin, guint end, gpointer data)
{
  const FirJob *job = data;
  guint c0 = begin * CHANNEL_GROUP, c1 = MIN (end * CHANNEL_GROUP, job->C);

  fir_channels (job, c0, c1 - c0);
}

static gboolean
fir_process (GstRkCpuContext * ctx, GError ** error)
{
  const GstRkParams *p = ctx->params;
  GstBuffer *in = ctx->msg->payload, *out;
  GstRkFirState *st = ctx->state;
  const GstRkFirBlob *blob;
  GstMapInfo imap, omap;
  gsize size, bpf;
  FirJob job;
  guint P;

  if (ctx->config->blob == NULL || p->in_format != RK_FORMAT_F32LE) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "rkfir received a buffer before its caps were negotiated");
    return FALSE;
  }
  if (in == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "rkfir received a message without audio");
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
  if (size == 0) {
    ctx->msg->payload = NULL;
    return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA, in, error);
  }
  out = gst_rk_cpu_context_alloc (ctx, size, error);
  if (out == NULL)
    return FALSE;

  blob = g_bytes_get_data (ctx->config->blob, NULL);
  P = blob->block;
  job.C = p->channels;
  job.P = P;
  job.K = blob->n_taps;
  job.Q = blob->n_parts;
  job.h = (const gfloat *) (blob + 1);
  job.g = job.h + job.K;
  job.x = (gfloat *) (st + 1);
  job.t = job.x + (gsize) 2 * P * job.C;
  job.s = job.t + (gsize) P * job.C;
  job.plan = job.Q ? gst_rk_cpu_fft_plan_get (2 * P) : NULL;
  job.pos = st->pos;
  job.head = st->head;

  gst_buffer_map (in, &imap, GST_MAP_READ);
  gst_buffer_map (out, &omap, GST_MAP_WRITE);
  job.in = (const gfloat *) imap.data;
  job.out = (gfloat *) omap.data;
  job.frames = (guint) (size / bpf);
  gst_rk_cpu_context_parallel_for (ctx,
      (job.C + CHANNEL_GROUP - 1) / CHANNEL_GROUP, fir_groups, &job);
  gst_buffer_unmap (out, &omap);
  gst_buffer_unmap (in, &imap);

  /* Every block walked the same frames: advance the shared positions. */
  if (job.Q > 0)
    st->head = (guint32) ((st->head + (st->pos + job.frames) / P) % job.Q);
  st->pos = (guint32) ((st->pos + job.frames) % P);

  gst_buffer_copy_into (out, in,
      GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA, out, error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_fir = {
  .name = "fir",
  .process = fir_process,
};
