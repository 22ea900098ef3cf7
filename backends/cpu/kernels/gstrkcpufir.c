/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkfir on the CPU: the partitioned convolution of runtime/kernels/
 * gstrkfir.c. Channels go in groups of 16 whose history, tails and
 * spectra lie together in the device state (GstRkFirState), so the cores
 * that run different groups never write the same cache line. Each group
 * runs every frame of the buffer for its channels, with the channels
 * innermost: the tap loop and the FFTs are vector code across channels,
 * while each channel's sums keep the specified order.
 */

#include <string.h>

#include "gstrkcpufft.h"
#include "gstrkcpuframe.h"
#include "gstrkcpukernel.h"
#include "gstrkcpuscratch.h"
#include "gstrkcpuvec.h"
#include "gstrkerrorprivate.h"
#include "gstrkkernellayouts.h"

GST_RK_CPU_VECTORIZE

/* Channels per group (GST_RK_FIR_CHANNELS): two AVX registers of
 * accumulators, and 8 complex lanes once paired for the FFTs. */
#define CHUNK GST_RK_FIR_CHANNELS
#define LANES (CHUNK / 2)
G_STATIC_ASSERT (LANES == 8);         /* gst_rk_cpu_fft8_* */

typedef struct
{
  guint C, P, K, Q;
  const gfloat *h;              /* K taps */
  const gfloat *g;              /* Q × (2P re, 2P im) */
  gfloat *state;                /* the groups' regions, after the header */
  const GstRkCpuFftPlan *plan;
  const gfloat *in;
  gfloat *out;
  guint frames;
  guint pos, head;              /* at the start of the buffer */
} FirJob;

/* One group's part of the state (see GstRkFirState). */
typedef struct
{
  gfloat *x;                    /* [2P][CHUNK] */
  gfloat *t;                    /* [P][CHUNK] */
  gfloat *s;                    /* Q × ([2P][LANES] re, [2P][LANES] im) */
} FirGroup;

static FirGroup
fir_group (const FirJob * job, guint b)
{
  const gsize P = job->P;
  FirGroup grp;

  grp.x = job->state + (gsize) b * gst_rk_fir_group_floats (job->P, job->Q);
  grp.t = grp.x + 2 * P * CHUNK;
  grp.s = grp.t + P * CHUNK;
  return grp;
}

/* Channels 2l and 2l + 1 of 16 consecutive floats, as lanes l = 0..7. */
#define EVEN8(a, b) __builtin_shufflevector ((a), (b), 0, 2, 4, 6, 8, 10, \
    12, 14)
#define ODD8(a, b) __builtin_shufflevector ((a), (b), 1, 3, 5, 7, 9, 11, \
    13, 15)

/* A block of input is complete: push its spectrum into the delay line and
 * compute the tail of the next one.
 *
 * Two real channels share one complex FFT (channel 2l in the real part of
 * lane l, 2l + 1 in the imaginary part): the taps are real, so
 * IDFT (Σ_q DFT (a + ib) G_q) = (a * g) + i (b * g) and each channel's
 * tail comes back in its own part. */
static GST_RK_CPU_HOT void
block_end (const FirJob * job, const FirGroup * grp, guint head)
{
  const guint P = job->P, N = 2 * P, Q = job->Q;
  gfloat *sr = grp->s + (gsize) head * 2 * N * LANES;
  gfloat *si = sr + (gsize) N * LANES;
  gfloat *yr = gst_rk_cpu_scratch (1, (gsize) 2 * N * LANES * sizeof (gfloat));
  gfloat *yi = yr + (gsize) N * LANES;
  const gfloat scale = 1.0f / N;
  guint k, q, j;

  for (k = 0; k < N; k++) {
    const gfloat *xr = grp->x + (gsize) k * CHUNK;
    GstRkV8sf a = gst_rk_v8sf_load (xr), b = gst_rk_v8sf_load (xr + 8);

    gst_rk_v8sf_store (sr + (gsize) k * LANES, EVEN8 (a, b));
    gst_rk_v8sf_store (si + (gsize) k * LANES, ODD8 (a, b));
  }
  gst_rk_cpu_fft8_forward_dif (job->plan, sr, si);

  /* Y = Σ_q S_{b-q} G_q, q ascending, per bin and lane, summed in
   * registers. The spectra are kept in bit-reversed order (row k holds bin
   * bitrev[k]), which the inverse transform takes as it is. */
  for (k = 0; k < N; k++) {
    const guint bin = job->plan->bitrev[k];
    GstRkV8sf accr = { 0.0f, }, acci = { 0.0f, };

    for (q = 0; q < Q; q++) {
      const guint slot = (head + Q - q) % Q;
      const gfloat *a = grp->s + (gsize) slot * 2 * N * LANES +
          (gsize) k * LANES;
      const gfloat br = job->g[(gsize) q * 2 * N + bin];
      const gfloat bi = job->g[(gsize) q * 2 * N + N + bin];
      GstRkV8sf x = gst_rk_v8sf_load (a);
      GstRkV8sf y = gst_rk_v8sf_load (a + (gsize) N * LANES);

      accr += x * br - y * bi;
      acci += x * bi + y * br;
    }
    gst_rk_v8sf_store (yr + (gsize) k * LANES, accr);
    gst_rk_v8sf_store (yi + (gsize) k * LANES, acci);
  }
  gst_rk_cpu_fft8_inverse_dit (job->plan, yr, yi);

  for (j = 0; j < P; j++) {
    GstRkV8sf a = gst_rk_v8sf_load (yr + (gsize) (P + j) * LANES) * scale;
    GstRkV8sf b = gst_rk_v8sf_load (yi + (gsize) (P + j) * LANES) * scale;
    gfloat *t = grp->t + (gsize) j * CHUNK;

    gst_rk_v8sf_store (t, __builtin_shufflevector (a, b, 0, 8, 1, 9, 2, 10,
            3, 11));
    gst_rk_v8sf_store (t + 8, __builtin_shufflevector (a, b, 4, 12, 5, 13, 6,
            14, 7, 15));
  }
}

/* The head sums of frames at positions p .. p + 3 of the block:
 * y = Σ_k h[k] x[n-k] + T[p], each sum in the specified order. Four frames
 * at a time keep eight independent sums in flight, where one frame's two
 * would wait on each other's additions. Named variables, so that GCC
 * keeps them in registers. x: the newest frame's row in X; y: output
 * rows, ystride floats apart. */
#define EACH4(M) M (0) M (1) M (2) M (3)
#define H_DECLARE(f) GstRkV8sf a##f = { 0.0f, }, b##f = { 0.0f, };
#define H_STEP(f) { \
  const gfloat *xf = xk + (gsize) (f) * CHUNK; \
  a##f += hk * gst_rk_v8sf_load (xf); \
  b##f += hk * gst_rk_v8sf_load (xf + 8); }
#define H_STORE(f) { \
  gfloat *yf = y + (gsize) (f) * ystride; \
  const gfloat *tf = tail + (gsize) (f) * CHUNK; \
  gst_rk_v8sf_store (yf, a##f + gst_rk_v8sf_load (tf)); \
  gst_rk_v8sf_store (yf + 8, b##f + gst_rk_v8sf_load (tf + 8)); }

static inline void
head_sums4 (const FirJob * job, const gfloat * x, gfloat * y, gsize ystride,
    const gfloat * tail)
{
  const guint Kd = MIN (job->K, job->P);
  guint k;
  EACH4 (H_DECLARE);

  for (k = 0; k < Kd; k++) {
    const gfloat hk = job->h[k], *xk = x - (gsize) k * CHUNK;
    EACH4 (H_STEP);
  }
  EACH4 (H_STORE);
}

/* One frame's head sums, the same arithmetic. */
static inline void
head_sums1 (const FirJob * job, const gfloat * x, gfloat * y,
    const gfloat * tail)
{
  const guint Kd = MIN (job->K, job->P);
  GstRkV8sf a = { 0.0f, }, b = { 0.0f, };
  guint k;

  for (k = 0; k < Kd; k++) {
    const gfloat hk = job->h[k], *xk = x - (gsize) k * CHUNK;

    a += hk * gst_rk_v8sf_load (xk);
    b += hk * gst_rk_v8sf_load (xk + 8);
  }
  gst_rk_v8sf_store (y, a + gst_rk_v8sf_load (tail));
  gst_rk_v8sf_store (y + 8, b + gst_rk_v8sf_load (tail + 8));
}

/* Every frame of the buffer for group b (channels c0 .. c0 + nc - 1), an
 * input block at a time: its new samples go into X first, then their head
 * sums; a completed input block computes the next one's tail and shifts X.
 * A group of fewer than 16 channels computes zeros in the other lanes and
 * writes out only its own. */
static GST_RK_CPU_HOT void
fir_group_run (const FirJob * job, guint b)
{
  const guint C = job->C, P = job->P, c0 = b * CHUNK;
  const guint nc = MIN (CHUNK, C - c0);
  const FirGroup grp = fir_group (job, b);
  guint pos = job->pos, head = job->head, i = 0, f;
  gfloat part[4 * CHUNK];

  while (i < job->frames) {
    const guint n = MIN (job->frames - i, P - pos);
    const gfloat *in = job->in + (gsize) i * C + c0;
    gfloat *out = job->out + (gsize) i * C + c0;
    gfloat *xn = grp.x + (gsize) (P + pos) * CHUNK;
    const gfloat *tail = grp.t + (gsize) pos * CHUNK;

    for (f = 0; f < n; f++) {
      gfloat *xf = xn + (gsize) f * CHUNK;
      const gfloat *src = in + (gsize) f * C;

      if (nc == CHUNK) {
        gst_rk_v8sf_store (xf, gst_rk_v8sf_load (src));
        gst_rk_v8sf_store (xf + 8, gst_rk_v8sf_load (src + 8));
      } else {
        memcpy (xf, src, nc * sizeof (gfloat));
      }
    }
    for (f = 0; f + 4 <= n; f += 4) {
      if (nc == CHUNK) {
        head_sums4 (job, xn + (gsize) f * CHUNK, out + (gsize) f * C, C,
            tail + (gsize) f * CHUNK);
      } else {
        guint g;

        head_sums4 (job, xn + (gsize) f * CHUNK, part, CHUNK,
            tail + (gsize) f * CHUNK);
        for (g = 0; g < 4; g++)
          memcpy (out + (gsize) (f + g) * C, part + g * CHUNK,
              nc * sizeof (gfloat));
      }
    }
    for (; f < n; f++) {
      head_sums1 (job, xn + (gsize) f * CHUNK, part, tail + (gsize) f * CHUNK);
      memcpy (out + (gsize) f * C, part, nc * sizeof (gfloat));
    }

    i += n;
    pos += n;
    if (pos == P) {
      pos = 0;
      if (job->Q > 0) {
        head = (head + 1) % job->Q;
        block_end (job, &grp, head);
      }
      memcpy (grp.x, grp.x + (gsize) P * CHUNK, (gsize) P * CHUNK *
          sizeof (gfloat));
    }
  }
}

static void
fir_groups (guint begin, guint end, gpointer data)
{
  guint b;

  for (b = begin; b < end; b++)
    fir_group_run (data, b);
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
    gst_rk_error_not_negotiated (error, "fir");
    return FALSE;
  }
  if (!gst_rk_cpu_audio_input (ctx, &size, error))
    return FALSE;
  bpf = (gsize) p->channels * sizeof (gfloat);
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
  job.state = (gfloat *) (st + 1);
  job.plan = job.Q ? gst_rk_cpu_fft_plan_get (2 * P) : NULL;
  job.pos = st->pos;
  job.head = st->head;

  gst_buffer_map (in, &imap, GST_MAP_READ);
  gst_buffer_map (out, &omap, GST_MAP_WRITE);
  job.in = (const gfloat *) imap.data;
  job.out = (gfloat *) omap.data;
  job.frames = (guint) (size / bpf);
  gst_rk_cpu_context_parallel_for (ctx, (job.C + CHUNK - 1) / CHUNK,
      fir_groups, &job);
  gst_buffer_unmap (out, &omap);
  gst_buffer_unmap (in, &imap);

  /* Every group walked the same frames: advance the shared positions. */
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
