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
 *   rk_cuda_loop_complete ()  checks the job's outputs and publishes them,
 *                             in order, as the output ring has room (the
 *                             polls that follow go on with it); then hands
 *                             the job back to the grid for another round,
 *                             or consumes the input
 *
 * Ordering (runtime/DESIGN.md): the outputs of input P are published
 * (release) before P is counted as consumed (release), and the processed
 * count is stored before the last of them is published.
 */
#ifndef __GST_RK_CUDA_LOOP_H__
#define __GST_RK_CUDA_LOOP_H__

#include "gstrkcudajob.h"

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
  /* The job in hand, from its completion to its last output */
  uint32_t publishing;
  uint32_t pub_index;           /* next output of the round, in order */
  uint32_t pub_offset;          /* byte offset of the next extra record */
  uint32_t in_inline;           /* the input's payload is in its ring slot */
  uint32_t slot_held;           /* an ARENA output points into the slot */
  uint32_t counted;             /* processed already counts the job */
  uint32_t pending_init;        /* fresh state whose first message was
                                 * discarded: the next one inits it */
  uint64_t extra_hold;          /* the extras area is the host's until it
                                 * took this output */
  uint32_t round_ready;         /* the job holds its next round: run it */
  uint32_t pad;
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
  l->publishing = 0;
  l->pub_index = 0;
  l->pub_offset = 0;
  l->in_inline = 0;
  l->slot_held = 0;
  l->counted = 0;
  l->pending_init = 0;
  l->extra_hold = 0;
  l->round_ready = 0;
  l->pad = 0;
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

/* Each block's first thread, once, when the block starts: the host
 * reports the kernel started only once every block is resident (a block
 * that never starts would hang the first grid barrier). */
RK_DEVFN void
rk_cuda_block_check_in (const RkCudaPersistentArgs * a)
{
  rk_atomic_add_system_u64 (&((RkCudaControl *) (uintptr_t) a->ctrl)->
      checked_in, 1);
}

/* Between two steps of a job: a job longer than the watchdog's period
 * (a big frame on a small grid, long rounds, a GPU time-sliced with
 * another process) is no hang as long as each step is shorter. */
RK_DEVFN void
rk_cuda_loop_step_done (RkCudaLoop * l)
{
  rk_cuda_loop_beat (l);
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

/* The outputs a kernel writes start empty in every round. */
RK_DEVFN void
rk_cuda_job_clear_outputs (RkCudaJob * job)
{
  job->out_type = 0;
  job->out_size = 0;
  job->out_flags = 0;
  job->extra_count = 0;
  job->extra_bytes = 0;
  job->main_at = RK_CUDA_MAIN_LAST;
  job->more = 0;
  job->error = 0;
  for (uint32_t i = 0; i < 4; i++)
    job->acc[i] = 0;
}

/* Whether a staged message needs an arena slot: for a main output too big
 * to go inline, or for an extras area (which lives in the slot, after the
 * main output's region). */
RK_DEVFN int
rk_cuda_stage_wants_arena (const RkCudaStage * st, uint32_t inline_cap)
{
  return st->out_size > inline_cap || st->extra_size > 0;
}

/* Bytes of arena slot it needs */
RK_DEVFN uint64_t
rk_cuda_stage_slot_bytes (const RkCudaStage * st)
{
  if (st->extra_size == 0)
    return st->out_size;
  return RK_CUDA_ALIGN ((uint64_t) st->out_size, RK_CUDA_MAIN_ALIGN) +
      st->extra_size;
}

RK_DEVFN void
rk_cuda_loop_fill_job (RkCudaLoop * l, const RkCudaStage * st, int arena,
    RkCudaJob * job)
{
  const RkCudaEnvelope *env =
      (const RkCudaEnvelope *) (uintptr_t) rk_cuda_loop_in_slot (l, l->pos);
  uint32_t inline_cap = l->a.out_slot_size - RK_ENVELOPE_SIZE;

  job->type = env->type;
  job->flags = (st->flags & RK_CUDA_STAGE_INIT_STATE) || l->pending_init ?
      RK_CUDA_JOB_INIT_STATE : 0;
  l->pending_init = 0;
  job->message_id = env->message_id;
  job->correlation_id = env->correlation_id;
  job->hlc_physical = env->hlc_physical;
  job->hlc_logical = env->hlc_logical;
  job->hlc_node = env->hlc_node;
  job->in_size = st->in_size;
  l->in_inline = (env->flags & RK_FLAG_INLINE) != 0;
  job->in_ptr = l->in_inline ?
      rk_cuda_loop_in_slot (l, l->pos) + RK_ENVELOPE_SIZE : st->in_ptr;
  job->state_ptr = st->state_ptr;
  job->state_size = st->state_size;
  job->blob_ptr = st->blob_ptr;
  job->blob_size = st->blob_size;
  job->scratch_ptr = st->scratch_ptr;
  job->scratch_size = st->scratch_size;
  job->pts = st->pts;
  job->round = 0;
  job->cursor = 0;
  rk_cuda_job_clear_outputs (job);
  job->out_arena = (uint32_t) arena;
  if (arena) {
    uint64_t slot = st->out_arena + l->arena_slot *
        (uint64_t) st->out_slot_size;
    uint32_t main_bytes = (uint32_t) RK_CUDA_ALIGN (st->out_size,
        RK_CUDA_MAIN_ALIGN);

    job->out_ptr = slot;
    job->out_capacity = st->extra_size ? main_bytes : st->out_slot_size;
    job->extra_ptr = slot + (st->extra_size ? main_bytes : 0);
    job->extra_capacity = st->extra_size;
  } else {
    job->out_ptr = rk_cuda_loop_out_slot (l, l->out_head) + RK_ENVELOPE_SIZE;
    job->out_capacity = inline_cap;
    job->extra_ptr = 0;
    job->extra_capacity = 0;
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

/* What rk_cuda_loop_resume () says besides the RK_CUDA_ACT_* */
#define RK_CUDA_LOOP_DONE 3u

/* Fills the envelope of the output at the head of the output ring. */
RK_DEVFN RkCudaEnvelope *
rk_cuda_loop_out_env (RkCudaLoop * l, const RkCudaJob * job, uint32_t type,
    uint16_t flags, uint32_t size, uint64_t ref)
{
  RkCudaEnvelope *env = (RkCudaEnvelope *) (uintptr_t)
      rk_cuda_loop_out_slot (l, l->out_head);

  env->magic = RK_ENVELOPE_MAGIC;
  env->version = RK_ENVELOPE_VERSION;
  env->flags = size == 0 ? 0 : flags;
  env->type = type;
  env->payload_size = size;
  env->message_id = job->message_id;
  env->correlation_id = job->correlation_id;
  env->source = l->a.kernel_id;
  env->dest = 0;
  env->hlc_physical = 0;
  env->hlc_logical = 0;
  env->hlc_node = 0;
  env->payload_ref = size == 0 ? 0 : ref;
  return env;
}

RK_DEVFN void
rk_cuda_copy_bytes (uint8_t * dst, const uint8_t * src, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    dst[i] = src[i];
}

/* Puts the main output in the slot at the output head. */
RK_DEVFN void
rk_cuda_loop_put_main (RkCudaLoop * l, const RkCudaJob * job)
{
  uint32_t inline_cap = l->a.out_slot_size - RK_ENVELOPE_SIZE;
  uint8_t *payload = (uint8_t *) (uintptr_t) rk_cuda_loop_out_slot (l,
      l->out_head) + RK_ENVELOPE_SIZE;

  if (job->out_flags & RK_CUDA_OUT_INPUT) {
    /* The input unchanged: copied when it came inline, else the host's
     * own buffer. */
    if (l->in_inline) {
      rk_cuda_copy_bytes (payload, (const uint8_t *) (uintptr_t) job->in_ptr,
          job->in_size);
      rk_cuda_loop_out_env (l, job, job->out_type, RK_FLAG_INLINE,
          job->in_size, 0);
    } else {
      rk_cuda_loop_out_env (l, job, job->out_type, RK_FLAG_ARENA,
          job->in_size, RK_CUDA_REF_INPUT);
    }
  } else if (!job->out_arena) {
    /* Written in place by the kernel (no extras: it is the first output) */
    rk_cuda_loop_out_env (l, job, job->out_type, RK_FLAG_INLINE,
        job->out_size, 0);
  } else if (job->out_size <= inline_cap) {
    rk_cuda_copy_bytes (payload, (const uint8_t *) (uintptr_t) job->out_ptr,
        job->out_size);
    rk_cuda_loop_out_env (l, job, job->out_type, RK_FLAG_INLINE,
        job->out_size, 0);
  } else {
    rk_cuda_loop_out_env (l, job, job->out_type, RK_FLAG_ARENA,
        job->out_size, job->out_ptr);
    l->slot_held = 1;
  }
}

/* Puts the next extra record in the slot at the output head; 0 when the
 * record is malformed. */
RK_DEVFN int
rk_cuda_loop_put_extra (RkCudaLoop * l, const RkCudaJob * job)
{
  uint32_t inline_cap = l->a.out_slot_size - RK_ENVELOPE_SIZE;
  const RkCudaOutput *rec;
  uint64_t data;
  uint32_t bytes;

  if (l->pub_offset + sizeof (RkCudaOutput) > job->extra_bytes)
    return 0;
  rec = (const RkCudaOutput *) (uintptr_t) (job->extra_ptr + l->pub_offset);
  bytes = rk_cuda_output_record_size (rec->size);
  if (rec->size > job->extra_bytes || bytes > job->extra_bytes -
      l->pub_offset || (rec->type != RK_MSG_DATA && rec->type != RK_MSG_REPLY
          && rec->type != RK_MSG_NOTIFY))
    return 0;
  data = job->extra_ptr + l->pub_offset + sizeof (RkCudaOutput);
  if (rec->size <= inline_cap) {
    rk_cuda_copy_bytes ((uint8_t *) (uintptr_t) rk_cuda_loop_out_slot (l,
            l->out_head) + RK_ENVELOPE_SIZE,
        (const uint8_t *) (uintptr_t) data, rec->size);
    rk_cuda_loop_out_env (l, job, rec->type, RK_FLAG_INLINE, rec->size, 0);
  } else {
    rk_cuda_loop_out_env (l, job, rec->type, RK_FLAG_ARENA, rec->size, data);
    l->slot_held = 1;
    l->extra_hold = l->out_head + 1;
  }
  l->pub_offset += bytes;
  return 1;
}

RK_DEVFN void
rk_cuda_loop_count (RkCudaLoop * l)
{
  if (!l->counted) {
    l->counted = 1;
    l->processed++;
    rk_store_release_u64 (&rk_cuda_loop_ctrl (l)->processed, l->processed);
  }
}

/**
 * rk_cuda_loop_resume:
 *
 * Goes on with the job in hand after the grid ran it: publishes what of
 * its outputs the output ring has room for, in order (the extras, with the
 * main output at main_at among them); then prepares its next round, or
 * consumes the input.
 *
 * Returns: RK_CUDA_ACT_NONE while waiting for room, RK_CUDA_ACT_PROCESS
 * with the next round in @job, RK_CUDA_LOOP_DONE when the input is
 * consumed, RK_CUDA_ACT_EXIT on malformed outputs.
 */
RK_DEVFN uint32_t
rk_cuda_loop_resume (RkCudaLoop * l, RkCudaJob * job)
{
  uint32_t has_main = job->out_type != 0 && !job->more;
  uint32_t total = job->extra_count + has_main;
  uint32_t main_at = job->main_at < job->extra_count ? job->main_at :
      job->extra_count;

  while (l->pub_index < total) {
    if (l->out_head - l->out_tail >= l->a.out_capacity) {
      l->out_tail = rk_load_acquire_u64 (&rk_cuda_loop_out_header (l)->tail);
      if (l->out_head - l->out_tail >= l->a.out_capacity)
        return RK_CUDA_ACT_NONE;
    }
    if (has_main && l->pub_index == main_at)
      rk_cuda_loop_put_main (l, job);
    else if (!rk_cuda_loop_put_extra (l, job))
      return rk_cuda_loop_fail (l, RK_CUDA_ERROR_BAD_OUTPUT, job->message_id);
    if (l->pub_index + 1 == total && !job->more)
      rk_cuda_loop_count (l);
    l->out_head++;
    rk_store_release_u64 (&rk_cuda_loop_out_header (l)->head, l->out_head);
    l->pub_index++;
  }

  if (job->more) {
    /* The next round writes the extras area again: not before the host
     * took the outputs that point into it. */
    if (l->out_tail < l->extra_hold) {
      l->out_tail = rk_load_acquire_u64 (&rk_cuda_loop_out_header (l)->tail);
      if (l->out_tail < l->extra_hold)
        return RK_CUDA_ACT_NONE;
    }
    job->round++;
    job->flags &= ~RK_CUDA_JOB_INIT_STATE;
    rk_cuda_job_clear_outputs (job);
    l->publishing = 0;
    l->pub_index = 0;
    l->pub_offset = 0;
    return RK_CUDA_ACT_PROCESS;
  }

  rk_cuda_loop_count (l);
  if (l->slot_held) {
    l->arena_used[l->arena_slot] = l->out_head;
    l->arena_next++;
  }
  l->publishing = 0;
  rk_cuda_loop_consume (l);
  return RK_CUDA_LOOP_DONE;
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

  if (l->round_ready) {
    l->round_ready = 0;
    rk_cuda_loop_busy (l);
    return RK_CUDA_ACT_PROCESS;
  }

  /* A message whose outputs are not all out yet comes first: its outputs
   * wait for room in the output ring (the host drains it, also while
   * flushing), then it runs another round or is consumed. */
  if (l->publishing) {
    uint32_t act = rk_cuda_loop_resume (l, job);

    if (act == RK_CUDA_ACT_NONE)
      rk_cuda_loop_idle (l);
    else
      rk_cuda_loop_busy (l);
    return act == RK_CUDA_LOOP_DONE ? RK_CUDA_ACT_NONE : act;
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
    if (st->flags & RK_CUDA_STAGE_INIT_STATE)
      l->pending_init = 1;
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

  arena = rk_cuda_stage_wants_arena (st, l->a.out_slot_size -
      RK_ENVELOPE_SIZE);
  if (arena && (st->out_arena == 0 || st->out_slots == 0 ||
          st->out_slots > RK_CUDA_MAX_ARENA_SLOTS ||
          rk_cuda_stage_slot_bytes (st) > st->out_slot_size))
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
 * Checks what the kernel wrote and publishes its outputs as far as the
 * output ring has room; the following polls finish the job.
 *
 * Returns: RK_CUDA_ACT_PROCESS to go on, RK_CUDA_ACT_EXIT after a fault.
 */
RK_DEVFN uint32_t
rk_cuda_loop_complete (RkCudaLoop * l, RkCudaJob * job)
{
  if (job->error)
    return rk_cuda_loop_fail (l, RK_CUDA_ERROR_KERNEL, job->message_id);
  if ((job->out_type != 0 && !(job->out_flags & RK_CUDA_OUT_INPUT) &&
          job->out_size > job->out_capacity) ||
      job->extra_bytes > job->extra_capacity)
    return rk_cuda_loop_fail (l, RK_CUDA_ERROR_OUTPUT_OVERFLOW,
        job->message_id);

  if (job->round == 0) {
    l->slot_held = 0;
    l->counted = 0;
    l->extra_hold = 0;
  }
  l->publishing = 1;
  l->pub_index = 0;
  l->pub_offset = 0;
  switch (rk_cuda_loop_resume (l, job)) {
    case RK_CUDA_ACT_EXIT:
      return RK_CUDA_ACT_EXIT;
    case RK_CUDA_ACT_PROCESS:
      /* The next round is prepared in @job: the next poll hands it to the
       * grid (the input's stage record must not be read again, that
       * would start the message over). */
      l->round_ready = 1;
      return RK_CUDA_ACT_PROCESS;
    default:
      return RK_CUDA_ACT_PROCESS;
  }
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
