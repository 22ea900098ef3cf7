/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkblur on the CPU: the fixed-point separable Gaussian of
 * runtime/kernels/gstrkblur.c. Each block of rows keeps a ring of 2r + 1
 * horizontally blurred rows (16-bit) in per-thread scratch, so a source
 * row is blurred once per block and the working set stays in cache.
 *
 * The AVX2 and AVX-512 paths (gstrkcpublursimd.h: one code for 8 and 16
 * 32-bit lanes) regroup the same integer sums (exact, so the bytes are
 * the same) around vpmaddwd, which multiplies pairs of 16-bit lanes by
 * pairs of weights and adds each pair into 32 bits:
 * - horizontally, a source row is widened to 16 bits in pixel pairs, each
 *   32-bit word one channel of pixels (2m, 2m + 1); one load of such
 *   words feeds the even output pixels (weights (W_t, W_t+1)) and the odd
 *   ones (weights (W_t-1, W_t)), so a madd applies two taps to a vector;
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

/* The ring of a strip, about the L1 data cache */
#define BLUR_STRIP_BYTES (32 * 1024)

/* Columns per strip (elements, a multiple of 64): the ring of R + 1
 * interleaved row pairs takes (R + 1) × 4 bytes per column. */
static gsize
strip_width (guint R)
{
  gsize n = (BLUR_STRIP_BYTES / (4 * (R + 1))) & ~(gsize) 63;

  return MAX (n, 128);
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

/* The AVX2 path: 8 32-bit lanes */
#define BS_NAME(name) name##_avx2
#define BS_TARGET GST_RK_CPU_AVX2
#define BS_VEC __m256i
#define BS_N 8
#define BS_LOAD(p) _mm256_loadu_si256 ((const __m256i *) (p))
#define BS_STORE(p, v) _mm256_storeu_si256 ((__m256i *) (p), (v))
#define BS_SET1(x) _mm256_set1_epi32 (x)
#define BS_MADD _mm256_madd_epi16
#define BS_ADD _mm256_add_epi32
#define BS_SRLI _mm256_srli_epi32
#define BS_SLLI _mm256_slli_epi32
#define BS_OR _mm256_or_si256
#define BS_XOR _mm256_xor_si256
#define BS_PACKUS32 _mm256_packus_epi32
#define BS_PACKS32 _mm256_packs_epi32
#define BS_PACKUS16 _mm256_packus_epi16
/* the packs work per 128-bit lane: put the 8-byte quarters in order */
#define BS_ORDER(v) _mm256_permute4x64_epi64 ((v), 0xd8)
/* 16 bytes, shuffled within 16 (o: 16 bytes), to 16-bit lanes */
#define BS_WIDEN(p, o) _mm256_cvtepu8_epi16 (_mm_shuffle_epi8 \
    (_mm_loadu_si128 ((const __m128i *) (p)), (o)))
#define BS_BVEC __m128i
#define BS_ORDER_BYTES(...) _mm_setr_epi8 (__VA_ARGS__)
#include "gstrkcpublursimd.h"

/* The AVX-512 path: 16 32-bit lanes, the same sums */
#define BS_NAME(name) name##_avx512
#define BS_TARGET GST_RK_CPU_AVX512
#define BS_VEC __m512i
#define BS_N 16
#define BS_LOAD(p) _mm512_loadu_si512 ((const void *) (p))
#define BS_STORE(p, v) _mm512_storeu_si512 ((void *) (p), (v))
#define BS_SET1(x) _mm512_set1_epi32 (x)
#define BS_MADD _mm512_madd_epi16
#define BS_ADD _mm512_add_epi32
/* the unmasked shifts and permutes trip GCC 12's -Wuninitialized (they
 * start from _mm512_undefined) */
#define BS_SRLI(a, n) _mm512_maskz_srli_epi32 ((__mmask16) 0xffff, (a), (n))
#define BS_SLLI(a, n) _mm512_maskz_slli_epi32 ((__mmask16) 0xffff, (a), (n))
#define BS_OR _mm512_or_si512
#define BS_XOR _mm512_xor_si512
#define BS_PACKUS32 _mm512_packus_epi32
#define BS_PACKS32 _mm512_packs_epi32
#define BS_PACKUS16 _mm512_packus_epi16
#define BS_ORDER(v) _mm512_maskz_permutexvar_epi64 ((__mmask8) 0xff, \
    _mm512_setr_epi64 (0, 2, 4, 6, 1, 3, 5, 7), (v))
#define BS_WIDEN(p, o) _mm512_cvtepu8_epi16 (_mm256_shuffle_epi8 \
    (_mm256_loadu_si256 ((const __m256i *) (p)), (o)))
#define BS_BVEC __m256i
#define BS_ORDER_BYTES(...) _mm256_setr_epi8 (__VA_ARGS__, __VA_ARGS__)
#include "gstrkcpublursimd.h"
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
  if (gst_rk_cpu_use_avx512 ())
    rows = blur_rows_avx512;
  else if (gst_rk_cpu_use_avx2 ())
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
