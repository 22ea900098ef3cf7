/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkgray on the CPU: the integer BT.601 luma of runtime/kernels/
 * gstrkgray.c, 32 pixels a step in 16-bit lanes (with AVX2: byte
 * multiply-adds); rows are split over the cores.
 */

#include <string.h>

#include "gstrkcpuisa.h"
#include "gstrkcpuframe.h"
#include "gstrkcpukernel.h"
#include "gstrkcpuvec.h"
#include "gstrkerrorprivate.h"
#include "gstrkframe.h"

GST_RK_CPU_VECTORIZE

/* The reference for every backend: Y = ((66 R + 129 G + 25 B + 128) >> 8)
 * + 16, integer BT.601 limited range. */
static inline guint8
bt601_luma (guint r, guint g, guint b)
{
  return (guint8) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
}

typedef void (*GrayRowFunc) (const guint8 * s, guint8 * d, guint w,
    gboolean bgr);

typedef struct
{
  const GstRkParams *p;
  const guint8 *src;
  guint8 *dst;
  GrayRowFunc row;
} GrayJob;

/* The luma of 8 packed 4-byte pixels, in bits 8-15 of 32-bit lanes. Seen
 * as 16-bit lanes a pixel is (R | G << 8, B | A << 8) (RGBA order; BGRA
 * swaps R and B), so one multiply of the low bytes by (66, 25) and one of
 * the high bytes by (129, 0) give t0 = 66 R + 129 G and t1 = 25 B in the
 * two halves of its 32-bit lane u. The low 16 bits of
 * u + (u >> 16) + 4224 are then t0 + t1 + 128 + (16 << 8) ≤ 60324, with no
 * carry out, so its bits 8-15 are ((t0 + t1 + 128) >> 8) + 16: exact. */
#define LUMA8(v, clo, chi) __extension__ ({ \
      GstRkV8su _u = (GstRkV8su) (((v) & 0xff) * (clo) + ((v) >> 8) * (chi)); \
      _u + (_u >> 16) + 4224; })

/* Byte 1 of each 32-bit lane of a, b, c, d, in order: 32 bytes. */
#define PICK_BYTE1(a, b, c, d) __extension__ ({ \
      GstRkV16hu _h0 = __builtin_shufflevector ((GstRkV16hu) (a), \
          (GstRkV16hu) (b), 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, \
          26, 28, 30); \
      GstRkV16hu _h1 = __builtin_shufflevector ((GstRkV16hu) (c), \
          (GstRkV16hu) (d), 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, \
          26, 28, 30); \
      __builtin_shufflevector ((GstRkV32qu) _h0, (GstRkV32qu) _h1, 1, 3, 5, \
          7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37, 39, \
          41, 43, 45, 47, 49, 51, 53, 55, 57, 59, 61, 63); })

static GST_RK_CPU_HOT void
gray_row (const guint8 * s, guint8 * d, guint w, gboolean bgr)
{
  const GstRkV16hu rgba = { 66, 25, 66, 25, 66, 25, 66, 25, 66, 25, 66, 25,
    66, 25, 66, 25
  };
  const GstRkV16hu bgra = { 25, 66, 25, 66, 25, 66, 25, 66, 25, 66, 25, 66,
    25, 66, 25, 66
  };
  const GstRkV16hu chi = { 129, 0, 129, 0, 129, 0, 129, 0, 129, 0, 129, 0,
    129, 0, 129, 0
  };
  const GstRkV16hu clo = bgr ? bgra : rgba;
  guint x = 0;

  for (; x + 32 <= w; x += 32) {
    const guint8 *p = s + (gsize) 4 * x;
    GstRkV16hu v0 = gst_rk_vec_load (GstRkV16hu, p);
    GstRkV16hu v1 = gst_rk_vec_load (GstRkV16hu, p + 32);
    GstRkV16hu v2 = gst_rk_vec_load (GstRkV16hu, p + 64);
    GstRkV16hu v3 = gst_rk_vec_load (GstRkV16hu, p + 96);

    gst_rk_vec_store (d + x, PICK_BYTE1 (LUMA8 (v0, clo, chi),
            LUMA8 (v1, clo, chi), LUMA8 (v2, clo, chi),
            LUMA8 (v3, clo, chi)));
  }
  for (; x < w; x++) {
    const guint8 *p = s + (gsize) 4 * x;

    d[x] = bgr ? bt601_luma (p[2], p[1], p[0]) : bt601_luma (p[0], p[1],
        p[2]);
  }
}

#if GST_RK_CPU_HAVE_AVX2
#include <immintrin.h>

/* 66 R + 129 G + 25 B of 8 pixels in 32-bit lanes, about half the
 * instructions of the generic code: vpmaddubsw gives 66 R + G and 25 B in
 * 16-bit halves (≤ 17085, no saturation), vpmaddwd adds them, and
 * (v >> 1) & 0x7f80 is the other 128 G. */
static inline GST_RK_CPU_AVX2 __m256i
luma_sum8 (__m256i v, __m256i c)
{
  return _mm256_add_epi32 (_mm256_madd_epi16 (_mm256_maddubs_epi16 (v, c),
          _mm256_set1_epi16 (1)), _mm256_and_si256 (_mm256_srli_epi32 (v, 1),
          _mm256_set1_epi32 (0x7f80)));
}

static GST_RK_CPU_AVX2 void
gray_row_avx2 (const guint8 * s, guint8 * d, guint w, gboolean bgr)
{
  const __m256i c = _mm256_set1_epi32 (bgr ? 0x00420119 : 0x00190142);
  /* + 128 rounds, + 16 << 8 is the offset: ≤ 60324, fits 16 bits */
  const __m256i bias = _mm256_set1_epi16 (128 + (16 << 8));
  const __m256i order = _mm256_setr_epi32 (0, 4, 1, 5, 2, 6, 3, 7);
  guint x = 0;

  for (; x + 32 <= w; x += 32) {
    const __m256i *p = (const __m256i *) (s + (gsize) 4 * x);
    __m256i a = _mm256_packus_epi32 (luma_sum8 (_mm256_loadu_si256 (p), c),
        luma_sum8 (_mm256_loadu_si256 (p + 1), c));
    __m256i b = _mm256_packus_epi32 (luma_sum8 (_mm256_loadu_si256 (p + 2),
            c), luma_sum8 (_mm256_loadu_si256 (p + 3), c));

    a = _mm256_srli_epi16 (_mm256_add_epi16 (a, bias), 8);
    b = _mm256_srli_epi16 (_mm256_add_epi16 (b, bias), 8);
    /* the packs work per 128-bit half: put the 4-pixel groups in order */
    _mm256_storeu_si256 ((__m256i *) (d + x),
        _mm256_permutevar8x32_epi32 (_mm256_packus_epi16 (a, b), order));
  }
  for (; x < w; x++) {
    const guint8 *q = s + (gsize) 4 * x;

    d[x] = bgr ? bt601_luma (q[2], q[1], q[0]) : bt601_luma (q[0], q[1],
        q[2]);
  }
}
#endif

static void
gray_rows (guint begin, guint end, gpointer data)
{
  const GrayJob *job = data;
  const GstRkParams *p = job->p;
  const gboolean bgr = p->in_format == RK_FORMAT_BGRA ||
      p->in_format == RK_FORMAT_BGRX;
  guint y;

  for (y = begin; y < end; y++) {
    const guint8 *s = job->src + p->in_offset[0] + (gsize) y * p->in_stride[0];
    guint8 *d = job->dst + (gsize) y * p->out_stride[0];

    if (p->in_format == RK_FORMAT_NV12 || p->in_format == RK_FORMAT_I420)
      memcpy (d, s, p->width);
    else
      job->row (s, d, p->width, bgr);
    memset (d + p->width, 0, p->out_stride[0] - p->width);
  }
}

static gboolean
gray_process (GstRkCpuContext * ctx, GError ** error)
{
  const GstRkParams *p = ctx->params;
  GstRkCpuFrame frame;
  GrayJob job;

  if (p->out_format != RK_FORMAT_GRAY8) {
    gst_rk_error_not_negotiated (error, "gray");
    return FALSE;
  }
  if (!gst_rk_cpu_frame_map (ctx, &frame, error))
    return FALSE;
  job.p = p;
  job.src = frame.src;
  job.dst = frame.dst;
  job.row = gray_row;
#if GST_RK_CPU_HAVE_AVX2
  if (gst_rk_cpu_use_avx2 ())
    job.row = gray_row_avx2;
#endif
  gst_rk_cpu_context_parallel_for (ctx, p->height, gray_rows, &job);
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA,
      gst_rk_cpu_frame_unmap (&frame), error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_gray = {
  .name = "gray",
  .process = gray_process,
};
