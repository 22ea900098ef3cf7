/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkblur on the CPU: the fixed-point separable Gaussian of
 * runtime/kernels/gstrkblur.c. Each block of rows keeps a ring of 2r + 1
 * horizontally blurred rows (16-bit) in per-thread scratch, so a source
 * row is blurred once per block and the working set stays in cache.
 *
 * The AVX2 path regroups the same integer sums (exact, so the bytes are
 * the same) around vpmaddwd, which multiplies pairs of 16-bit lanes by
 * pairs of weights and adds each pair into 32 bits:
 * - horizontally, a source row is widened to 16 bits in pixel pairs, each
 *   32-bit word one channel of pixels (2m, 2m + 1); one load of such
 *   words feeds the even output pixels (weights (W_t, W_t+1)) and the odd
 *   ones (weights (W_t-1, W_t)), so a madd applies two taps to 8 channels;
 * - the horizontal results of two rows (2k, 2k + 1) are stored
 *   interleaved, (H[2k][e], H[2k + 1][e]), biased to signed 16 bits
 *   (H - 32768, exact: H ≤ 65280), so one madd applies two rows' weights
 *   (the clamped rows' weights added up) and the vertical pass needs no
 *   shuffles; Σ W (H - 32768) = Σ W H - 32768 · 4096, added back at the
 *   end. The blocks keep even and odd pixels apart until the final pack;
 * - sums stay in registers across the taps, and the frame is cut into
 *   strips of columns so that the ring of r + 1 row pairs stays in the L1
 *   cache (the next rows' part of the strip is prefetched).
 */

#include <string.h>

#include "gstrkcpuisa.h"
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

#define BLUR_BIAS_H 32768


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

#if GST_RK_CPU_HAVE_AVX2
#include <immintrin.h>

/* acc + the pairwise products of the 16-bit lanes of a and w, in 32 bits */
#define MADD_ACC(acc, a, w) _mm256_add_epi32 (_mm256_madd_epi16 ((a), (w)), \
        (acc))

/* The ring of a strip, about the L1 data cache */
#define BLUR_STRIP_BYTES (32 * 1024)

/* Columns per strip (elements, a multiple of 32): the ring of R + 1
 * interleaved row pairs takes (R + 1) × 4 bytes per column. */
static gsize
strip_width (guint R)
{
  gsize n = (BLUR_STRIP_BYTES / (4 * (R + 1))) & ~(gsize) 31;

  return MAX (n, 64);
}

/* Bytes of a row for elements g0 .. g0 + n - 1, which may lie outside the
 * row: those read the nearest pixel's same channel. */
static const guint8 *
strip_source (const guint8 * row, gsize len, guint bpp, gssize g0, gsize n,
    guint8 * pad)
{
  const gssize end = g0 + (gssize) n;
  gssize g, lo, hi;

  if (g0 >= 0 && end <= (gssize) len)
    return row + g0;
  lo = CLAMP (0, g0, end);
  hi = CLAMP ((gssize) len, lo, end);
  for (g = g0; g < lo; g++)
    pad[g - g0] = row[((g % (gssize) bpp) + bpp) % bpp];
  if (hi > lo)
    memcpy (pad + (lo - g0), row + lo, hi - lo);
  for (g = hi; g < end; g++)
    pad[g - g0] = row[len - bpp + (g - (gssize) len) % bpp];
  return pad;
}

static void
prefetch_rows (const guint8 * r0, const guint8 * r1, gssize lo, gssize hi)
{
  gssize b;

  for (b = lo; b < hi; b += 64) {
    _mm_prefetch ((const char *) (r0 + b), _MM_HINT_T0);
    _mm_prefetch ((const char *) (r1 + b), _MM_HINT_T0);
  }
}

/* n bytes (a multiple of 16, starting at an even pixel) as 16-bit lanes
 * in pixel pairs: each 32-bit word holds one channel of two neighbouring
 * pixels, (P[2m], P[2m + 1]); word m · bpp + c is channel c of pair m. */
static GST_RK_CPU_AVX2 void
widen_pairs (const guint8 * b, guint bpp, guint16 * u, gsize n)
{
  /* RGBA R0 G0 B0 A0 R1 G1 B1 A1 → R0 R1 G0 G1 B0 B1 A0 A1 */
  const __m128i order = bpp == 4 ?
      _mm_setr_epi8 (0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15) :
      _mm_setr_epi8 (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  gsize i;

  for (i = 0; i < n; i += 16)
    _mm256_storeu_si256 ((__m256i *) (u + i),
        _mm256_cvtepu8_epi16 (_mm_shuffle_epi8 (_mm_loadu_si128 ((const
                        __m128i *) (b + i)), order)));
}

/* The weights as pairs for vpmaddwd, the radius rounded up to an even R
 * (zero weights beyond r): an output at an even pixel x takes pairs of
 * pixels (x - R + 2k, x - R + 2k + 1), one at an odd pixel the pairs from
 * x - R - 1, for k = 0 .. R; both read the same pixel pairs. */
typedef struct
{
  guint R;
  gint32 even[GST_RK_BLUR_MAX_RADIUS + 1];
  gint32 odd[GST_RK_BLUR_MAX_RADIUS + 1];
} BlurPairs;

static gint32
weight_at (const GstRkBlurBlob * blob, gint t)
{
  const gint r = (gint) blob->radius;

  return t >= -r && t <= r ? blob->weights[t + r] : 0;
}

static void
blur_pairs_init (BlurPairs * bp, const GstRkBlurBlob * blob)
{
  guint k;

  bp->R = (blob->radius + 1) & ~1u;
  for (k = 0; k <= bp->R; k++) {
    gint t = 2 * (gint) k - (gint) bp->R;

    bp->even[k] = (weight_at (blob, t) & 0xffff) |
        (weight_at (blob, t + 1) << 16);
    bp->odd[k] = (weight_at (blob, t - 1) & 0xffff) |
        (weight_at (blob, t) << 16);
  }
}

/* (H_a - 32768, H_b - 32768) in 16-bit halves, from the 32-bit sums + 8:
 * H ≤ 65280 fits the low half, and x ^ 0x8000 is x - 32768 in 16 bits. */
#define H_PAIR(a, b) _mm256_xor_si256 (_mm256_or_si256 ( \
      _mm256_srli_epi32 ((a), 4), \
      _mm256_slli_epi32 (_mm256_srli_epi32 ((b), 4), 16)), \
    _mm256_set1_epi32 ((gint32) 0x80008000u))

/* The horizontal pass of rows a and b for n elements (a multiple of 32)
 * from the pixel-pair rows ua, ub (which start R pixels left of the
 * first element). Each block of 16 elements is stored as the 8 of its
 * even pixels, then the 8 of its odd pixels, as (H_a, H_b) pairs; two
 * blocks at a time, so that eight sums stay in registers across the
 * taps. */
static GST_RK_CPU_AVX2 void
horizontal_pair (const guint16 * ua, const guint16 * ub, guint32 * out,
    gsize n, guint bpp, const BlurPairs * bp)
{
  const __m256i round = _mm256_set1_epi32 (8);
  gsize e;
  guint k;

  for (e = 0; e < n; e += 32) {
    __m256i ea0 = round, oa0 = round, eb0 = round, ob0 = round;
    __m256i ea1 = round, oa1 = round, eb1 = round, ob1 = round;

    for (k = 0; k <= bp->R; k++) {
      const __m256i we = _mm256_set1_epi32 (bp->even[k]);
      const __m256i wo = _mm256_set1_epi32 (bp->odd[k]);
      /* 8 words from 16-bit index e + 2 k · bpp: pixel pairs from the
       * first pixel of the block - R + 2k */
      const gsize o = e + (gsize) 2 * k * bpp;
      __m256i p = _mm256_loadu_si256 ((const __m256i *) (ua + o));

      ea0 = MADD_ACC (ea0, p, we);
      oa0 = MADD_ACC (oa0, p, wo);
      p = _mm256_loadu_si256 ((const __m256i *) (ub + o));
      eb0 = MADD_ACC (eb0, p, we);
      ob0 = MADD_ACC (ob0, p, wo);
      p = _mm256_loadu_si256 ((const __m256i *) (ua + o + 16));
      ea1 = MADD_ACC (ea1, p, we);
      oa1 = MADD_ACC (oa1, p, wo);
      p = _mm256_loadu_si256 ((const __m256i *) (ub + o + 16));
      eb1 = MADD_ACC (eb1, p, we);
      ob1 = MADD_ACC (ob1, p, wo);
    }
    _mm256_storeu_si256 ((__m256i *) (out + e), H_PAIR (ea0, eb0));
    _mm256_storeu_si256 ((__m256i *) (out + e + 8), H_PAIR (oa0, ob0));
    _mm256_storeu_si256 ((__m256i *) (out + e + 16), H_PAIR (ea1, eb1));
    _mm256_storeu_si256 ((__m256i *) (out + e + 24), H_PAIR (oa1, ob1));
  }
}

/* 32 output bytes in pixel order from the vertical sums of two blocks of
 * 16 elements (their even and odd pixels). */
static inline GST_RK_CPU_AVX2 __m256i
vertical_bytes (__m256i e0, __m256i o0, __m256i e1, __m256i o1, guint bpp)
{
  e0 = _mm256_srli_epi32 (e0, 20);
  o0 = _mm256_srli_epi32 (o0, 20);
  e1 = _mm256_srli_epi32 (e1, 20);
  o1 = _mm256_srli_epi32 (o1, 20);
  if (bpp == 1) {
    /* lane i: pixels 2i, 2i + 1 as two bytes; the pack works per 128-bit
     * half */
    e0 = _mm256_packus_epi32 (_mm256_or_si256 (e0, _mm256_slli_epi32 (o0,
                8)), _mm256_or_si256 (e1, _mm256_slli_epi32 (o1, 8)));
  } else {
    /* per half: the even pixel's 4 channels, then the odd one's */
    e0 = _mm256_packus_epi16 (_mm256_packs_epi32 (e0, o0),
        _mm256_packs_epi32 (e1, o1));
  }
  return _mm256_permute4x64_epi64 (e0, 0xd8);
}

/* 32768 · 4096 undoes the bias (the weights add up to 4096); 2^19
 * rounds. */
#define V_INIT (32768 * 4096 + (1 << 19))
#define V_LOAD(h, i) _mm256_loadu_si256 ((const __m256i *) ((h) + 8 * (i)))

/* The vertical pass of one row of a strip, n elements, from np row pairs
 * with pair weights wv[k] = (W_a, W_b): 64 elements at a time (eight
 * accumulators stay in registers across the pairs), then 32. */
static GST_RK_CPU_AVX2 void
vertical_row (guint32 * const *pairs, const gint32 * wv, guint np,
    guint8 * out, gsize n, guint bpp)
{
  const __m256i init = _mm256_set1_epi32 (V_INIT);
  guint8 tail[32];
  gsize e;
  guint k;

  for (e = 0; e + 64 <= n; e += 64) {
    __m256i a0 = init, a1 = init, a2 = init, a3 = init;
    __m256i a4 = init, a5 = init, a6 = init, a7 = init;

    for (k = 0; k < np; k++) {
      const __m256i w = _mm256_set1_epi32 (wv[k]);
      const guint32 *h = pairs[k] + e;

      a0 = MADD_ACC (a0, V_LOAD (h, 0), w);
      a1 = MADD_ACC (a1, V_LOAD (h, 1), w);
      a2 = MADD_ACC (a2, V_LOAD (h, 2), w);
      a3 = MADD_ACC (a3, V_LOAD (h, 3), w);
      a4 = MADD_ACC (a4, V_LOAD (h, 4), w);
      a5 = MADD_ACC (a5, V_LOAD (h, 5), w);
      a6 = MADD_ACC (a6, V_LOAD (h, 6), w);
      a7 = MADD_ACC (a7, V_LOAD (h, 7), w);
    }
    _mm256_storeu_si256 ((__m256i *) (out + e),
        vertical_bytes (a0, a1, a2, a3, bpp));
    _mm256_storeu_si256 ((__m256i *) (out + e + 32),
        vertical_bytes (a4, a5, a6, a7, bpp));
  }
  /* the ring's rows are a multiple of 32 elements long */
  for (; e < n; e += 32) {
    __m256i a0 = init, a1 = init, a2 = init, a3 = init;

    for (k = 0; k < np; k++) {
      const __m256i w = _mm256_set1_epi32 (wv[k]);
      const guint32 *h = pairs[k] + e;

      a0 = MADD_ACC (a0, V_LOAD (h, 0), w);
      a1 = MADD_ACC (a1, V_LOAD (h, 1), w);
      a2 = MADD_ACC (a2, V_LOAD (h, 2), w);
      a3 = MADD_ACC (a3, V_LOAD (h, 3), w);
    }
    if (e + 32 <= n) {
      _mm256_storeu_si256 ((__m256i *) (out + e),
          vertical_bytes (a0, a1, a2, a3, bpp));
    } else {
      _mm256_storeu_si256 ((__m256i *) tail,
          vertical_bytes (a0, a1, a2, a3, bpp));
      memcpy (out + e, tail, n - e);
    }
  }
}

static void
blur_rows_avx2 (guint begin, guint end, gpointer data)
{
  const BlurJob *job = data;
  const GstRkParams *p = job->p;
  const gint32 *W = job->blob->weights;
  const guint bpp = job->bpp, r = job->blob->radius;
  const gint h = (gint) p->height;
  const guint8 *src = job->src + p->in_offset[0];
  const gsize len = (gsize) p->width * bpp;
  BlurPairs bp;
  gsize strip, Rb, nb_max, e0;
  guint32 *ring, *pairs[GST_RK_BLUR_MAX_RADIUS + 2];
  guint16 *ua, *ub;
  guint8 *pad;
  gint32 wv[GST_RK_BLUR_MAX_RADIUS + 2];
  gint32 w2[2 * GST_RK_BLUR_MAX_RADIUS + 4];
  guint n_ring = r + 1, k;

  blur_pairs_init (&bp, job->blob);
  strip = strip_width (bp.R);
  Rb = (gsize) bp.R * bpp;
  nb_max = GST_ROUND_UP_16 (MIN (strip, GST_ROUND_UP_32 (len)) + 2 * Rb);
  ring = gst_rk_cpu_scratch (0, n_ring * strip * sizeof (guint32));
  pad = gst_rk_cpu_scratch (1, nb_max);
  ua = gst_rk_cpu_scratch (2, 2 * nb_max * sizeof (guint16));
  ub = ua + nb_max;

  /* strips start at even pixels: strip is a multiple of 32 elements */
  for (e0 = 0; e0 < len; e0 += strip) {
    const gsize n = MIN (strip, len - e0), n32 = GST_ROUND_UP_32 (n);
    const gsize nb = GST_ROUND_UP_16 (n32 + 2 * Rb);
    const gssize g0 = (gssize) e0 - (gssize) Rb;
    gint next = MAX ((gint) begin - (gint) r, 0) / 2;
    guint y;

    for (y = begin; y < end; y++) {
      const gint kmin = MAX ((gint) y - (gint) r, 0) / 2;
      const gint kmax = MIN ((gint) y + (gint) r, h - 1) / 2;
      const guint np = kmax - kmin + 1;
      guint8 *d = job->dst + p->out_offset[0] + (gsize) y * p->out_stride[0];
      gint j;

      /* the horizontal pass of the row pairs this row reaches */
      for (; next <= kmax; next++) {
        const gint ya = 2 * next, yb = MIN (ya + 1, h - 1);

        widen_pairs (strip_source (src + (gsize) ya * p->in_stride[0], len,
                bpp, g0, nb, pad), bpp, ua, nb);
        widen_pairs (strip_source (src + (gsize) yb * p->in_stride[0], len,
                bpp, g0, nb, pad), bpp, ub, nb);
        horizontal_pair (ua, ub, ring + (next % n_ring) * strip, n32, bpp,
            &bp);
        /* the strip's part of the next pair of rows: a strip is too short
         * a run for the hardware prefetchers */
        if (yb + 1 < h)
          prefetch_rows (src + (gsize) (yb + 1) * p->in_stride[0],
              src + (gsize) MIN (yb + 2, h - 1) * p->in_stride[0],
              MAX (g0, 0), MIN (g0 + (gssize) nb, (gssize) len));
      }

      /* the weights of the clamped rows, added up per row of each pair */
      memset (w2, 0, 2 * np * sizeof (gint32));
      for (j = -(gint) r; j <= (gint) r; j++)
        w2[CLAMP ((gint) y + j, 0, h - 1) - 2 * kmin] += W[j + r];
      for (k = 0; k < np; k++) {
        wv[k] = (w2[2 * k] & 0xffff) | (w2[2 * k + 1] << 16);
        pairs[k] = ring + ((kmin + k) % n_ring) * strip;
      }
      vertical_row (pairs, wv, np, d + e0, n, bpp);
      if (e0 + n == len)
        memset (d + len, 0, p->out_stride[0] - len);
    }
  }
}
#endif

static gboolean
blur_process (GstRkCpuContext * ctx, GError ** error)
{
  const GstRkParams *p = ctx->params;
  GstRkCpuFrame frame;
  GstRkCpuRangeFunc rows = blur_rows;
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
#if GST_RK_CPU_HAVE_AVX2
  /* vpmaddwd takes the weights as signed 16-bit: all are ≤ 4096 */
  if (gst_rk_cpu_use_avx2 ())
    rows = blur_rows_avx2;
#endif
  gst_rk_cpu_context_parallel_for (ctx, p->height, rows, &job);
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA,
      gst_rk_cpu_frame_unmap (&frame), error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_blur = {
  .name = "blur",
  .process = blur_process,
};
