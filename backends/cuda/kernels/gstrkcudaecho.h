/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkecho's device code (C/CUDA subset: also compiled into the tests' fake
 * device). The payload comes back unchanged; a REQUEST gets a REPLY. */
#ifndef __GST_RK_CUDA_ECHO_H__
#define __GST_RK_CUDA_ECHO_H__

#include "gstrkcudaportable.h"

RK_DEVFN void
rk_cuda_echo_process (RkCudaJob * job, RkCudaThreads t)
{
  const uint8_t *src = (const uint8_t *) (uintptr_t) job->in_ptr;
  uint8_t *dst = (uint8_t *) (uintptr_t) job->out_ptr;
  uint32_t n = job->in_size;

  for (uint64_t i = t.index; i < n; i += t.count)
    dst[i] = src[i];
  if (t.index == 0) {
    job->out_type = job->type == RK_MSG_REQUEST ? RK_MSG_REPLY : RK_MSG_DATA;
    job->out_size = n;
  }
}

#endif /* __GST_RK_CUDA_ECHO_H__ */
