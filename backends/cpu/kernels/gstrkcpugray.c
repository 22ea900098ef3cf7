/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkgray on the CPU: the integer BT.601 luma of runtime/kernels/
 * gstrkgray.c, 32 pixels a step in 16-bit lanes; rows are split over the
 * cores.
 */

#include <string.h>

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

typedef struct
{
  const GstRkParams *p;
  const guint8 *src;
  guint8 *dst;
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
      gray_row (s, d, p->width, bgr);
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
  gst_rk_cpu_context_parallel_for (ctx, p->height, gray_rows, &job);
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA,
      gst_rk_cpu_frame_unmap (&frame), error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_gray = {
  .name = "gray",
  .process = gray_process,
};
