/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The two entry points of every CUDA kernel module, around one process
 * function (RK_CUDA_DEFINE_ENTRIES):
 *
 *   rk_persistent  launched once, cooperatively (all blocks resident). Block
 *                  0's first thread runs the dispatcher (gstrkcudaloop.h);
 *                  a grid barrier hands each job to the whole grid; a second
 *                  barrier hands the result back to block 0, which publishes
 *                  it. Returns on RK_CMD_TERMINATE.
 *   rk_event       one launch per message (a frame over the whole grid) or
 *                  per batch of messages (one block, in order).
 *
 * A process function is RK_DEVFN void f (RkCudaJob *job, RkCudaThreads t):
 * every thread of the grid calls it; thread 0 sets job->out_type and
 * job->out_size.
 */
#ifndef __GST_RK_CUDA_ENTRY_CUH__
#define __GST_RK_CUDA_ENTRY_CUH__

#include "gstrkcudaloop.h"

/* Longest sleep of a grid-barrier waiter: short, since it delays the start
 * of each job on the other blocks. */
#define RK_CUDA_BARRIER_MAX_BACKOFF_NS 512u

/* A sense-counting barrier over the whole grid. Safe because the launch is
 * cooperative: every block is resident. Waiters sleep instead of hammering
 * the counter while block 0 polls an idle queue. */
static __device__ void
rk_cuda_grid_barrier (RkCudaScratch * s)
{
  __syncthreads ();
  if (threadIdx.x == 0) {
    cuda::atomic_ref<uint32_t, cuda::thread_scope_device> count (s->barrier_count);
    cuda::atomic_ref<uint32_t, cuda::thread_scope_device> gen (s->barrier_gen);
    uint32_t my_gen = gen.load (cuda::memory_order_relaxed);

    if (count.fetch_add (1, cuda::memory_order_acq_rel) == gridDim.x - 1) {
      count.store (0, cuda::memory_order_relaxed);
      gen.store (my_gen + 1, cuda::memory_order_release);
    } else {
      uint32_t ns = 32;

      while (gen.load (cuda::memory_order_acquire) == my_gen) {
        __nanosleep (ns);
        if (ns < RK_CUDA_BARRIER_MAX_BACKOFF_NS)
          ns *= 2;
      }
    }
  }
  __syncthreads ();
}

template <class P>
static __device__ void
rk_cuda_run_job (RkCudaJob * job, RkCudaThreads t)
{
  if (job->flags & RK_CUDA_JOB_RESET_STATE)
    rk_cuda_job_reset_state (job, t);
  else if (!(job->flags & RK_CUDA_JOB_SKIP))
    P::process (job, t);
}

template <class P>
static __device__ void
rk_cuda_persistent_body (const RkCudaPersistentArgs & a)
{
  RkCudaScratch *s = (RkCudaScratch *) (uintptr_t) a.scratch;
  cuda::atomic_ref<uint32_t, cuda::thread_scope_device> action (s->action);
  const bool leader = blockIdx.x == 0 && threadIdx.x == 0;
  RkCudaThreads t = rk_cuda_threads ();
  uint32_t act = RK_CUDA_ACT_PROCESS;
  RkCudaLoop loop;

  if (leader)
    rk_cuda_loop_init (&loop, &a);
  for (;;) {
    /* Everyone read the last action before the previous barrier, so the
     * leader may overwrite it now. */
    if (leader) {
      if (act != RK_CUDA_ACT_EXIT)
        act = rk_cuda_loop_next (&loop, &s->job);
      action.store (act, cuda::memory_order_relaxed);
    }
    rk_cuda_grid_barrier (s);
    if (action.load (cuda::memory_order_relaxed) == RK_CUDA_ACT_EXIT)
      return;
    rk_cuda_run_job<P> (&s->job, t);
    rk_cuda_grid_barrier (s);
    if (leader)
      act = rk_cuda_loop_complete (&loop, &s->job);
  }
}

template <class P>
static __device__ void
rk_cuda_event_body (const RkCudaEventArgs & a)
{
  RkCudaJob *jobs = (RkCudaJob *) (uintptr_t) a.jobs;
  RkCudaThreads t = rk_cuda_threads ();

  for (uint32_t i = 0; i < a.n_jobs; i++) {
    rk_cuda_run_job<P> (&jobs[i], t);
    __syncthreads ();
  }
}

/* Defines rk_persistent and rk_event around the process function @fn. */
#define RK_CUDA_DEFINE_ENTRIES(fn) \
  struct RkCudaProcess \
  { \
    static __device__ void process (RkCudaJob * job, RkCudaThreads t) \
    { \
      fn (job, t); \
    } \
  }; \
  extern "C" __global__ void \
  rk_persistent (RkCudaPersistentArgs a) \
  { \
    rk_cuda_persistent_body<RkCudaProcess> (a); \
  } \
  extern "C" __global__ void \
  rk_event (RkCudaEventArgs a) \
  { \
    rk_cuda_event_body<RkCudaProcess> (a); \
  }

#endif /* __GST_RK_CUDA_ENTRY_CUH__ */
