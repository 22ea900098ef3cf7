/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The dispatcher of a persistent CUDA kernel: what block 0's first thread
 * does between messages. It is written once, in the C/CUDA subset, and runs
 * on the GPU inside rk_persistent (gstrkcudaentry.cuh) and on the host in
 * the tests' fake device, so the protocol the tests check is the one the
 * GPU runs.
 *
 *   rk_cuda_loop_next ()      waits for the next thing to do: obeys the
 *                             command, discards inputs below the flush
 *                             target (in every state), waits for output
 *                             space, and fills a job for the grid; keeps the
 *                             heartbeat going and sleeps with a bounded
 *                             backoff while idle (rk_cuda_loop_poll () is
 *                             one round of it)
 *   (the grid runs the job)
 *   rk_cuda_loop_complete ()  publishes the job's output and consumes the
 *                             input
 *
 * Ordering (runtime/DESIGN.md): the output of input P is published (release)
 * before P is counted as consumed (release), and the processed count is
 * stored before the output is published.
 */
#ifndef __GST_RK_CUDA_LOOP_H__
#define __GST_RK_CUDA_LOOP_H__

#include "gstrkcudaportable.h"

/* Polls of an empty queue before the first sleep, and the first sleep */
#define RK_CUDA_IDLE_SPINS      64u
#define RK_CUDA_MIN_BACKOFF_NS  32u

typedef struct
{
  RkCudaPersistentArgs a;
  uint64_t pos;                 /* next input position */
  uint64_t out_head;            /* next output position (we produce it) */
  uint64_t out_tail;            /* the host's output tail, last seen */
  uint64_t processed;
  uint64_t discarded;
  uint64_t beats;
  uint64_t last_beat_ns;
  uint32_t status;
  uint32_t backoff_ns;
  uint32_t spins;
  /* Output arena slots, used in turn: slot i is free once the host has
   * taken output arena_used[i] - 1 (0: never used). */
  uint32_t arena_next;
  uint32_t arena_slot;          /* the slot of the job in hand */
  uint64_t arena_used[RK_CUDA_MAX_ARENA_SLOTS];
} RkCudaLoop;

RK_DEVFN RkCudaControl *
rk_cuda_loop_ctrl (const RkCudaLoop * l)
{
  return (RkCudaControl *) (uintptr_t) l->a.ctrl;
}

RK_DEVFN RkCudaRingHeader *
rk_cuda_loop_in_header (const RkCudaLoop * l)
{
  return (RkCudaRingHeader *) (uintptr_t) l->a.in_ring;
}

RK_DEVFN RkCudaRingHeader *
rk_cuda_loop_out_header (const RkCudaLoop * l)
{
  return (RkCudaRingHeader *) (uintptr_t) l->a.out_ring;
}

/* Device address of input slot @pos */
RK_DEVFN uint64_t
rk_cuda_loop_in_slot (const RkCudaLoop * l, uint64_t pos)
{
  return l->a.in_ring + RK_RING_HEADER_SIZE +
      (pos & (l->a.in_capacity - 1)) * (uint64_t) l->a.in_slot_size;
}

RK_DEVFN uint64_t
rk_cuda_loop_out_slot (const RkCudaLoop * l, uint64_t pos)
{
  return l->a.out_ring + RK_RING_HEADER_SIZE +
      (pos & (l->a.out_capacity - 1)) * (uint64_t) l->a.out_slot_size;
}

RK_DEVFN const RkCudaStage *
rk_cuda_loop_stage (const RkCudaLoop * l, uint64_t pos)
{
  return (const RkCudaStage *) (uintptr_t) (l->a.stages +
      (pos & (l->a.in_capacity - 1)) * (uint64_t) RK_CUDA_STAGE_SIZE);
}

RK_DEVFN void
rk_cuda_loop_init (RkCudaLoop * l, const RkCudaPersistentArgs * a)
{
  l->a = *a;
  l->pos = rk_load_acquire_u64 (&rk_cuda_loop_in_header (l)->tail);
  l->out_head = rk_load_acquire_u64 (&rk_cuda_loop_out_header (l)->head);
  l->out_tail = rk_load_acquire_u64 (&rk_cuda_loop_out_header (l)->tail);
  l->processed = rk_load_acquire_u64 (&rk_cuda_loop_ctrl (l)->processed);
  l->discarded = rk_load_acquire_u64 (&rk_cuda_loop_ctrl (l)->discarded);
  l->beats = 0;
  l->last_beat_ns = 0;
  l->status = RK_STATUS_IDLE;
  l->backoff_ns = 0;
  l->spins = 0;
  l->arena_next = 0;
  l->arena_slot = 0;
  for (uint32_t i = 0; i < RK_CUDA_MAX_ARENA_SLOTS; i++)
    l->arena_used[i] = 0;
}

/* Status changes are rare: write the mapped word only when it changes. */
RK_DEVFN void
rk_cuda_loop_set_status (RkCudaLoop * l, uint32_t status)
{
  if (l->status != status) {
    l->status = status;
    rk_store_release_u32 (&rk_cuda_loop_ctrl (l)->status, status);
  }
}

RK_DEVFN void
rk_cuda_loop_beat (RkCudaLoop * l)
{
  uint64_t now = rk_now_ns ();

  if (now - l->last_beat_ns >= l->a.heartbeat_ns) {
    l->last_beat_ns = now;
    rk_store_release_u64 (&rk_cuda_loop_ctrl (l)->heartbeat, ++l->beats);
  }
}

/* Nothing to do: poll a while, then sleep, doubling up to the bound. */
RK_DEVFN void
rk_cuda_loop_idle (RkCudaLoop * l)
{
  if (l->spins < RK_CUDA_IDLE_SPINS) {
    l->spins++;
    return;
  }
  l->backoff_ns = l->backoff_ns ? l->backoff_ns * 2 : RK_CUDA_MIN_BACKOFF_NS;
  if (l->backoff_ns > l->a.max_backoff_ns)
    l->backoff_ns = l->a.max_backoff_ns;
  rk_sleep_ns (l->backoff_ns);
}

RK_DEVFN void
rk_cuda_loop_busy (RkCudaLoop * l)
{
  l->spins = 0;
  l->backoff_ns = 0;
}

RK_DEVFN void
rk_cuda_loop_consume (RkCudaLoop * l)
{
  l->pos++;
  rk_store_release_u64 (&rk_cuda_loop_in_header (l)->tail, l->pos);
}

RK_DEVFN void
rk_cuda_loop_discard (RkCudaLoop * l)
{
  l->discarded++;
  rk_store_release_u64 (&rk_cuda_loop_ctrl (l)->discarded, l->discarded);
  rk_cuda_loop_consume (l);
}

/* Room for one more output, and, when @arena_slots, a free arena slot:
 * the host hands a slot back when it releases the output made in it. */
RK_DEVFN int
rk_cuda_loop_out_space (RkCudaLoop * l, uint32_t arena_slots)
{
  uint64_t used = 0;

  if (arena_slots) {
    l->arena_slot = l->arena_next % arena_slots;
    used = l->arena_used[l->arena_slot];
  }
  if (l->out_head - l->out_tail >= l->a.out_capacity || l->out_tail < used)
    l->out_tail = rk_load_acquire_u64 (&rk_cuda_loop_out_header (l)->tail);
  return l->out_head - l->out_tail < l->a.out_capacity && l->out_tail >= used;
}

RK_DEVFN uint32_t
rk_cuda_loop_fail (RkCudaLoop * l, uint32_t error, uint64_t arg)
{
  RkCudaControl *c = rk_cuda_loop_ctrl (l);

  rk_store_release_u64 (&c->error_arg, arg);
  rk_store_release_u32 (&c->error, error);
  rk_cuda_loop_set_status (l, RK_STATUS_EXITED);
  return RK_CUDA_ACT_EXIT;
}

RK_DEVFN void
rk_cuda_loop_fill_job (RkCudaLoop * l, const RkCudaStage * st, int arena,
    RkCudaJob * job)
{
  const RkCudaEnvelope *env =
      (const RkCudaEnvelope *) (uintptr_t) rk_cuda_loop_in_slot (l, l->pos);
  uint32_t inline_cap = l->a.out_slot_size - RK_ENVELOPE_SIZE;

  job->type = env->type;
  job->flags = 0;
  job->message_id = env->message_id;
  job->correlation_id = env->correlation_id;
  job->in_size = st->in_size;
  job->in_ptr = (env->flags & RK_FLAG_INLINE) ?
      rk_cuda_loop_in_slot (l, l->pos) + RK_ENVELOPE_SIZE : st->in_ptr;
  job->state_ptr = st->state_ptr;
  job->state_size = st->state_size;
  job->out_type = 0;
  job->out_size = 0;
  job->out_arena = (uint32_t) arena;
  if (arena) {
    job->out_ptr = st->out_arena + l->arena_slot *
        (uint64_t) st->out_slot_size;
    job->out_capacity = st->out_slot_size;
  } else {
    job->out_ptr = rk_cuda_loop_out_slot (l, l->out_head) + RK_ENVELOPE_SIZE;
    job->out_capacity = inline_cap;
  }
  job->params = st->params;

  /* Control messages are the loop's business, not the kernel's. */
  if (job->type == RK_MSG_CONTROL) {
    uint64_t what = 0;

    if (job->in_size >= sizeof (what) && job->in_ptr)
      what = *(const uint64_t *) (uintptr_t) job->in_ptr;
    job->flags = what == RK_CONTROL_RESET_STATE ? RK_CUDA_JOB_RESET_STATE :
        RK_CUDA_JOB_SKIP;
  }
}

/**
 * rk_cuda_loop_poll:
 * @job: (out): filled when the grid has work
 *
 * One look at the queue and the control block.
 *
 * Returns: RK_CUDA_ACT_PROCESS with @job filled, RK_CUDA_ACT_EXIT on
 * RK_CMD_TERMINATE (or a device-side fault), RK_CUDA_ACT_NONE when there
 * is nothing to do yet (after an idle pause, or after discarding input).
 */
RK_DEVFN uint32_t
rk_cuda_loop_poll (RkCudaLoop * l, RkCudaJob * job)
{
  RkCudaControl *c = rk_cuda_loop_ctrl (l);
  uint32_t command = rk_load_acquire_u32 (&c->command);
  const RkCudaStage *st;
  int arena;

  rk_cuda_loop_beat (l);
  if (command == RK_CMD_TERMINATE) {
    rk_cuda_loop_set_status (l, RK_STATUS_EXITED);
    return RK_CUDA_ACT_EXIT;
  }

  st = rk_cuda_loop_stage (l, l->pos);
  if (rk_load_acquire_u64 (&st->seq) != l->pos + 1) {
    /* Nothing staged: the command is obeyed between messages. */
    rk_cuda_loop_set_status (l, command == RK_CMD_RUN ? RK_STATUS_RUNNING :
        RK_STATUS_PAUSED);
    rk_cuda_loop_idle (l);
    return RK_CUDA_ACT_NONE;
  }

  if (l->pos < rk_load_acquire_u64 (&c->flush_target) ||
      (st->flags & RK_CUDA_STAGE_DISCARD)) {
    rk_cuda_loop_discard (l);
    rk_cuda_loop_busy (l);
    return RK_CUDA_ACT_NONE;
  }
  if (command != RK_CMD_RUN) {
    rk_cuda_loop_set_status (l, RK_STATUS_PAUSED);
    rk_cuda_loop_idle (l);
    return RK_CUDA_ACT_NONE;
  }
  rk_cuda_loop_set_status (l, RK_STATUS_RUNNING);

  arena = st->out_size > l->a.out_slot_size - RK_ENVELOPE_SIZE;
  if (arena && (st->out_arena == 0 || st->out_size > st->out_slot_size ||
          st->out_slots == 0 || st->out_slots > RK_CUDA_MAX_ARENA_SLOTS))
    return rk_cuda_loop_fail (l, RK_CUDA_ERROR_OUTPUT_OVERFLOW, l->pos + 1);
  /* Waiting for space: each poll rechecks the command and flush target. */
  if (!rk_cuda_loop_out_space (l, arena ? st->out_slots : 0)) {
    rk_cuda_loop_idle (l);
    return RK_CUDA_ACT_NONE;
  }

  rk_cuda_loop_fill_job (l, st, arena, job);
  rk_cuda_loop_busy (l);
  return RK_CUDA_ACT_PROCESS;
}

/**
 * rk_cuda_loop_next:
 *
 * Polls until there is something to do.
 *
 * Returns: RK_CUDA_ACT_PROCESS or RK_CUDA_ACT_EXIT
 */
RK_DEVFN uint32_t
rk_cuda_loop_next (RkCudaLoop * l, RkCudaJob * job)
{
  uint32_t act;

  while ((act = rk_cuda_loop_poll (l, job)) == RK_CUDA_ACT_NONE);
  return act;
}

/**
 * rk_cuda_loop_complete:
 * @job: the job the grid has run
 *
 * Returns: RK_CUDA_ACT_PROCESS to go on, RK_CUDA_ACT_EXIT after a fault.
 */
RK_DEVFN uint32_t
rk_cuda_loop_complete (RkCudaLoop * l, const RkCudaJob * job)
{
  RkCudaControl *c = rk_cuda_loop_ctrl (l);

  if (job->out_type != 0) {
    RkCudaEnvelope *env;

    if (job->out_size > job->out_capacity)
      return rk_cuda_loop_fail (l, RK_CUDA_ERROR_OUTPUT_OVERFLOW,
          job->message_id);
    env = (RkCudaEnvelope *) (uintptr_t) rk_cuda_loop_out_slot (l,
        l->out_head);
    env->magic = RK_ENVELOPE_MAGIC;
    env->version = RK_ENVELOPE_VERSION;
    env->flags = job->out_size == 0 ? 0 :
        job->out_arena ? RK_FLAG_ARENA : RK_FLAG_INLINE;
    env->type = job->out_type;
    env->payload_size = job->out_size;
    env->message_id = job->message_id;
    env->correlation_id = job->correlation_id;
    env->source = l->a.kernel_id;
    env->dest = 0;
    env->hlc_physical = 0;
    env->hlc_logical = 0;
    env->hlc_node = 0;
    env->payload_ref = job->out_arena ? job->out_ptr : 0;
  }

  l->processed++;
  rk_store_release_u64 (&c->processed, l->processed);
  if (job->out_type != 0) {
    if (job->out_arena) {
      l->arena_used[l->arena_slot] = l->out_head + 1;
      l->arena_next++;
    }
    l->out_head++;
    rk_store_release_u64 (&rk_cuda_loop_out_header (l)->head, l->out_head);
  }
  rk_cuda_loop_consume (l);
  return RK_CUDA_ACT_PROCESS;
}

/* The state reset of a RK_CONTROL_RESET_STATE message, shared out over the
 * grid. */
RK_DEVFN void
rk_cuda_job_reset_state (const RkCudaJob * job, RkCudaThreads t)
{
  uint8_t *s = (uint8_t *) (uintptr_t) job->state_ptr;

  for (uint64_t i = t.index; i < job->state_size; i += t.count)
    s[i] = 0;
}

#endif /* __GST_RK_CUDA_LOOP_H__ */
