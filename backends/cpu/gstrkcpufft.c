/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Radix-2 complex FFT over many channels at once: element k of channel c
 * is re[k × stride + c], im[k × stride + c]. Every butterfly loops over the
 * channels innermost, so the arithmetic of one channel is the plain
 * scalar FFT (the same rounding on every CPU) while the loop runs as
 * vector code across channels. This is the shape the GPU ports use too:
 * one thread per channel, the same butterfly order.
 *
 * Forward: X_k = Σ x_n e^{-2πikn/N}. Inverse: e^{+2πikn/N}, unscaled.
 */

#include <math.h>

#include "gstrkcpufft.h"
#include "gstrkcpuvec.h"

GST_RK_CPU_VECTORIZE

#define MAX_LOG2 20

static GMutex plans_lock;
static GstRkCpuFftPlan *plans[MAX_LOG2 + 1];

/**
 * gst_rk_cpu_fft_plan_get:
 * @n: a power of two, at most 2^20
 *
 * Returns: (transfer none): the tables for size @n, made on first use.
 */
const GstRkCpuFftPlan *
gst_rk_cpu_fft_plan_get (guint n)
{
  guint log2n = 0, i;
  GstRkCpuFftPlan *plan;

  g_return_val_if_fail (n >= 1 && (n & (n - 1)) == 0, NULL);
  while ((1u << log2n) < n)
    log2n++;
  g_return_val_if_fail (log2n <= MAX_LOG2, NULL);

  g_mutex_lock (&plans_lock);
  plan = plans[log2n];
  if (plan == NULL) {
    plan = g_new0 (GstRkCpuFftPlan, 1);
    plan->n = n;
    plan->tw_re = g_new (gfloat, MAX (n / 2, 1));
    plan->tw_im = g_new (gfloat, MAX (n / 2, 1));
    plan->bitrev = g_new (guint32, n);
    for (i = 0; i < n / 2; i++) {
      gdouble a = 2.0 * G_PI * i / n;
      plan->tw_re[i] = (gfloat) cos (a);
      plan->tw_im[i] = (gfloat) - sin (a);
    }
    for (i = 0; i < n; i++) {
      guint32 r = 0, b;
      for (b = 0; b < log2n; b++)
        r |= ((i >> b) & 1u) << (log2n - 1 - b);
      plan->bitrev[i] = r;
    }
    plan->stage_re = g_new (gfloat, MAX (n - 1, 1));
    plan->stage_im = g_new (gfloat, MAX (n - 1, 1));
    for (guint len = 2; len <= n; len <<= 1)
      for (i = 0; i < len / 2; i++) {
        plan->stage_re[len / 2 - 1 + i] = plan->tw_re[i * (n / len)];
        plan->stage_im[len / 2 - 1 + i] = plan->tw_im[i * (n / len)];
      }
    plans[log2n] = plan;
  }
  g_mutex_unlock (&plans_lock);
  return plan;
}

static inline void
swap_rows (gfloat * a, gfloat * b, guint nc)
{
  guint c;

  for (c = 0; c < nc; c++) {
    gfloat t = a[c];
    a[c] = b[c];
    b[c] = t;
  }
}

/* Each lane's u and v in the stages of half 1, 2 and 4 */
#define U1 0, 0, 2, 2, 4, 4, 6, 6
#define V1 1, 1, 3, 3, 5, 5, 7, 7
#define U2 0, 1, 0, 1, 4, 5, 4, 5
#define V2 2, 3, 2, 3, 6, 7, 6, 7
#define U4 0, 1, 2, 3, 0, 1, 2, 3
#define V4 4, 5, 6, 7, 4, 5, 6, 7

/* A stage of half ≤ 4 on the 8 elements @r, @i: lane l is the lower (u)
 * or upper element of its butterfly; both take u, v and the twiddle of
 * k = l mod half (@wr, @wi, per lane), and the upper one subtracts:
 * u + (-1) x is u - x exactly, the plain butterfly's arithmetic. */
#define STAGE8(r, i, U, V, wr, wi, s) do { \
      GstRkV8sf _ur = __builtin_shufflevector (r, r, U), \
          _ui = __builtin_shufflevector (i, i, U); \
      GstRkV8sf _vr = __builtin_shufflevector (r, r, V), \
          _vi = __builtin_shufflevector (i, i, V); \
      GstRkV8sf _xr = _vr * (wr) - _vi * (wi), _xi = _vr * (wi) + _vi * (wr); \
      r = _ur + (s) * _xr; \
      i = _ui + (s) * _xi; \
    } while (0)

/* The lanes' twiddles of a stage: k = l mod half */
#define STAGE_TW(t, half) ((GstRkV8sf) { (t)[0], (t)[1 % (half)], \
      (t)[2 % (half)], (t)[3 % (half)], (t)[4 % (half)], (t)[5 % (half)], \
      (t)[6 % (half)], (t)[7 % (half)] })

/* The stages of length 2, 4 and 8 of one column, a block of 8 elements
 * at a time: along k they are too short to vectorise. Inlined into each
 * clone of the caller, so that it is built for that clone's target. */
static inline __attribute__ ((always_inline)) void
first_stages8 (const GstRkCpuFftPlan * plan, gfloat * re, gfloat * im,
    gfloat sign)
{
  const guint n = plan->n;
  /* stage half h takes its twiddles at stage_re + h - 1 */
  const GstRkV8sf wr1 = STAGE_TW (plan->stage_re, 1);
  const GstRkV8sf wi1 = sign * STAGE_TW (plan->stage_im, 1);
  const GstRkV8sf wr2 = STAGE_TW (plan->stage_re + 1, 2);
  const GstRkV8sf wi2 = sign * STAGE_TW (plan->stage_im + 1, 2);
  const GstRkV8sf wr4 = STAGE_TW (plan->stage_re + 3, 4);
  const GstRkV8sf wi4 = sign * STAGE_TW (plan->stage_im + 3, 4);
  const GstRkV8sf s1 = { 1, -1, 1, -1, 1, -1, 1, -1 };
  const GstRkV8sf s2 = { 1, 1, -1, -1, 1, 1, -1, -1 };
  const GstRkV8sf s4 = { 1, 1, 1, 1, -1, -1, -1, -1 };

  for (guint b = 0; b < n; b += 8) {
    GstRkV8sf r = gst_rk_v8sf_load (re + b), i = gst_rk_v8sf_load (im + b);

    STAGE8 (r, i, U1, V1, wr1, wi1, s1);
    STAGE8 (r, i, U2, V2, wr2, wi2, s2);
    STAGE8 (r, i, U4, V4, wr4, wi4, s4);
    gst_rk_v8sf_store (re + b, r);
    gst_rk_v8sf_store (im + b, i);
  }
}

#undef U1
#undef V1
#undef U2
#undef V2
#undef U4
#undef V4
#undef STAGE8
#undef STAGE_TW

/* One column (a mixed-down spectrum, Bluestein's transforms of it): the
 * same butterflies with the same arithmetic, but a stage's butterflies
 * run along k, where the data and the stage's twiddles are contiguous,
 * so that they vectorise; across columns there is nothing to vectorise.
 * Inlined into each clone of fft_clones(), as first_stages8() is: GCC
 * otherwise keeps one copy, built for the baseline (SSE2). */
static inline __attribute__ ((always_inline)) void
fft_one_column (const GstRkCpuFftPlan * plan, gfloat * re, gfloat * im,
    gboolean inverse)
{
  const guint n = plan->n;
  const gfloat sign = inverse ? -1.0f : 1.0f;
  guint i, len, k, i0;

  for (i = 0; i < n; i++) {
    guint j = plan->bitrev[i];
    if (i < j) {
      gfloat t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }

  len = 2;
  if (n >= 8) {
    first_stages8 (plan, re, im, sign);
    len = 16;
  }
  for (; len <= n; len <<= 1) {
    const guint half = len / 2;
    const gfloat *twr = plan->stage_re + half - 1;
    const gfloat *twi = plan->stage_im + half - 1;

    for (i0 = 0; i0 < n; i0 += len) {
      gfloat *ur = re + i0, *ui = im + i0;
      gfloat *vr = ur + half, *vi = ui + half;

      for (k = 0; k < half; k++) {
        const gfloat wr = twr[k], wi = sign * twi[k];
        gfloat xr = vr[k] * wr - vi[k] * wi;
        gfloat xi = vr[k] * wi + vi[k] * wr;

        vr[k] = ur[k] - xr;
        vi[k] = ui[k] - xi;
        ur[k] = ur[k] + xr;
        ui[k] = ui[k] + xi;
      }
    }
  }
}

/**
 * fft_clones: (gst_rk_cpu_fft())
 * @stride: floats between consecutive elements of one channel
 * @nc: channels to transform (consecutive floats)
 *
 * Transforms @nc channels in place.
 */
static GST_RK_CPU_HOT void
fft_clones (const GstRkCpuFftPlan * plan, gfloat * re, gfloat * im,
    gsize stride, guint nc, gboolean inverse)
{
  guint n = plan->n, i, len, k, c;
  gfloat sign = inverse ? -1.0f : 1.0f;

  if (nc == 1 && stride == 1) {
    fft_one_column (plan, re, im, inverse);
    return;
  }

  for (i = 0; i < n; i++) {
    guint j = plan->bitrev[i];
    if (i < j) {
      swap_rows (re + i * stride, re + j * stride, nc);
      swap_rows (im + i * stride, im + j * stride, nc);
    }
  }

  for (len = 2; len <= n; len <<= 1) {
    guint half = len / 2, step = n / len;

    for (k = 0; k < half; k++) {
      const gfloat wr = plan->tw_re[k * step];
      const gfloat wi = sign * plan->tw_im[k * step];

      for (i = k; i < n; i += len) {
        gfloat *ur = re + i * stride, *ui = im + i * stride;
        gfloat *vr = re + (i + half) * stride, *vi = im + (i + half) * stride;

        for (c = 0; c + 8 <= nc; c += 8) {
          GstRkV8sf a = gst_rk_v8sf_load (vr + c), b = gst_rk_v8sf_load (vi + c);
          GstRkV8sf pr = gst_rk_v8sf_load (ur + c), pi = gst_rk_v8sf_load (ui + c);
          GstRkV8sf xr = a * wr - b * wi;
          GstRkV8sf xi = a * wi + b * wr;

          gst_rk_v8sf_store (vr + c, pr - xr);
          gst_rk_v8sf_store (vi + c, pi - xi);
          gst_rk_v8sf_store (ur + c, pr + xr);
          gst_rk_v8sf_store (ui + c, pi + xi);
        }
        for (; c < nc; c++) {
          gfloat xr = vr[c] * wr - vi[c] * wi;
          gfloat xi = vr[c] * wi + vi[c] * wr;

          vr[c] = ur[c] - xr;
          vi[c] = ui[c] - xi;
          ur[c] = ur[c] + xr;
          ui[c] = ui[c] + xi;
        }
      }
    }
  }
}

/**
 * fft8_forward_dif_clones: (gst_rk_cpu_fft8_forward_dif())
 * @re, @im: n rows of 8 lanes (row k at re + 8 k)
 *
 * Forward transform of 8 lanes in place, by decimation in frequency: the
 * input in natural order, the output in bit-reversed order (row p holds
 * bin bitrev[p]). Skips the permutation where the spectrum is only
 * multiplied bin by bin and transformed back with
 * gst_rk_cpu_fft8_inverse_dit().
 */
static GST_RK_CPU_HOT void
fft8_forward_dif_clones (const GstRkCpuFftPlan * plan, gfloat * re,
    gfloat * im)
{
  const guint n = plan->n;
  guint len, i0, k;

  for (len = n; len >= 2; len >>= 1) {
    const guint half = len / 2, step = n / len;

    for (i0 = 0; i0 < n; i0 += len) {
      for (k = 0; k < half; k++) {
        const gfloat wr = plan->tw_re[k * step], wi = plan->tw_im[k * step];
        gfloat *pr = re + 8 * (gsize) (i0 + k), *pi = im + 8 * (gsize) (i0 + k);
        gfloat *qr = pr + 8 * (gsize) half, *qi = pi + 8 * (gsize) half;
        GstRkV8sf ur = gst_rk_v8sf_load (pr), ui = gst_rk_v8sf_load (pi);
        GstRkV8sf vr = gst_rk_v8sf_load (qr), vi = gst_rk_v8sf_load (qi);
        GstRkV8sf dr = ur - vr, di = ui - vi;

        gst_rk_v8sf_store (pr, ur + vr);
        gst_rk_v8sf_store (pi, ui + vi);
        gst_rk_v8sf_store (qr, dr * wr - di * wi);
        gst_rk_v8sf_store (qi, dr * wi + di * wr);
      }
    }
  }
}

/**
 * fft8_inverse_dit_clones: (gst_rk_cpu_fft8_inverse_dit())
 * @re, @im: n rows of 8 lanes, in bit-reversed order
 *
 * Inverse transform (e^{+2πikn/N}, unscaled) of 8 lanes in place, by
 * decimation in time: the input in bit-reversed order, the output in
 * natural order.
 */
static GST_RK_CPU_HOT void
fft8_inverse_dit_clones (const GstRkCpuFftPlan * plan, gfloat * re,
    gfloat * im)
{
  const guint n = plan->n;
  guint len, i0, k;

  for (len = 2; len <= n; len <<= 1) {
    const guint half = len / 2, step = n / len;

    for (i0 = 0; i0 < n; i0 += len) {
      for (k = 0; k < half; k++) {
        const gfloat wr = plan->tw_re[k * step], wi = -plan->tw_im[k * step];
        gfloat *pr = re + 8 * (gsize) (i0 + k), *pi = im + 8 * (gsize) (i0 + k);
        gfloat *qr = pr + 8 * (gsize) half, *qi = pi + 8 * (gsize) half;
        GstRkV8sf ur = gst_rk_v8sf_load (pr), ui = gst_rk_v8sf_load (pi);
        GstRkV8sf vr = gst_rk_v8sf_load (qr), vi = gst_rk_v8sf_load (qi);
        GstRkV8sf xr = vr * wr - vi * wi, xi = vr * wi + vi * wr;

        gst_rk_v8sf_store (pr, ur + xr);
        gst_rk_v8sf_store (pi, ui + xi);
        gst_rk_v8sf_store (qr, ur - xr);
        gst_rk_v8sf_store (qi, ui - xi);
      }
    }
  }
}

/* The entry points of the three transforms above. GCC gives a non-static
 * target_clones function (its IFUNC and resolver) default visibility
 * whatever -fvisibility says, so the clones are static and these plain
 * functions call them: libgstringkernel-1.0 exports none of this. */
void
gst_rk_cpu_fft (const GstRkCpuFftPlan * plan, gfloat * re, gfloat * im,
    gsize stride, guint nc, gboolean inverse)
{
  fft_clones (plan, re, im, stride, nc, inverse);
}

void
gst_rk_cpu_fft8_forward_dif (const GstRkCpuFftPlan * plan, gfloat * re,
    gfloat * im)
{
  fft8_forward_dif_clones (plan, re, im);
}

void
gst_rk_cpu_fft8_inverse_dit (const GstRkCpuFftPlan * plan, gfloat * re,
    gfloat * im)
{
  fft8_inverse_dit_clones (plan, re, im);
}
