/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The few primitives the device protocol needs, for both compilers:
 * system-scope acquire/release on mapped memory, a clock, an idle sleep and
 * the calling thread's place in the grid.
 *
 * Under nvcc they are the real device operations (cuda::atomic_ref with
 * thread_scope_system, %globaltimer, __nanosleep). Under a C compiler they
 * are their host equivalents, so that the same protocol code
 * (gstrkcudaloop.h) and the same kernel bodies run in a host thread: that is
 * how the tests exercise them without a GPU.
 */
#ifndef __GST_RK_CUDA_PORTABLE_H__
#define __GST_RK_CUDA_PORTABLE_H__

#include "gstrkcudaprotocol.h"

/* This thread's index in the grid and the grid's thread count: work is
 * shared out as for (i = index; i < n; i += count). */
typedef struct
{
  uint64_t index;
  uint64_t count;
} RkCudaThreads;

#ifdef __CUDACC__

#include <cuda/atomic>

#define RK_DEVFN static __device__ __forceinline__

RK_DEVFN uint64_t
rk_load_acquire_u64 (const uint64_t * p)
{
  return cuda::atomic_ref<uint64_t, cuda::thread_scope_system>
      (*const_cast<uint64_t *> (p)).load (cuda::memory_order_acquire);
}

RK_DEVFN uint32_t
rk_load_acquire_u32 (const uint32_t * p)
{
  return cuda::atomic_ref<uint32_t, cuda::thread_scope_system>
      (*const_cast<uint32_t *> (p)).load (cuda::memory_order_acquire);
}

RK_DEVFN void
rk_store_release_u64 (uint64_t * p, uint64_t v)
{
  cuda::atomic_ref<uint64_t, cuda::thread_scope_system> (*p).store (v,
      cuda::memory_order_release);
}

RK_DEVFN void
rk_store_release_u32 (uint32_t * p, uint32_t v)
{
  cuda::atomic_ref<uint32_t, cuda::thread_scope_system> (*p).store (v,
      cuda::memory_order_release);
}

RK_DEVFN uint64_t
rk_now_ns (void)
{
  uint64_t t;

  asm volatile ("mov.u64 %0, %%globaltimer;":"=l" (t));
  return t;
}

RK_DEVFN void
rk_sleep_ns (uint32_t ns)
{
  __nanosleep (ns);
}

RK_DEVFN RkCudaThreads
rk_cuda_threads (void)
{
  RkCudaThreads t;

  t.index = (uint64_t) blockIdx.x * blockDim.x + threadIdx.x;
  t.count = (uint64_t) gridDim.x * blockDim.x;
  return t;
}

#else /* host C: the test double runs the protocol in a thread */

#include <time.h>

#define RK_DEVFN static inline

RK_DEVFN uint64_t
rk_load_acquire_u64 (const uint64_t * p)
{
  return __atomic_load_n (p, __ATOMIC_ACQUIRE);
}

RK_DEVFN uint32_t
rk_load_acquire_u32 (const uint32_t * p)
{
  return __atomic_load_n (p, __ATOMIC_ACQUIRE);
}

RK_DEVFN void
rk_store_release_u64 (uint64_t * p, uint64_t v)
{
  __atomic_store_n (p, v, __ATOMIC_RELEASE);
}

RK_DEVFN void
rk_store_release_u32 (uint32_t * p, uint32_t v)
{
  __atomic_store_n (p, v, __ATOMIC_RELEASE);
}

RK_DEVFN uint64_t
rk_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

RK_DEVFN void
rk_sleep_ns (uint32_t ns)
{
  struct timespec ts = { 0, (long) ns };

  nanosleep (&ts, NULL);
}

#endif /* __CUDACC__ */

#endif /* __GST_RK_CUDA_PORTABLE_H__ */
