/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkgray's device code (C/CUDA subset: also compiled into the tests' fake
 * device). The CPU reference is backends/cpu/kernels/gstrkcpugray.c:
 * Y = ((66 R + 129 G + 25 B + 128) >> 8) + 16 for packed RGB, the Y plane
 * for NV12/I420, output row padding 0.
 *
 * Each thread makes one 4-byte word of output (GRAY8 rows are padded to 4
 * bytes), reading packed pixels as 32-bit words (their rows are 4-byte
 * aligned; the host checks). */
#ifndef __GST_RK_CUDA_GRAY_H__
#define __GST_RK_CUDA_GRAY_H__

#include "gstrkcudaportable.h"

RK_DEVFN uint32_t
rk_cuda_bt601_luma (uint32_t px, uint32_t ri, uint32_t bi)
{
  uint32_t r = (px >> (8 * ri)) & 0xff;
  uint32_t g = (px >> 8) & 0xff;
  uint32_t b = (px >> (8 * bi)) & 0xff;

  return ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
}

RK_DEVFN void
rk_cuda_gray_process (RkCudaJob * job, RkCudaThreads t)
{
  const uint8_t *src = (const uint8_t *) (uintptr_t) job->in_ptr;
  uint8_t *dst = (uint8_t *) (uintptr_t) job->out_ptr;
  const uint32_t width = job->params.width;
  const uint32_t in_offset = job->params.in_offset[0];
  const uint32_t in_stride = job->params.in_stride[0];
  const uint32_t out_stride = job->params.out_stride[0];
  const uint32_t format = job->params.in_format;
  const uint32_t words = out_stride / 4;
  const uint32_t n = words * job->params.height;
  const int planar = format == RK_FORMAT_NV12 || format == RK_FORMAT_I420;
  const uint32_t ri = (format == RK_FORMAT_BGRA || format == RK_FORMAT_BGRX) ?
      2 : 0;
  const uint32_t bi = 2 - ri;

  for (uint64_t i = t.index; i < n; i += t.count) {
    uint32_t y = (uint32_t) i / words;
    uint32_t x0 = ((uint32_t) i % words) * 4;
    const uint8_t *row = src + in_offset + (uint64_t) y * in_stride;
    uint32_t word = 0;

    for (uint32_t k = 0; k < 4; k++) {
      uint32_t x = x0 + k, v = 0;

      if (x < width)
        v = planar ? row[x] :
            rk_cuda_bt601_luma (*(const uint32_t *) (row + 4 * x), ri, bi);
      word |= v << (8 * k);
    }
    *(uint32_t *) (dst + (uint64_t) y * out_stride + x0) = word;
  }
  if (t.index == 0) {
    job->out_type = RK_MSG_DATA;
    job->out_size = job->params.out_size;
  }
}

#endif /* __GST_RK_CUDA_GRAY_H__ */
