/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkbgsub's device code (C/CUDA subset: also compiled into the tests' fake
 * device). The fixed-point running average of runtime/kernels/gstrkbgsub.c,
 * the same bytes and events as backends/cpu/kernels/gstrkcpubgsub.c. The
 * model is the kernel's device state (GstRkBgsubState, then width × height
 * Q8 values), so it lives across frames and is zeroed by a reset, which is
 * the CPU's initial state too.
 *
 * Phase 0, one pixel per thread and step: luma, mask, model update; each
 * thread adds its foreground count to job->acc[0] (one atomic per thread).
 * Phase 1, one thread: the motion crossing (a NOTIFY record in the extras
 * area, published before the mask as the CPU emits it) and the counters. */
#ifndef __GST_RK_CUDA_BGSUB_H__
#define __GST_RK_CUDA_BGSUB_H__

#include "gstrkcudajob.h"

/* GstRkBgsubBlob, GstRkBgsubState, GstRkMotionEvent
 * (runtime/kernels/gstrkkernellayouts.h) */
typedef struct
{
  uint32_t alpha_q15;
  uint32_t threshold_q8;
  uint32_t motion_limit;
  uint32_t luma;
} RkCudaBgsubBlob;

typedef struct
{
  uint32_t initialised;
  uint32_t in_motion;
  uint64_t frames;
  uint8_t _pad[48];
} RkCudaBgsubState;

typedef struct
{
  uint64_t frame;
  uint64_t foreground;
  uint64_t pixels;
  uint64_t timestamp;
  uint32_t active;
  uint32_t _pad;
} RkCudaMotionEvent;

RK_DEVFN void
rk_cuda_bgsub_process (RkCudaJob * job, RkCudaThreads t, uint32_t phase)
{
  const RkCudaBgsubBlob *blob = RK_CUDA_JOB_PTR (const RkCudaBgsubBlob,
      job->blob_ptr);
  RkCudaBgsubState *st = RK_CUDA_JOB_PTR (RkCudaBgsubState, job->state_ptr);
  const RkCudaParams *p = &job->params;

  if (phase == 0) {
    const uint8_t *src = RK_CUDA_JOB_PTR (const uint8_t, job->in_ptr) +
        p->in_offset[0];
    uint8_t *dst = RK_CUDA_JOB_PTR (uint8_t, job->out_ptr);
    uint16_t *model = (uint16_t *) (st + 1);
    const uint32_t stride = p->out_stride[0];
    const uint64_t n = (uint64_t) stride * p->height;
    const int first = !st->initialised;
    const int32_t alpha = (int32_t) blob->alpha_q15;
    const int32_t tau = (int32_t) blob->threshold_q8;
    const uint32_t ri = (p->in_format == RK_FORMAT_BGRA ||
        p->in_format == RK_FORMAT_BGRX) ? 2 : 0;
    const uint32_t bi = 2 - ri;
    uint64_t count = 0;

    for (uint64_t i = t.index; i < n; i += t.count) {
      uint32_t y = (uint32_t) (i / stride), x = (uint32_t) (i % stride);
      const uint8_t *row = src + (uint64_t) y * p->in_stride[0];
      uint16_t *b = model + (uint64_t) y * p->width + x;
      int32_t v, d, fg;

      if (x >= p->width) {
        dst[i] = 0;
        continue;
      }
      if (p->in_format == RK_FORMAT_GRAY8)
        v = row[x];
      else
        v = ((66 * row[4 * x + ri] + 129 * row[4 * x + 1] +
                25 * row[4 * x + bi] + 128) >> 8) + 16;
      if (first) {
        *b = (uint16_t) (v << 8);
        dst[i] = 0;
        continue;
      }
      d = (v << 8) - *b;
      fg = (d < 0 ? -d : d) > tau;
      dst[i] = fg ? 255 : 0;
      count += (uint64_t) fg;
      *b = (uint16_t) (*b + ((d * alpha) >> 15));
    }
    if (count)
      rk_atomic_add_u64 (&job->acc[0], count);
    return;
  }

  if (t.index == 0) {
    uint64_t foreground = job->acc[0];
    uint32_t active = foreground > blob->motion_limit;

    st->initialised = 1;
    if (active != (st->in_motion != 0)) {
      RkCudaMotionEvent *ev = (RkCudaMotionEvent *)
          rk_cuda_job_extra_append (job, RK_MSG_NOTIFY,
          sizeof (RkCudaMotionEvent));

      /* the host sized the extras area for this one record */
      st->in_motion = active;
      ev->frame = st->frames;
      ev->foreground = foreground;
      ev->pixels = (uint64_t) p->width * p->height;
      ev->timestamp = job->pts;
      ev->active = active;
      ev->_pad = 0;
    }
    st->frames++;
    job->out_type = RK_MSG_DATA;
    job->out_size = p->out_size;
  }
}

#endif /* __GST_RK_CUDA_BGSUB_H__ */
