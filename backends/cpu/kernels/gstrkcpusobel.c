/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rksobel on the CPU: the integer Sobel magnitude of
 * runtime/kernels/gstrksobel.c. Per row, the column sums of the three
 * source rows go into padded 16-bit arrays; gx and gy then come from
 * neighbouring columns, all in loops across the row. Rows are split over
 * the cores.
 */

#include <math.h>
#include <string.h>

#include "gstrkcpuisa.h"
#include "gstrkcpuframe.h"
#include "gstrkcpukernel.h"
#include "gstrkcpuscratch.h"
#include "gstrkcpuvec.h"
#include "gstrkerrorprivate.h"
#include "gstrkframe.h"

GST_RK_CPU_VECTORIZE

typedef void (*SobelRowFunc) (const guint8 * up, const guint8 * mid,
    const guint8 * down, guint8 * out, guint w, gint threshold, gint16 * s,
    gint16 * d);

typedef struct
{
  const GstRkParams *p;
  const guint8 *src;
  guint8 *dst;
  gint threshold;
  SobelRowFunc row;
} SobelJob;

/* s: vertical [1 2 1] sums, d: vertical [-1 0 1] differences, each with
 * one clamped column on either side (index x + 1 is column x). */
static inline void
column_sums (const guint8 * up, const guint8 * mid, const guint8 * down,
    guint x, guint w, gint16 * s, gint16 * d)
{
  for (; x < w; x++) {
    s[x + 1] = (gint16) (up[x] + 2 * mid[x] + down[x]);
    d[x + 1] = (gint16) (down[x] - up[x]);
  }
  s[0] = s[1];
  d[0] = d[1];
  s[w + 1] = s[w];
  d[w + 1] = d[w];
}

/* Output columns x .. w - 1, one at a time. */
static inline void
magnitudes (const gint16 * s, const gint16 * d, guint8 * out, guint x,
    guint w, gint threshold)
{
  for (; x < w; x++) {
    gint gx = s[x + 2] - s[x];
    gint gy = d[x] + 2 * d[x + 1] + d[x + 2];
    gint n = MIN (gx * gx + gy * gy, 65025);
    gint m = (gint) sqrtf ((gfloat) n);

    /* sqrtf is within an ulp: fix the integer root exactly. */
    m -= m * m > n;
    m += (m + 1) * (m + 1) <= n;
    if (threshold > 0)
      m = m >= threshold ? 255 : 0;
    out[x] = (guint8) m;
  }
}

/* gx² + gy² of 8 lanes of gx, gy (|gx|, |gy| ≤ 1020), as floats: the
 * squares and their sum are integers below 2^22, exact in float. */
#define NORM8(gx, gy) __extension__ ({ \
      GstRkV8sf _x = __builtin_convertvector ((gx), GstRkV8sf); \
      GstRkV8sf _y = __builtin_convertvector ((gy), GstRkV8sf); \
      _x * _x + _y * _y; })

/* Lanes 0-7 and 8-15 of a 16-lane vector, as 8 32-bit lanes. */
#define LO8(v) __builtin_convertvector (__builtin_shufflevector ((v), (v), \
        0, 1, 2, 3, 4, 5, 6, 7), GstRkV8si)
#define HI8(v) __builtin_convertvector (__builtin_shufflevector ((v), (v), \
        8, 9, 10, 11, 12, 13, 14, 15), GstRkV8si)

/* min (255, floor (sqrt (n))) of 8 squared magnitudes; clamping the root
 * to 255 equals clamping n to 65025 first. */
#define ROOT8(n) __extension__ ({ \
      GstRkV8si _m = gst_rk_v8sf_isqrt (n); \
      _m - ((_m - 255) & (_m > 255)); })

/* One output row from three source rows (clamped at the frame's edges),
 * generic vector code: 32 pixels a step in 8-lane float arithmetic. With
 * a threshold t the root is not needed: min (255, floor (sqrt (n))) ≥ t
 * exactly when n ≥ t², as 1 ≤ t ≤ 255. */
static GST_RK_CPU_HOT void
sobel_row (const guint8 * up, const guint8 * mid, const guint8 * down,
    guint8 * out, guint w, gint threshold, gint16 * s, gint16 * d)
{
  const gfloat t2 = (gfloat) (threshold * threshold);
  guint x;

  column_sums (up, mid, down, 0, w, s, d);

  for (x = 0; x + 32 <= w; x += 32) {
    GstRkV8sf n[4];
    GstRkV8si m[4];
    guint h, i;

    for (h = 0; h < 2; h++) {
      const guint o = x + 16 * h;
      GstRkV16hi gx = gst_rk_vec_load (GstRkV16hi, s + o + 2) -
          gst_rk_vec_load (GstRkV16hi, s + o);
      GstRkV16hi dm = gst_rk_vec_load (GstRkV16hi, d + o + 1);
      GstRkV16hi gy = gst_rk_vec_load (GstRkV16hi, d + o) + dm + dm +
          gst_rk_vec_load (GstRkV16hi, d + o + 2);

      n[2 * h] = NORM8 (LO8 (gx), LO8 (gy));
      n[2 * h + 1] = NORM8 (HI8 (gx), HI8 (gy));
    }
    for (i = 0; i < 4; i++)
      m[i] = threshold > 0 ? (n[i] >= t2) & 255 : ROOT8 (n[i]);
    gst_rk_vec_store (out + x, gst_rk_vec_pack_u8 (m[0], m[1], m[2], m[3]));
  }
  magnitudes (s, d, out, x, w, threshold);
}

#if GST_RK_CPU_HAVE_AVX2
/* The same row with AVX2 intrinsics, all in 16-bit lanes. With
 * a = min (|gx|, 255), b = min (|gy|, 255) and n = a² + b² saturated at
 * 65535 (one saturating add), floor (sqrt (n)) is exactly
 * min (255, floor (sqrt (gx² + gy²))), and n ≥ t² exactly when
 * gx² + gy² ≥ t²: either |gx|, |gy| ≤ 255 and n is the true sum (or
 * saturated, where both sides give 255 and pass any t), or one of them
 * exceeds 255 and both n and the true sum are at least 65025. The root of
 * n ≤ 65535 is a float root truncated: the correctly rounded root of an
 * integer n < 2^22 never reaches the next integer, so the truncation is
 * the floor (the tests check all n). */
static GST_RK_CPU_AVX2 void
sobel_row_avx2 (const guint8 * up, const guint8 * mid, const guint8 * down,
    guint8 * out, guint w, gint threshold, gint16 * s, gint16 * d)
{
  const __m256i c255 = _mm256_set1_epi16 (255);
  const __m256i t2 = _mm256_set1_epi16 ((gint16) (threshold * threshold));
  guint x;

  for (x = 0; x + 16 <= w; x += 16) {
    __m256i u = _mm256_cvtepu8_epi16 (_mm_loadu_si128 ((const __m128i *)
            (up + x)));
    __m256i m = _mm256_cvtepu8_epi16 (_mm_loadu_si128 ((const __m128i *)
            (mid + x)));
    __m256i v = _mm256_cvtepu8_epi16 (_mm_loadu_si128 ((const __m128i *)
            (down + x)));

    _mm256_storeu_si256 ((__m256i *) (s + x + 1),
        _mm256_add_epi16 (_mm256_add_epi16 (u, v), _mm256_slli_epi16 (m, 1)));
    _mm256_storeu_si256 ((__m256i *) (d + x + 1), _mm256_sub_epi16 (v, u));
  }
  column_sums (up, mid, down, x, w, s, d);

  for (x = 0; x + 32 <= w; x += 32) {
    __m256i r[2];
    guint h;

    for (h = 0; h < 2; h++) {
      const gint16 *so = s + x + 16 * h, *dl = d + x + 16 * h;
      __m256i gx = _mm256_sub_epi16 (_mm256_loadu_si256 ((const __m256i *)
              (so + 2)), _mm256_loadu_si256 ((const __m256i *) so));
      __m256i gy = _mm256_add_epi16 (_mm256_add_epi16 (_mm256_loadu_si256
              ((const __m256i *) dl), _mm256_loadu_si256 ((const __m256i *)
                  (dl + 2))), _mm256_slli_epi16 (_mm256_loadu_si256 ((const
                      __m256i *) (dl + 1)), 1));
      __m256i a = _mm256_min_epu16 (_mm256_abs_epi16 (gx), c255);
      __m256i b = _mm256_min_epu16 (_mm256_abs_epi16 (gy), c255);
      __m256i n = _mm256_adds_epu16 (_mm256_mullo_epi16 (a, a),
          _mm256_mullo_epi16 (b, b));

      if (threshold > 0)        /* n ≥ t², unsigned */
        r[h] = _mm256_and_si256 (_mm256_cmpeq_epi16 (_mm256_max_epu16 (n,
                    t2), n), c255);
      else
        r[h] = gst_rk_avx2_isqrt_u16 (n);
    }
    /* packus works per 128-bit half: put the quarters back in order */
    _mm256_storeu_si256 ((__m256i *) (out + x),
        _mm256_permute4x64_epi64 (_mm256_packus_epi16 (r[0], r[1]), 0xd8));
  }
  magnitudes (s, d, out, x, w, threshold);
}
#endif

static void
sobel_rows (guint begin, guint end, gpointer data)
{
  const SobelJob *job = data;
  const GstRkParams *p = job->p;
  const guint w = p->width, h = p->height;
  /* s[1] and d[1] 32-byte aligned: the column sums are stored aligned */
  gint16 *s = (gint16 *) gst_rk_cpu_scratch (0, (w + 64) * sizeof (gint16))
      + 15;
  gint16 *d = (gint16 *) gst_rk_cpu_scratch (1, (w + 64) * sizeof (gint16))
      + 15;
  guint y;

  for (y = begin; y < end; y++) {
    const guint8 *base = job->src + p->in_offset[0];
    const guint8 *up = base + (gsize) (y > 0 ? y - 1 : 0) * p->in_stride[0];
    const guint8 *mid = base + (gsize) y * p->in_stride[0];
    const guint8 *down = base + (gsize) (y + 1 < h ? y + 1 : h - 1) *
        p->in_stride[0];
    guint8 *out = job->dst + (gsize) y * p->out_stride[0];

    job->row (up, mid, down, out, w, job->threshold, s, d);
    memset (out + w, 0, p->out_stride[0] - w);
  }
}

static gboolean
sobel_process (GstRkCpuContext * ctx, GError ** error)
{
  const GstRkParams *p = ctx->params;
  GstRkCpuFrame frame;
  SobelJob job;

  if (p->out_format != RK_FORMAT_GRAY8) {
    gst_rk_error_not_negotiated (error, "sobel");
    return FALSE;
  }
  if (!gst_rk_cpu_frame_map (ctx, &frame, error))
    return FALSE;
  job.p = p;
  job.src = frame.src;
  job.dst = frame.dst;
  job.threshold = (gint) p->param[0];
  job.row = sobel_row;
#if GST_RK_CPU_HAVE_AVX2
  if (gst_rk_cpu_use_avx2 ())
    job.row = sobel_row_avx2;
#endif
  gst_rk_cpu_context_parallel_for (ctx, p->height, sobel_rows, &job);
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA,
      gst_rk_cpu_frame_unmap (&frame), error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_sobel = {
  .name = "sobel",
  .process = sobel_process,
};
