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
 *   rk_event       one launch per step of a message (a frame over the whole
 *                  grid) or per batch of messages (one block, in order).
 *
 * A process function is
 *   RK_DEVFN void f (RkCudaJob *job, RkCudaThreads t, uint32_t phase):
 * every thread of the grid calls it for phase 0, 1, ... with a grid-wide
 * barrier between two phases (what one phase writes, the next reads); one
 * thread sets job->out_type and job->out_size. A kernel may have an init
 * function, RK_DEVFN void i (RkCudaJob *job, RkCudaThreads t), that puts
 * its initial state in place after the state was zeroed (fresh state, or a
 * reset).
 */
#ifndef __GST_RK_CUDA_ENTRY_CUH__
#define __GST_RK_CUDA_ENTRY_CUH__

#include "gstrkcudaloop.h"

#ifdef __CUDACC_RTC__
/* NVRTC: the barrier's atomics as PTX (no libcu++) */
static __device__ __forceinline__ uint32_t
rk_cuda_gpu_load_acquire (const uint32_t * p)
{
  uint32_t v;

  asm volatile ("ld.acquire.gpu.global.u32 %0, [%1];":"=r" (v):"l" (p):"memory");
  return v;
}

static __device__ __forceinline__ void
rk_cuda_gpu_store_release (uint32_t * p, uint32_t v)
{
  asm volatile ("st.release.gpu.global.u32 [%0], %1;"::"l" (p), "r" (v):"memory");
}

static __device__ __forceinline__ uint32_t
rk_cuda_gpu_fetch_add_acq_rel (uint32_t * p, uint32_t v)
{
  uint32_t old;

  asm volatile ("atom.acq_rel.gpu.global.add.u32 %0, [%1], %2;":"=r" (old)
      :"l" (p), "r" (v):"memory");
  return old;
}
#endif

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
#ifdef __CUDACC_RTC__
    uint32_t my_gen = rk_cuda_gpu_load_acquire (&s->barrier_gen);

    if (rk_cuda_gpu_fetch_add_acq_rel (&s->barrier_count, 1) ==
        gridDim.x - 1) {
      s->barrier_count = 0;
      rk_cuda_gpu_store_release (&s->barrier_gen, my_gen + 1);
    } else {
      uint32_t ns = 32;

      while (rk_cuda_gpu_load_acquire (&s->barrier_gen) == my_gen) {
        __nanosleep (ns);
        if (ns < RK_CUDA_BARRIER_MAX_BACKOFF_NS)
          ns *= 2;
      }
    }
#else
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
#endif
  }
  __syncthreads ();
}

/* The dispatcher's decision, handed to the grid through the barrier */
static __device__ __forceinline__ uint32_t
rk_cuda_action_load (uint32_t * p)
{
  return *(volatile uint32_t *) p;
}

static __device__ __forceinline__ void
rk_cuda_action_store (uint32_t * p, uint32_t v)
{
  *(volatile uint32_t *) p = v;
}

/* One step of a job (rk_cuda_job_step ()) */
template <class P>
static __device__ void
rk_cuda_run_step (RkCudaJob * job, RkCudaThreads t, uint32_t step)
{
  if (step == RK_CUDA_STEP_ZERO)
    rk_cuda_job_reset_state (job, t);
  else if (step == RK_CUDA_STEP_INIT)
    P::init (job, t);
  else if (step != RK_CUDA_STEP_NONE)
    P::process (job, t, step);
}

template <class P>
static __device__ void
rk_cuda_persistent_body (const RkCudaPersistentArgs & a)
{
  RkCudaScratch *s = (RkCudaScratch *) (uintptr_t) a.scratch;
  const bool leader = blockIdx.x == 0 && threadIdx.x == 0;
  RkCudaThreads t = rk_cuda_threads ();
  uint32_t act = RK_CUDA_ACT_PROCESS;
  RkCudaLoop loop;

  if (threadIdx.x == 0)
    rk_cuda_block_check_in (&a);
  if (leader)
    rk_cuda_loop_init (&loop, &a);
  for (;;) {
    /* Everyone read the last action before the previous barrier, so the
     * leader may overwrite it now. */
    if (leader) {
      if (act != RK_CUDA_ACT_EXIT)
        act = rk_cuda_loop_next (&loop, &s->job);
      rk_cuda_action_store (&s->action, act);
    }
    rk_cuda_grid_barrier (s);
    if (rk_cuda_action_load (&s->action) == RK_CUDA_ACT_EXIT)
      return;
    {
      /* Every thread reads the flags before the first barrier below;
       * nothing writes them until the leader, after the last one. */
      uint32_t flags = s->job.flags;
      uint32_t n = rk_cuda_job_n_steps (flags, P::phases, P::has_init);

      for (uint32_t k = 0; k < n; k++) {
        if (k > 0)
          rk_cuda_grid_barrier (s);
        rk_cuda_run_step<P> (&s->job, t, rk_cuda_job_step (flags,
                P::has_init, k));
        if (leader)
          rk_cuda_loop_step_done (&loop);
      }
    }
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

  if (a.step != RK_CUDA_ALL_STEPS) {
    /* One step of one job over the whole grid; the launches of the next
     * steps follow on the stream. */
    rk_cuda_run_step<P> (&jobs[0], t, rk_cuda_job_step (jobs[0].flags,
            P::has_init, a.step));
    return;
  }
  /* One block: each job's steps, __syncthreads between them */
  for (uint32_t i = 0; i < a.n_jobs; i++) {
    uint32_t flags = jobs[i].flags;
    uint32_t n = rk_cuda_job_n_steps (flags, P::phases, P::has_init);

    for (uint32_t k = 0; k < n; k++) {
      rk_cuda_run_step<P> (&jobs[i], t, rk_cuda_job_step (flags, P::has_init,
              k));
      __syncthreads ();
    }
    /* A job that asks for another round goes back to the host first: the
     * ones after it must not run before it is done. */
    if (jobs[i].more)
      return;
  }
}

/* Defines rk_persistent and rk_event around the kernel class @P: static
 * members phases, has_init, process (job, t, phase) and init (job, t). */
#define RK_CUDA_DEFINE_ENTRIES_FOR(P) \
  extern "C" __global__ void \
  rk_persistent (RkCudaPersistentArgs a) \
  { \
    rk_cuda_persistent_body<P> (a); \
  } \
  extern "C" __global__ void \
  rk_event (RkCudaEventArgs a) \
  { \
    rk_cuda_event_body<P> (a); \
  }

/* A kernel of @n phases, without an init (its state starts as zeros) */
#define RK_CUDA_DEFINE_PHASED_ENTRIES(fn, n) \
  struct RkCudaProcess \
  { \
    static const uint32_t phases = (n); \
    static const int has_init = 0; \
    static __device__ void process (RkCudaJob * job, RkCudaThreads t, \
        uint32_t phase) \
    { \
      fn (job, t, phase); \
    } \
    static __device__ void init (RkCudaJob * job, RkCudaThreads t) \
    { \
    } \
  }; \
  RK_CUDA_DEFINE_ENTRIES_FOR (RkCudaProcess)

/* A kernel of one phase: fn (job, t) */
#define RK_CUDA_DEFINE_ENTRIES(fn) \
  struct RkCudaProcess \
  { \
    static const uint32_t phases = 1; \
    static const int has_init = 0; \
    static __device__ void process (RkCudaJob * job, RkCudaThreads t, \
        uint32_t phase) \
    { \
      fn (job, t); \
    } \
    static __device__ void init (RkCudaJob * job, RkCudaThreads t) \
    { \
    } \
  }; \
  RK_CUDA_DEFINE_ENTRIES_FOR (RkCudaProcess)

#endif /* __GST_RK_CUDA_ENTRY_CUH__ */
