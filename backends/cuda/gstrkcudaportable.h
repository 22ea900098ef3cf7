/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The few primitives the device protocol needs, for both compilers:
 * system-scope acquire/release on mapped memory, a clock, an idle sleep and
 * the calling thread's place in the grid.
 *
 * Under nvcc they are the real device operations (cuda::atomic_ref with
 * thread_scope_system, %globaltimer, __nanosleep). Under NVRTC (user
 * kernels, compiled at run time, where libcu++ may not be installed) the
 * same operations are written as PTX. Under a C compiler they are their
 * host equivalents, so that the same protocol code (gstrkcudaloop.h) and
 * the same kernel bodies run in a host thread: that is how the tests
 * exercise them without a GPU.
 *
 * Kernels also get device-scope atomic adds (grid-wide counts) and float
 * and double arithmetic that the compiler may not contract into fused
 * multiply-adds (rk_fmul, rk_fadd, ...): with them a kernel's float
 * results are the same bits on a GPU as on the host, where the tests
 * compare them with the CPU reference.
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

#if defined (__CUDACC__) && !defined (__CUDACC_RTC__)

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

#elif defined (__CUDACC_RTC__) /* NVRTC: no libcu++, PTX instead */

#define RK_DEVFN static __device__ __forceinline__

RK_DEVFN uint64_t
rk_load_acquire_u64 (const uint64_t * p)
{
  uint64_t v;

  asm volatile ("ld.acquire.sys.global.u64 %0, [%1];":"=l" (v):"l" (p):"memory");
  return v;
}

RK_DEVFN uint32_t
rk_load_acquire_u32 (const uint32_t * p)
{
  uint32_t v;

  asm volatile ("ld.acquire.sys.global.u32 %0, [%1];":"=r" (v):"l" (p):"memory");
  return v;
}

RK_DEVFN void
rk_store_release_u64 (uint64_t * p, uint64_t v)
{
  asm volatile ("st.release.sys.global.u64 [%0], %1;"::"l" (p), "l" (v):"memory");
}

RK_DEVFN void
rk_store_release_u32 (uint32_t * p, uint32_t v)
{
  asm volatile ("st.release.sys.global.u32 [%0], %1;"::"l" (p), "r" (v):"memory");
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

/* ---- Grid-wide counts and uncontracted float arithmetic ---- */

#ifdef __CUDACC__               /* nvcc and NVRTC alike */

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


RK_DEVFN uint64_t
rk_atomic_add_u64 (uint64_t * p, uint64_t v)
{
  return atomicAdd ((unsigned long long *) p, (unsigned long long) v);
}

/* On a word the host reads (mapped memory) */
RK_DEVFN uint64_t
rk_atomic_add_system_u64 (uint64_t * p, uint64_t v)
{
  return atomicAdd_system ((unsigned long long *) p, (unsigned long long) v);
}

RK_DEVFN uint32_t
rk_atomic_or_u32 (uint32_t * p, uint32_t v)
{
  return atomicOr ((unsigned int *) p, v);
}

#define rk_fadd(a, b) __fadd_rn ((a), (b))
#define rk_fsub(a, b) __fsub_rn ((a), (b))
#define rk_fmul(a, b) __fmul_rn ((a), (b))
#define rk_dadd(a, b) __dadd_rn ((a), (b))
#define rk_dsub(a, b) __dsub_rn ((a), (b))
#define rk_dmul(a, b) __dmul_rn ((a), (b))

#else

RK_DEVFN uint64_t
rk_atomic_add_u64 (uint64_t * p, uint64_t v)
{
  return __atomic_fetch_add (p, v, __ATOMIC_RELAXED);
}

RK_DEVFN uint64_t
rk_atomic_add_system_u64 (uint64_t * p, uint64_t v)
{
  return __atomic_fetch_add (p, v, __ATOMIC_RELEASE);
}

RK_DEVFN uint32_t
rk_atomic_or_u32 (uint32_t * p, uint32_t v)
{
  return __atomic_fetch_or (p, v, __ATOMIC_RELAXED);
}

/* The host build of device code is compiled with -ffp-contract=off. */
#define rk_fadd(a, b) ((float) (a) + (float) (b))
#define rk_fsub(a, b) ((float) (a) - (float) (b))
#define rk_fmul(a, b) ((float) (a) * (float) (b))
#define rk_dadd(a, b) ((double) (a) + (double) (b))
#define rk_dsub(a, b) ((double) (a) - (double) (b))
#define rk_dmul(a, b) ((double) (a) * (double) (b))

#endif

#endif /* __GST_RK_CUDA_PORTABLE_H__ */
