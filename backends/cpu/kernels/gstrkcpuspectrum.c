/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkspectrum on the CPU: the framing of runtime/kernels/gstrkspectrum.c
 * with every output channel in one pass: the input ring and the
 * magnitude sums are [frame][channel], and one FFT call transforms all
 * channels at once (vector code across channels). A single channel (the
 * channels' mean) has nothing to vectorise across: its windows of one
 * buffer are transformed eight at a time instead, and added to the sums in
 * their order, so the sums are those of one window at a time.
 *
 * Where nfft is not a power of two the window, being real, is transformed
 * as the nfft/2 complex points x[2n] + i x[2n + 1] (Bluestein's algorithm
 * through m/2 points, half the blob's m) and split into the nfft/2 + 1
 * bands after: half the work of transforming nfft points with a zero
 * imaginary part, with tables of its own (the blob's chirp serves the
 * other backends, which take the specification's route; the bands agree
 * within the 0.01 dB the specification allows).
 */

#include <math.h>
#include <string.h>

#include "gstrkcpufft.h"
#include "gstrkcpuisa.h"
#include "gstrkcpuframe.h"
#include "gstrkcpukernel.h"
#include "gstrkcpuscratch.h"
#include "gstrkcpuvec.h"
#include "gstrkerrorprivate.h"
#include "gstrkkernellayouts.h"

GST_RK_CPU_VECTORIZE

/* Windows of the mixed-down signal wait until this many are there, then
 * take one transform, vector code across the windows. */
#define BATCH 8

/**
 * HalfPlan:
 * @half: L = nfft / 2 complex points
 * @m: Bluestein's transform size, a power of two ≥ 2 L - 1
 * @c_re, @c_im: the chirp e^{-iπ n² / L}, n < L
 * @b_re, @b_im: DFT_m of its conjugate, wrapped around, scaled by 1 / m
 * @w_re, @w_im: e^{-2πik / nfft}, k ≤ L: the split's twiddles
 *
 * The tables for one nfft, shared by every kernel and never freed (as the
 * FFT plans are).
 */
typedef struct
{
  guint half, m;
  gfloat *c_re, *c_im, *b_re, *b_im, *w_re, *w_im;
} HalfPlan;

static GMutex half_plans_lock;
static GHashTable *half_plans;  /* nfft → HalfPlan */

static const HalfPlan *
half_plan_get (guint nfft)
{
  HalfPlan *hp;

  g_mutex_lock (&half_plans_lock);
  if (half_plans == NULL)
    half_plans = g_hash_table_new (NULL, NULL);
  hp = g_hash_table_lookup (half_plans, GUINT_TO_POINTER (nfft));
  if (hp == NULL) {
    const guint L = nfft / 2;
    guint m, i;

    for (m = 1; m < 2 * L - 1; m <<= 1);
    hp = g_new0 (HalfPlan, 1);
    hp->half = L;
    hp->m = m;
    hp->c_re = g_new (gfloat, L);
    hp->c_im = g_new (gfloat, L);
    hp->b_re = g_new0 (gfloat, m);
    hp->b_im = g_new0 (gfloat, m);
    hp->w_re = g_new (gfloat, L + 1);
    hp->w_im = g_new (gfloat, L + 1);
    for (i = 0; i < L; i++) {
      /* n² mod 2L keeps the angle exact for large n */
      gdouble a = G_PI * (gdouble) ((guint64) i * i % (2 * L)) / L;

      hp->c_re[i] = (gfloat) cos (a);
      hp->c_im[i] = (gfloat) - sin (a);
      hp->b_re[i] = (gfloat) cos (a);
      hp->b_im[i] = (gfloat) sin (a);
      if (i > 0) {
        hp->b_re[m - i] = hp->b_re[i];
        hp->b_im[m - i] = hp->b_im[i];
      }
    }
    gst_rk_cpu_fft (gst_rk_cpu_fft_plan_get (m), hp->b_re, hp->b_im, 1, 1,
        FALSE);
    for (i = 0; i < m; i++) {
      hp->b_re[i] /= m;
      hp->b_im[i] /= m;
    }
    for (i = 0; i <= L; i++) {
      gdouble a = 2.0 * G_PI * i / nfft;

      hp->w_re[i] = (gfloat) cos (a);
      hp->w_im[i] = (gfloat) - sin (a);
    }
    g_hash_table_insert (half_plans, GUINT_TO_POINTER (nfft), hp);
  }
  g_mutex_unlock (&half_plans_lock);
  return hp;
}

/* X_k and X_{L-k} of the real window from Z_k and Z_{L-k} of its
 * half-length transform (Z_L = Z_0): with E = (Z_k + conj Z_{L-k}) / 2
 * and O = (Z_k - conj Z_{L-k}) / 2i, X_k = E + w^k O. */
static inline __attribute__ ((always_inline)) void
split_pair (gfloat zr, gfloat zi, gfloat yr, gfloat yi, gfloat wr, gfloat wi,
    gfloat * xr, gfloat * xi)
{
  gfloat er = 0.5f * (zr + yr), ei = 0.5f * (zi - yi);
  gfloat or_ = 0.5f * (zi + yi), oi = -0.5f * (zr - yr);

  *xr = er + wr * or_ - wi * oi;
  *xi = ei + wr * oi + wi * or_;
}

/* Rows n < L times the chirp c_n, in place. Inlined into the caller's
 * clones (GCC may keep a static inline function as one baseline copy). */
static inline __attribute__ ((always_inline)) void
times_chirp (const HalfPlan * hp, gfloat * re, gfloat * im, guint stride,
    guint nc)
{
  for (guint n = 0; n < hp->half; n++) {
    gfloat *r = re + (gsize) n * stride, *q = im + (gsize) n * stride;
    const gfloat cr = hp->c_re[n], ci = hp->c_im[n];

    for (guint c = 0; c < nc; c++) {
      gfloat yr = r[c], yi = q[c];
      r[c] = yr * cr - yi * ci;
      q[c] = yr * ci + yi * cr;
    }
  }
}

/* The DFT of nc real windows of nfft points (re's first nfft rows, not a
 * power of two), as described at the top: bands = nfft / 2 + 1 rows of re
 * and im out. */
static GST_RK_CPU_HOT void
transform_real (const HalfPlan * hp, gfloat * re, gfloat * im, guint stride,
    guint nc)
{
  const guint L = hp->half, m = hp->m;
  const GstRkCpuFftPlan *plan = gst_rk_cpu_fft_plan_get (m);
  guint n, k, c;

  /* z_n = x_2n + i x_2n+1; row n is read before it is written (2n ≥ n) */
  for (n = 0; n < L; n++) {
    const gfloat *xe = re + (gsize) 2 * n * stride, *xo = xe + stride;
    gfloat *r = re + (gsize) n * stride, *q = im + (gsize) n * stride;

    for (c = 0; c < nc; c++) {
      r[c] = xe[c];
      q[c] = xo[c];
    }
  }
  times_chirp (hp, re, im, stride, nc);
  memset (re + (gsize) L * stride, 0, (gsize) (m - L) * stride *
      sizeof (gfloat));
  memset (im + (gsize) L * stride, 0, (gsize) (m - L) * stride *
      sizeof (gfloat));
  gst_rk_cpu_fft (plan, re, im, stride, nc, FALSE);
  for (n = 0; n < m; n++) {
    gfloat *r = re + (gsize) n * stride, *q = im + (gsize) n * stride;
    const gfloat br = hp->b_re[n], bi = hp->b_im[n];

    for (c = 0; c < nc; c++) {
      gfloat xr = r[c] * br - q[c] * bi, xi = r[c] * bi + q[c] * br;
      r[c] = xr;
      q[c] = xi;
    }
  }
  gst_rk_cpu_fft (plan, re, im, stride, nc, TRUE);
  times_chirp (hp, re, im, stride, nc);

  /* the split, in place: X_L (row L is free) and X_0 from Z_0, then X_k
   * and X_{L-k} together from Z_k and Z_{L-k} */
  {
    gfloat *r0 = re, *q0 = im;
    gfloat *rl = re + (gsize) L * stride, *ql = im + (gsize) L * stride;

    for (c = 0; c < nc; c++) {
      rl[c] = r0[c] - q0[c];
      ql[c] = 0.0f;
      r0[c] = r0[c] + q0[c];
      q0[c] = 0.0f;
    }
  }
  for (k = 1; k <= L - k; k++) {
    gfloat *ra = re + (gsize) k * stride, *qa = im + (gsize) k * stride;
    gfloat *rb = re + (gsize) (L - k) * stride, *qb =
        im + (gsize) (L - k) * stride;
    const gfloat wra = hp->w_re[k], wia = hp->w_im[k];
    const gfloat wrb = hp->w_re[L - k], wib = hp->w_im[L - k];

    for (c = 0; c < nc; c++) {
      gfloat zr = ra[c], zi = qa[c], yr = rb[c], yi = qb[c];
      gfloat xr, xi, vr, vi;

      split_pair (zr, zi, yr, yi, wra, wia, &xr, &xi);
      split_pair (yr, yi, zr, zi, wrb, wib, &vr, &vi);
      ra[c] = xr;
      qa[c] = xi;
      rb[c] = vr;
      qb[c] = vi;
    }
  }
}

typedef struct
{
  const GstRkSpectrumBlob *blob;
  const gfloat *window;
  gfloat *ring;                 /* [nfft][C] */
  gfloat *mag;                  /* [bands][C] */
  gfloat *batch;                /* mixed down: windows waiting, [n][BATCH] */
  guint n_batched;
  const HalfPlan *half;         /* nfft not a power of two */
  void (*mix_down) (const gfloat * in, guint channels, guint n, gfloat * dst);
} Spectrum;

/* Rows of a transform's working space: nfft, or Bluestein's size where
 * the window goes through the half-length transform (≥ nfft: a power of
 * two ≥ nfft - 1, and nfft is not one) */
static gsize
transform_size (const Spectrum * sp)
{
  return sp->half ? sp->half->m : sp->blob->nfft;
}

/* Transforms @nc columns of windowed samples, rows @stride floats apart
 * (re and im hold transform_size () rows each), and adds their magnitudes
 * to the sums: column c to channel c's, or, with @one_sum, every column to
 * the one sum in column order (windows of the mixed-down signal in time
 * order: the sums of one window at a time). */
static GST_RK_CPU_HOT void
transform (const Spectrum * sp, gfloat * re, gfloat * im, guint stride,
    guint nc, gboolean one_sum)
{
  const GstRkSpectrumBlob *b = sp->blob;
  const guint nfft = b->nfft, bands = b->bands;
  const gdouble norm = (gdouble) nfft * nfft;
  guint i, c;

  if (sp->half) {
    transform_real (sp->half, re, im, stride, nc);
  } else {
    memset (im, 0, (gsize) nfft * stride * sizeof (gfloat));
    gst_rk_cpu_fft (gst_rk_cpu_fft_plan_get (nfft), re, im, stride, nc,
        FALSE);
  }

  for (i = 0; i < bands; i++) {
    const gfloat *r = re + (gsize) i * stride, *m = im + (gsize) i * stride;
    gfloat *acc = sp->mag + (gsize) i * (one_sum ? 1 : nc);

    for (c = 0; c < nc; c++) {
      gdouble val = r[c] * r[c];

      val += m[c] * m[c];
      val /= norm;
      val = 10.0 * log10 (val);
      if (val < b->threshold)
        val = b->threshold;
      if (one_sum)
        acc[0] = (gfloat) (acc[0] + val);
      else
        acc[c] = (gfloat) (acc[c] + val);
    }
  }
}

/* Every channel's window of the ring (oldest first) in one transform. */
static void
run_fft (const Spectrum * sp, guint input_pos)
{
  const guint nfft = sp->blob->nfft, C = sp->blob->out_channels;
  const gsize n = transform_size (sp);
  gfloat *re = gst_rk_cpu_scratch (0, 2 * n * C * sizeof (gfloat));
  guint i, c;

  for (i = 0; i < nfft; i++) {
    const gfloat *src = sp->ring + (gsize) ((input_pos + i) % nfft) * C;
    const gfloat w = sp->window[i];
    gfloat *r = re + (gsize) i * C;

    for (c = 0; c < C; c++)
      r[c] = src[c] * w;
  }
  transform (sp, re, re + n * C, C, C, FALSE);
}

/* The windows waiting, in order: a full batch in one transform, fewer one
 * by one (a column alone has a faster transform of its own). */
static void
flush_windows (Spectrum * sp)
{
  const gsize n = transform_size (sp);
  guint i, j;

  if (sp->n_batched == BATCH) {
    transform (sp, sp->batch, sp->batch + n * BATCH, BATCH, BATCH, TRUE);
  } else {
    gfloat *re = gst_rk_cpu_scratch (0, 2 * n * sizeof (gfloat));

    for (j = 0; j < sp->n_batched; j++) {
      for (i = 0; i < sp->blob->nfft; i++)
        re[i] = sp->batch[(gsize) i * BATCH + j];
      transform (sp, re, re + n, 1, 1, TRUE);
    }
  }
  sp->n_batched = 0;
}

/* The mixed-down signal's window of the ring (oldest first), queued. */
static void
add_window (Spectrum * sp, guint input_pos)
{
  const guint nfft = sp->blob->nfft;
  gfloat *col = sp->batch + sp->n_batched;
  guint i;

  for (i = 0; i < nfft; i++)
    col[(gsize) i * BATCH] = sp->ring[(input_pos + i) % nfft] * sp->window[i];
  if (++sp->n_batched == BATCH)
    flush_windows (sp);
}

#define MIX_LANES 8

/* The mean of each of @n frames, its channels summed in order (the
 * specification's arithmetic), into consecutive floats. One frame's sum
 * is a chain of dependent additions, so eight frames go side by side:
 * eight independent chains keep the adder busy instead of waiting on
 * each result, and reading the input stays the only cost. */
static inline void
mix_down (const gfloat * in, guint channels, guint n, gfloat * dst)
{
  guint i = 0, c, k;

  for (; i + MIX_LANES <= n; i += MIX_LANES, in += MIX_LANES * channels) {
    gfloat v[MIX_LANES] = { 0.0f, };

    for (c = 0; c < channels; c++)
      for (k = 0; k < MIX_LANES; k++)
        v[k] += in[(gsize) k * channels + c];
    for (k = 0; k < MIX_LANES; k++)
      dst[i + k] = v[k] / channels;
  }
  for (; i < n; i++, in += channels) {
    gfloat v = 0.0f;

    for (c = 0; c < channels; c++)
      v += in[c];
    dst[i] = v / channels;
  }
}

#if GST_RK_CPU_HAVE_AVX2
#include <immintrin.h>

/* The same sums, eight frames in the lanes of one vector: eight frames'
 * channels c..c+7 are loaded as rows and transposed, so each row becomes
 * one channel of the eight frames, and the rows are added in channel
 * order: the additions of the generic code, a vector at a time. */
static GST_RK_CPU_AVX2 void
mix_down_avx2 (const gfloat * in, guint channels, guint n, gfloat * dst)
{
  const __m256 count = _mm256_set1_ps ((gfloat) channels);
  guint i = 0, c, k;

  for (; i + 8 <= n; i += 8, in += 8 * channels) {
    __m256 v = _mm256_setzero_ps ();

    for (c = 0; c + 8 <= channels; c += 8) {
      __m256 r[8], t[8], u[8];

      for (k = 0; k < 8; k++)
        r[k] = _mm256_loadu_ps (in + (gsize) k * channels + c);
      for (k = 0; k < 8; k += 2) {
        t[k] = _mm256_unpacklo_ps (r[k], r[k + 1]);
        t[k + 1] = _mm256_unpackhi_ps (r[k], r[k + 1]);
      }
      for (k = 0; k < 8; k += 4) {
        u[k] = _mm256_shuffle_ps (t[k], t[k + 2], 0x44);
        u[k + 1] = _mm256_shuffle_ps (t[k], t[k + 2], 0xee);
        u[k + 2] = _mm256_shuffle_ps (t[k + 1], t[k + 3], 0x44);
        u[k + 3] = _mm256_shuffle_ps (t[k + 1], t[k + 3], 0xee);
      }
      /* u[k] (k < 4): channel c + k of frames 0-3 in its low half,
       * channel c + k + 4 in its high half; u[k + 4] those of frames 4-7 */
      for (k = 0; k < 4; k++) {
        r[k] = _mm256_permute2f128_ps (u[k], u[k + 4], 0x20);
        r[k + 4] = _mm256_permute2f128_ps (u[k], u[k + 4], 0x31);
      }
      for (k = 0; k < 8; k++)
        v = _mm256_add_ps (v, r[k]);
    }
    for (; c < channels; c++)
      v = _mm256_add_ps (v, _mm256_setr_ps (in[c], in[channels + c],
              in[2 * channels + c], in[3 * channels + c],
              in[4 * channels + c], in[5 * channels + c],
              in[6 * channels + c], in[7 * channels + c]));
    _mm256_storeu_ps (dst + i, _mm256_div_ps (v, count));
  }
  mix_down (in, channels, n - i, dst + i);
}
#endif

/* Frames into the ring: copied, or mixed down to their mean. */
static GST_RK_CPU_HOT void
input_frames (const Spectrum * sp, const gfloat * in, guint channels,
    guint n, guint pos)
{
  const guint nfft = sp->blob->nfft, C = sp->blob->out_channels;

  /* up to the ring's end, then from its start */
  while (n > 0) {
    guint run = MIN (n, nfft - pos);

    if (C == channels)
      memcpy (sp->ring + (gsize) pos * C, in,
          (gsize) run * C * sizeof (gfloat));
    else
      sp->mix_down (in, channels, run, sp->ring + pos);
    in += (gsize) run * channels;
    n -= run;
    pos = 0;
  }
}

static gboolean
post_interval (GstRkCpuContext * ctx, const Spectrum * sp,
    GstRkSpectrumState * st, GError ** error)
{
  const GstRkSpectrumBlob *b = sp->blob;
  const guint C = b->out_channels, bands = b->bands;
  gsize size = sizeof (GstRkSpectrumEvent) + (gsize) C * bands * 4;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);
  GstRkSpectrumEvent *ev;
  GstMapInfo map;
  gfloat *out;
  guint i, c;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  ev = (GstRkSpectrumEvent *) map.data;
  memset (ev, 0, sizeof (*ev));
  ev->timestamp = st->message_ts;
  ev->duration = b->interval;
  ev->out_channels = C;
  ev->bands = bands;
  ev->multi_channel = b->multi_channel;
  out = (gfloat *) (ev + 1);
  for (c = 0; c < C; c++)
    for (i = 0; i < bands; i++)
      out[(gsize) c * bands + i] = sp->mag[(gsize) i * C + c] / st->num_fft;
  gst_buffer_unmap (buf, &map);
  memset (sp->mag, 0, (gsize) bands * C * sizeof (gfloat));
  return gst_rk_cpu_context_emit (ctx, RK_MSG_NOTIFY, buf, error);
}

static gboolean
spectrum_process (GstRkCpuContext * ctx, GError ** error)
{
  const GstRkParams *p = ctx->params;
  GstBuffer *in = ctx->msg->payload;
  GstRkSpectrumState *st = ctx->state;
  GstClockTime pts;
  GstMapInfo map;
  Spectrum sp;
  gsize size, bpf;
  guint frames, done = 0, nfft;
  gboolean ok = TRUE;

  if (ctx->config->blob == NULL || p->in_format != RK_FORMAT_F32LE) {
    gst_rk_error_not_negotiated (error, "spectrum");
    return FALSE;
  }
  if (!gst_rk_cpu_audio_input (ctx, &size, error))
    return FALSE;
  bpf = (gsize) p->channels * sizeof (gfloat);

  sp.blob = g_bytes_get_data (ctx->config->blob, NULL);
  sp.window = (const gfloat *) (sp.blob + 1);
  sp.ring = (gfloat *) (st + 1);
  sp.mag = sp.ring + (gsize) sp.blob->nfft * sp.blob->out_channels;
  sp.n_batched = 0;
  nfft = sp.blob->nfft;
  sp.half = sp.blob->m ? half_plan_get (nfft) : NULL;
  sp.batch = sp.blob->out_channels == 1 ? gst_rk_cpu_scratch (1,
      2 * transform_size (&sp) * BATCH * sizeof (gfloat)) : NULL;
  sp.mix_down = mix_down;
#if GST_RK_CPU_HAVE_AVX2
  if (gst_rk_cpu_use_avx2 ())
    sp.mix_down = mix_down_avx2;
#endif
  if (!st->initialised) {
    st->frames_todo = sp.blob->frames_per_interval;
    st->accumulated_error = 0;
    st->initialised = 1;
  }

  frames = (guint) (size / bpf);
  pts = GST_BUFFER_PTS (in);
  gst_buffer_map (in, &map, GST_MAP_READ);
  while (ok && done < frames) {
    guint64 block;
    gboolean full;

    if (st->num_frames == 0)
      st->message_ts = GST_CLOCK_TIME_IS_VALID (pts) ?
          pts + gst_util_uint64_scale_int (done, GST_SECOND, p->rate) :
          GST_CLOCK_TIME_NONE;

    block = MIN (st->frames_todo - st->num_frames, frames - done);
    block = MIN (block, nfft - st->num_frames % nfft);
    input_frames (&sp, (const gfloat *) map.data + (gsize) done * p->channels,
        p->channels, (guint) block, st->input_pos);
    st->input_pos = (guint32) ((st->input_pos + block) % nfft);
    st->num_frames += block;
    done += (guint) block;

    full = st->num_frames == st->frames_todo;
    if (st->num_frames % nfft == 0 || (full && st->num_fft == 0)) {
      if (sp.batch)
        add_window (&sp, st->input_pos);
      else
        run_fft (&sp, st->input_pos);
      st->num_fft++;
    }
    if (full) {
      if (sp.batch)
        flush_windows (&sp);
      st->frames_todo = sp.blob->frames_per_interval;
      if (st->accumulated_error >= GST_SECOND) {
        st->accumulated_error -= GST_SECOND;
        st->frames_todo++;
      }
      st->accumulated_error += sp.blob->error_per_interval;
      ok = post_interval (ctx, &sp, st, error);
      st->num_frames = 0;
      st->num_fft = 0;
    }
  }
  gst_buffer_unmap (in, &map);
  /* the sums hold every window taken so far, as the state says */
  if (sp.batch)
    flush_windows (&sp);
  if (!ok)
    return FALSE;

  ctx->msg->payload = NULL;
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA, in, error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_spectrum = {
  .name = "spectrum",
  .process = spectrum_process,
};
