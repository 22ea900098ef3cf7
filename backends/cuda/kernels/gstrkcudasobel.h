/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rksobel's device code (C/CUDA subset: also compiled into the tests' fake
 * device). The integer Sobel magnitude of runtime/kernels/gstrksobel.c,
 * the same bytes as backends/cpu/kernels/gstrkcpusobel.c: 3×3 kernels
 * with clamped borders, m = min (255, floor (sqrt (gx² + gy²))), or
 * 255 / 0 against a threshold t > 0 (param 0).
 *
 * One output byte per thread and step; the root is an exact integer one
 * (eight steps of bisection: no float rounding to reason about). */
#ifndef __GST_RK_CUDA_SOBEL_H__
#define __GST_RK_CUDA_SOBEL_H__

#include "gstrkcudajob.h"

/* floor (sqrt (n)) for n ≤ 65025 */
RK_DEVFN uint32_t
rk_cuda_isqrt_u16 (uint32_t n)
{
  uint32_t m = 0;

  for (uint32_t bit = 128; bit != 0; bit >>= 1)
    if ((m + bit) * (m + bit) <= n)
      m += bit;
  return m;
}

RK_DEVFN void
rk_cuda_sobel_process (RkCudaJob * job, RkCudaThreads t)
{
  const RkCudaParams *p = &job->params;
  const uint8_t *base = RK_CUDA_JOB_PTR (const uint8_t, job->in_ptr) +
      p->in_offset[0];
  uint8_t *dst = RK_CUDA_JOB_PTR (uint8_t, job->out_ptr);
  const int32_t w = (int32_t) p->width, h = (int32_t) p->height;
  const uint32_t stride = p->out_stride[0];
  const uint64_t n = (uint64_t) stride * p->height;
  const int32_t threshold = (int32_t) p->param[0];

  for (uint64_t i = t.index; i < n; i += t.count) {
    int32_t y = (int32_t) (i / stride), x = (int32_t) (i % stride);
    uint32_t m = 0;

    if (x < w) {
      const uint8_t *up = base + (uint64_t) (y > 0 ? y - 1 : 0) *
          p->in_stride[0];
      const uint8_t *mid = base + (uint64_t) y * p->in_stride[0];
      const uint8_t *down = base + (uint64_t) (y + 1 < h ? y + 1 : h - 1) *
          p->in_stride[0];
      int32_t xl = x > 0 ? x - 1 : 0, xr = x + 1 < w ? x + 1 : w - 1;
      int32_t gx = (up[xr] + 2 * mid[xr] + down[xr]) -
          (up[xl] + 2 * mid[xl] + down[xl]);
      int32_t gy = (down[xl] - up[xl]) + 2 * (down[x] - up[x]) +
          (down[xr] - up[xr]);
      int32_t s = gx * gx + gy * gy;

      m = rk_cuda_isqrt_u16 ((uint32_t) (s < 65025 ? s : 65025));
      if (threshold > 0)
        m = (int32_t) m >= threshold ? 255 : 0;
    }
    dst[i] = (uint8_t) m;
  }
  if (t.index == 0) {
    job->out_type = RK_MSG_DATA;
    job->out_size = p->out_size;
  }
}

#endif /* __GST_RK_CUDA_SOBEL_H__ */
