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

/* Channels per work item: 16 floats are two AVX registers of
 * accumulators, and 8 complex lanes once paired for the FFTs. */
#define CHUNK 16

typedef struct
{
  guint C, L, P, K, Q;          /* L = ceil (C / 2) FFT lanes */
  const gfloat *h;              /* K taps */
  const gfloat *g;              /* Q × (2P re, 2P im) */
  gfloat *x;                    /* [2P][C] */
  gfloat *t;                    /* [P][C] */
  gfloat *s;                    /* Q × ([2P][L] re, [2P][L] im) */
  const GstRkCpuFftPlan *plan;
  const gfloat *in;
  gfloat *out;
  guint frames;
  guint pos, head;              /* at the start of the buffer */
} FirJob;

/* A block is complete: push its spectrum into the delay line and compute
 * the tail of the next block, for channels c0 .. c0 + nc (c0 even).
 *
 * Two real channels share one complex FFT (channel 2l in the real part of
 * lane l, 2l + 1 in the imaginary part): the taps are real, so
 * IDFT (Σ_q DFT (a + ib) G_q) = (a * g) + i (b * g) and each channel's
 * tail comes back in its own part. */
static GST_RK_CPU_HOT void
block_end (const FirJob * job, guint c0, guint nc, guint head)
{
  const guint C = job->C, L = job->L, P = job->P, N = 2 * P;
  const guint l0 = c0 / 2, nl = (nc + 1) / 2;
  gfloat *sr = job->s + (gsize) head * 2 * N * L, *si = sr + (gsize) N * L;
  gfloat *yr = gst_rk_cpu_scratch (1, (gsize) 2 * N * nl * sizeof (gfloat));
  gfloat *yi = yr + (gsize) N * nl;
  const gfloat scale = 1.0f / N;
  guint k, l, q, j;

  for (k = 0; k < N; k++) {
    const gfloat *xr = job->x + (gsize) k * C + c0;
    gfloat *r = sr + (gsize) k * L + l0, *m = si + (gsize) k * L + l0;

    for (l = 0; l < nl; l++) {
      r[l] = xr[2 * l];
      m[l] = 2 * l + 1 < nc ? xr[2 * l + 1] : 0.0f;
    }
  }
  gst_rk_cpu_fft (job->plan, sr + l0, si + l0, L, nl, FALSE);

  memset (yr, 0, (gsize) 2 * N * nl * sizeof (gfloat));
  for (q = 0; q < job->Q; q++) {
    guint slot = (head + job->Q - q) % job->Q;
    const gfloat *ar = job->s + (gsize) slot * 2 * N * L + l0;
    const gfloat *ai = ar + (gsize) N * L;
    const gfloat *gr = job->g + (gsize) q * 2 * N, *gi = gr + N;

    for (k = 0; k < N; k++) {
      const gfloat br = gr[k], bi = gi[k];
      const gfloat *a_r = ar + (gsize) k * L, *a_i = ai + (gsize) k * L;
      gfloat *o_r = yr + (gsize) k * nl, *o_i = yi + (gsize) k * nl;

      for (l = 0; l + 8 <= nl; l += 8) {
        GstRkV8sf x = gst_rk_v8sf_load (a_r + l), y = gst_rk_v8sf_load (a_i + l);

        gst_rk_v8sf_store (o_r + l, gst_rk_v8sf_load (o_r + l) +
            (x * br - y * bi));
        gst_rk_v8sf_store (o_i + l, gst_rk_v8sf_load (o_i + l) +
            (x * bi + y * br));
      }
      for (; l < nl; l++) {
        o_r[l] += a_r[l] * br - a_i[l] * bi;
        o_i[l] += a_r[l] * bi + a_i[l] * br;
      }
    }
  }
  gst_rk_cpu_fft (job->plan, yr, yi, nl, nl, TRUE);
  for (j = 0; j < P; j++) {
    const gfloat *r = yr + (gsize) (P + j) * nl, *m = yi + (gsize) (P + j) * nl;
    gfloat *t = job->t + (gsize) j * C + c0;

    for (l = 0; l < nl; l++) {
      t[2 * l] = r[l] * scale;
      if (2 * l + 1 < nc)
        t[2 * l + 1] = m[l] * scale;
    }
  }
}

/* The head sums of one frame. A full chunk keeps its accumulators in
 * registers; the same order of operations either way. */
static inline void
head_sums (const FirJob * job, const gfloat * x, guint nc, gfloat * y,
    const gfloat * tail)
{
  const guint C = job->C, Kd = MIN (job->K, job->P);
  guint k, c;

  if (nc == CHUNK) {
    GstRkV8sf a0 = { 0.0f, }, a1 = { 0.0f, };

    for (k = 0; k < Kd; k++) {
      const gfloat hk = job->h[k], *xr = x - (gsize) k * C;
      a0 += hk * gst_rk_v8sf_load (xr);
      a1 += hk * gst_rk_v8sf_load (xr + 8);
    }
    gst_rk_v8sf_store (y, a0 + gst_rk_v8sf_load (tail));
    gst_rk_v8sf_store (y + 8, a1 + gst_rk_v8sf_load (tail + 8));
  } else {
    gfloat acc[CHUNK] = { 0.0f, };

    for (k = 0; k < Kd; k++) {
      const gfloat hk = job->h[k], *xr = x - (gsize) k * C;
      for (c = 0; c < nc; c++)
        acc[c] += hk * xr[c];
    }
    for (c = 0; c < nc; c++)
      y[c] = acc[c] + tail[c];
  }
}

static GST_RK_CPU_HOT void
fir_channels (const FirJob * job, guint c0, guint nc)
{
  const guint C = job->C, P = job->P;
  guint pos = job->pos, head = job->head, i, k;

  for (i = 0; i < job->frames; i++) {
    gfloat *xn = job->x + (gsize) (P + pos) * C + c0;

    memcpy (xn, job->in + (gsize) i * C + c0, nc * sizeof (gfloat));
    head_sums (job, xn, nc, job->out + (gsize) i * C + c0,
        job->t + (gsize) pos * C + c0);

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
fir_chunks (guint begin, guint end, gpointer data)
{
  const FirJob *job = data;
  guint b;

  for (b = begin; b < end; b++) {
    guint c0 = b * CHUNK;
    fir_channels (job, c0, MIN (CHUNK, job->C - c0));
  }
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
  job.L = (job.C + 1) / 2;
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
  gst_rk_cpu_context_parallel_for (ctx, (job.C + CHUNK - 1) / CHUNK,
      fir_chunks, &job);
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
