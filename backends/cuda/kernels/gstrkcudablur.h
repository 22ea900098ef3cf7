/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkblur's device code (C/CUDA subset: also compiled into the tests' fake
 * device). The formulas are those of runtime/kernels/gstrkblur.c, all in
 * integers, so the bytes equal the CPU reference's
 * (backends/cpu/kernels/gstrkcpublur.c).
 *
 * Two phases over the whole grid, one output byte per thread and step:
 * phase 0 makes the horizontal pass H (16-bit, in scratch: height × row
 * bytes), phase 1 the vertical pass from H into the output, and zeroes the
 * row padding. The grid barrier between them is what the separable blur
 * needs; each pass reads 2r + 1 values per byte, coalesced across a row. */
#ifndef __GST_RK_CUDA_BLUR_H__
#define __GST_RK_CUDA_BLUR_H__

#include "gstrkcudajob.h"

#define RK_CUDA_BLUR_MAX_RADIUS 48u

/* GstRkBlurBlob (runtime/kernels/gstrkkernellayouts.h) */
typedef struct
{
  uint32_t radius;
  int32_t weights[2 * RK_CUDA_BLUR_MAX_RADIUS + 1];
} RkCudaBlurBlob;

RK_DEVFN int32_t
rk_cuda_blur_clamp (int32_t v, int32_t hi)
{
  return v < 0 ? 0 : (v > hi ? hi : v);
}

RK_DEVFN void
rk_cuda_blur_process (RkCudaJob * job, RkCudaThreads t, uint32_t phase)
{
  const RkCudaBlurBlob *blob = RK_CUDA_JOB_PTR (const RkCudaBlurBlob,
      job->blob_ptr);
  const uint8_t *src = RK_CUDA_JOB_PTR (const uint8_t, job->in_ptr);
  uint8_t *dst = RK_CUDA_JOB_PTR (uint8_t, job->out_ptr);
  uint16_t *h = RK_CUDA_JOB_PTR (uint16_t, job->scratch_ptr);
  const RkCudaParams *p = &job->params;
  const uint32_t bpp = p->in_format == RK_FORMAT_GRAY8 ? 1 : 4;
  const uint32_t len = p->width * bpp;
  const int32_t r = (int32_t) blob->radius;
  const uint64_t n = (uint64_t) len * p->height;

  if (phase == 0) {
    /* H[y][e] = (Σ W_i P[y][clamp (x + i)] + 8) >> 4 */
    for (uint64_t i = t.index; i < n; i += t.count) {
      uint32_t y = (uint32_t) (i / len), e = (uint32_t) (i % len);
      uint32_t x = e / bpp, c = e % bpp;
      const uint8_t *row = src + p->in_offset[0] + (uint64_t) y *
          p->in_stride[0];
      uint32_t acc = 0;

      for (int32_t k = -r; k <= r; k++) {
        int32_t sx = rk_cuda_blur_clamp ((int32_t) x + k,
            (int32_t) p->width - 1);
        acc += (uint32_t) blob->weights[k + r] * row[(uint32_t) sx * bpp + c];
      }
      h[i] = (uint16_t) ((acc + 8) >> 4);
    }
    return;
  }

  /* O[y][e] = (Σ W_j H[clamp (y + j)][e] + 2^19) >> 20; padding 0 */
  {
    const uint32_t stride = p->out_stride[0];
    const uint64_t m = (uint64_t) stride * p->height;

    for (uint64_t i = t.index; i < m; i += t.count) {
      uint32_t y = (uint32_t) (i / stride), e = (uint32_t) (i % stride);
      uint32_t acc = 0;

      if (e < len) {
        for (int32_t k = -r; k <= r; k++) {
          int32_t sy = rk_cuda_blur_clamp ((int32_t) y + k,
              (int32_t) p->height - 1);
          acc += (uint32_t) blob->weights[k + r] *
              h[(uint64_t) sy * len + e];
        }
        acc = (acc + (1u << 19)) >> 20;
      }
      dst[p->out_offset[0] + i] = (uint8_t) acc;
    }
    if (t.index == 0) {
      job->out_type = RK_MSG_DATA;
      job->out_size = p->out_size;
    }
  }
}

#endif /* __GST_RK_CUDA_BLUR_H__ */
