/* The tests' "counter" kernel for CUDA (C/CUDA subset: compiled by nvcc
 * into tests' own fatbin and by the C compiler into the fake device). Its
 * state is a 64-bit count; each message yields the count after it as 8
 * little-endian bytes, as the CPU implementation in rktest.c does. */
#ifndef __RK_CUDA_COUNTER_H__
#define __RK_CUDA_COUNTER_H__

#include "gstrkcudaportable.h"

RK_DEVFN void
rk_test_counter_process (RkCudaJob * job, RkCudaThreads t)
{
  uint64_t *count = (uint64_t *) (uintptr_t) job->state_ptr;
  uint8_t *out = (uint8_t *) (uintptr_t) job->out_ptr;
  uint64_t c;

  if (t.index != 0)
    return;
  /* Each message adds the parameter "step" (param[0]), as on the CPU */
  c = *count += (uint64_t) job->params.param[0];
  for (uint32_t k = 0; k < 8; k++)
    out[k] = (uint8_t) (c >> (8 * k));
  job->out_type = job->type == RK_MSG_REQUEST ? RK_MSG_REPLY : RK_MSG_DATA;
  job->out_size = 8;
}

#endif /* __RK_CUDA_COUNTER_H__ */
