/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The persistent ring shader: one invocation polls the input ring in
 * host-visible coherent memory and turns each inline message into at most
 * one inline output, until its loop budget is spent (lavapipe ends every
 * loop after 65,535 iterations in all) or something needs the host. Its
 * queue positions live in the ring headers, so the next dispatch goes on
 * where this one stopped.
 *
 * The kernel defines rk_ring_process() after including this file. It must
 * not loop: llvmpipe counts an iteration of every loop in the body of the
 * polling loop on every poll, taken or not, so a loop in a kernel would
 * halve the polls a dispatch may make. Copies are unrolled (RK_COPY_INLINE)
 * over the fixed inline room, RKV_INLINE_MAX bytes. Should the limit cut
 * a dispatch short all the same, the dispatch reports RKV_ERROR_CUT.
 *
 * The workgroup is one full subgroup of which one invocation works: the
 * actor spins in one workgroup, and llvmpipe needs full SIMD vectors (the
 * idle lanes of a narrower workgroup never leave a loop, so every dispatch
 * would spin to the iteration limit). The slot offsets of each message
 * go through subgroupBroadcastFirst: once uniform, llvmpipe reads and
 * writes the slots with one access instead of one per SIMD lane (a copy
 * of 64 bytes costs 0.25 us less).
 *
 * Two builds: RK_MEMORY_MODEL uses Vulkan memory model atomics with
 * acquire/release at device scope; otherwise coherent volatile buffers
 * and buffer memory barriers.
 */
#ifndef RK_RING_GLSL
#define RK_RING_GLSL

#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_shader_atomic_int64 : require
#extension GL_KHR_shader_subgroup_ballot : require

#ifdef RK_MEMORY_MODEL
#pragma use_vulkan_memory_model
#extension GL_KHR_memory_scope_semantics : require
#define RK_SHARED coherent
#define RK_LOAD_ACQUIRE(dst, x) dst = atomicLoad (x, gl_ScopeDevice, \
    gl_StorageSemanticsBuffer, gl_SemanticsAcquire | gl_SemanticsMakeVisible)
#define RK_LOAD(dst, x) dst = atomicLoad (x, gl_ScopeDevice, \
    gl_StorageSemanticsBuffer, gl_SemanticsRelaxed)
#define RK_STORE_RELEASE(x, v) atomicStore (x, v, gl_ScopeDevice, \
    gl_StorageSemanticsBuffer, gl_SemanticsRelease | gl_SemanticsMakeAvailable)
#define RK_STORE(x, v) atomicStore (x, v, gl_ScopeDevice, \
    gl_StorageSemanticsBuffer, gl_SemanticsRelaxed)
#else
#define RK_SHARED coherent volatile
#define RK_LOAD_ACQUIRE(dst, x) { dst = x; memoryBarrierBuffer (); }
#define RK_LOAD(dst, x) dst = x
#define RK_STORE_RELEASE(x, v) { memoryBarrierBuffer (); atomicExchange (x, v); }
#define RK_STORE(x, v) atomicExchange (x, v)
#endif

layout (local_size_x_id = RKV_SPEC_SUBGROUP_SIZE) in;

layout (std430, set = 0, binding = RKV_BINDING_CTRL) RK_SHARED buffer RkCtrl
{
  layout (offset = RK_CTRL_OFF_COMMAND) uint command;
  layout (offset = RK_CTRL_OFF_FLUSH_TARGET) uint64_t flush_target;
  layout (offset = RK_CTRL_OFF_STATUS) uint status;
  layout (offset = RK_CTRL_OFF_ERROR) uint error;
  layout (offset = RK_CTRL_OFF_HEARTBEAT) uint64_t heartbeat;
  layout (offset = RK_CTRL_OFF_PROCESSED) uint64_t processed;
  layout (offset = RKV_CTRL_OFF_BUDGET) uint budget;
  layout (offset = RKV_CTRL_OFF_STOP) uint stop;
  layout (offset = RKV_CTRL_OFF_DONE) uint done;
  layout (offset = RKV_CTRL_OFF_ERROR_POS) uint64_t error_pos;
  layout (offset = RKV_CTRL_OFF_FLUSHED) uint64_t flushed;
  layout (offset = RKV_CTRL_OFF_LIMIT) uint64_t limit;
} rk_ctrl;

#define RK_RING_BLOCK \
  { \
    layout (offset = RK_RING_OFF_HEAD) uint64_t head; \
    layout (offset = RK_RING_OFF_TAIL) uint64_t tail; \
    layout (offset = RK_RING_OFF_CAPACITY) uint capacity; \
    layout (offset = RK_RING_OFF_SLOT_SIZE) uint slot_size; \
    layout (offset = RK_RING_HEADER_SIZE) uvec4 slots[]; \
  }

layout (std430, set = 0, binding = RKV_BINDING_IN_RING) RK_SHARED buffer
    RkInRing RK_RING_BLOCK rk_in;
layout (std430, set = 0, binding = RKV_BINDING_OUT_RING) RK_SHARED buffer
    RkOutRing RK_RING_BLOCK rk_out;

/* What a kernel made of one message: type 0 means no output. */
struct RkResult
{
  uint type;
  uint size;
  bool has_payload;
};

/* in_at, out_at: index into rk_in.slots / rk_out.slots (16-byte units) of
 * the payload; size: payload bytes (0 when has_payload is false). The
 * output payload may be up to rk_out.slot_size - RK_ENVELOPE_SIZE bytes. */
RkResult rk_ring_process (uint in_at, uint type, uint size, bool has_payload,
    uint out_at);

/* Copies n 16-byte units (n <= RKV_INLINE_MAX / 16 = 12) without a loop */
#define RK_COPY_1(dst, d, src, s, n, k) \
  if ((k) < (n)) dst[(d) + (k)] = src[(s) + (k)];
#define RK_COPY_INLINE(dst, d, src, s, n) { \
    RK_COPY_1 (dst, d, src, s, n, 0u) RK_COPY_1 (dst, d, src, s, n, 1u) \
    RK_COPY_1 (dst, d, src, s, n, 2u) RK_COPY_1 (dst, d, src, s, n, 3u) \
    RK_COPY_1 (dst, d, src, s, n, 4u) RK_COPY_1 (dst, d, src, s, n, 5u) \
    RK_COPY_1 (dst, d, src, s, n, 6u) RK_COPY_1 (dst, d, src, s, n, 7u) \
    RK_COPY_1 (dst, d, src, s, n, 8u) RK_COPY_1 (dst, d, src, s, n, 9u) \
    RK_COPY_1 (dst, d, src, s, n, 10u) RK_COPY_1 (dst, d, src, s, n, 11u) \
  }

void
main ()
{
  if (gl_LocalInvocationIndex != 0u)
    return;

  uint budget = min (rk_ctrl.budget, RKV_POLL_BUDGET_MAX);
  uint64_t pos = rk_in.tail;    /* ours: written last by us or the host */
  uint64_t opos = rk_out.head;
  uint in_mask = rk_in.capacity - 1u, out_mask = rk_out.capacity - 1u;
  uint in_slot = rk_in.slot_size / 16u, out_slot = rk_out.slot_size / 16u;
  uint in_room = rk_in.slot_size - RK_ENVELOPE_SIZE;
  uint out_room = rk_out.slot_size - RK_ENVELOPE_SIZE;
  uint64_t processed = rk_ctrl.processed, flushed = rk_ctrl.flushed;
  /* The host's output tail as last read: read again only when the queue
   * looks full, since the host writes that line on every output it takes */
  uint64_t otail;
  RK_LOAD_ACQUIRE (otail, rk_out.tail);
  uint done = 0u, stop = 0u, error = 0u;
  bool blocked = false;

  /* Loop iterations as llvmpipe counts them: one per poll, and a few per
   * pass of the outer loop (its own, the poll loop's exit, slack). */
  uint cost = 0u;

  while (cost + RKV_PASS_COST <= budget) {
    uint command;
    uint64_t limit, target;
    bool brk;

    cost += RKV_PASS_COST;
    /* Poll: the only place that spins, kept small because llvmpipe runs
     * the whole body of a loop on every pass, taken or not. The host
     * raises the limit as it publishes inputs (acquire: their slots are
     * written). */
    for (;;) {
      RK_LOAD (command, rk_ctrl.command);
      RK_LOAD_ACQUIRE (limit, rk_ctrl.limit);
      brk = (limit >> RKV_LIMIT_BREAK_BIT) != 0ul;
      limit &= ~(1ul << RKV_LIMIT_BREAK_BIT);
      if (limit != pos || brk || command != RK_CMD_RUN || cost >= budget)
        break;
      cost++;
    }
    if (command == RK_CMD_TERMINATE) {
      stop = RKV_STOP_COMMAND;
      break;
    }
    if (limit == pos) {
      if (brk) {
        stop = RKV_STOP_HOST;   /* another configuration from here on */
        break;
      }
      if (command != RK_CMD_RUN) {
        stop = RKV_STOP_COMMAND;
        break;
      }
      blocked = false;
      continue;                 /* budget spent */
    }

    uint at = subgroupBroadcastFirst (uint (pos & uint64_t (in_mask)) *
        in_slot);
    uvec4 e0 = rk_in.slots[at], e1 = rk_in.slots[at + 1u];
    e0 = subgroupBroadcastFirst (e0);   /* the size bounds the copy */
    uint flags = e0.y >> 16, type = e0.z, size = e0.w;
    bool host = (flags & RK_FLAG_HOST) != 0u;

    RK_LOAD (target, rk_ctrl.flush_target);
    if (pos < target) {
      /* Discarded in every state; a host buffer is the host's to free. */
      if (host) {
        stop = RKV_STOP_HOST;
        break;
      }
      flushed++;
      pos++;
      RK_STORE (rk_ctrl.flushed, flushed);
      RK_STORE_RELEASE (rk_in.tail, pos);
      continue;
    }
    if (command != RK_CMD_RUN) {
      stop = RKV_STOP_COMMAND;
      break;
    }
    if (host || type == RK_MSG_CONTROL) {
      stop = RKV_STOP_HOST;
      break;
    }
    bool has_payload = (flags & RK_FLAG_INLINE) != 0u;
    if (has_payload && size > in_room) {
      error = RKV_ERROR_MALFORMED;
      stop = RKV_STOP_ERROR;
      break;
    }

    if (opos - otail >= uint64_t (rk_out.capacity))
      RK_LOAD_ACQUIRE (otail, rk_out.tail);
    if (opos - otail >= uint64_t (rk_out.capacity)) {
      blocked = true;           /* spin: the host is draining outputs */
      continue;
    }
    blocked = false;

    uint oat = subgroupBroadcastFirst (uint (opos & uint64_t (out_mask)) *
        out_slot);
    RkResult r = rk_ring_process (at + 4u, type, has_payload ? size : 0u,
        has_payload, oat + 4u);
    if (r.type != 0u && r.has_payload && r.size > out_room) {
      error = RKV_ERROR_OUTPUT;
      stop = RKV_STOP_ERROR;
      break;
    }
    if (r.type != 0u) {
      uint oflags = r.has_payload ? RK_FLAG_INLINE : 0u;

      rk_out.slots[oat] = uvec4 (RK_ENVELOPE_MAGIC,
          RK_ENVELOPE_VERSION | (oflags << 16), r.type,
          r.has_payload ? r.size : 0u);
      rk_out.slots[oat + 1u] = e1;      /* message and correlation ids */
      rk_out.slots[oat + 2u] = uvec4 (0u);      /* source, dest, HLC: host's */
      rk_out.slots[oat + 3u] = uvec4 (0u);
    }

    /* Counted before the output shows, so the host never sees an output
     * its counters do not explain. Outputs go out before the input slot
     * is released (the ordering contract). */
    processed++;
    done++;
    RK_STORE (rk_ctrl.processed, processed);
    if (r.type != 0u) {
      opos++;
      RK_STORE_RELEASE (rk_out.head, opos);
    }
    pos++;
    RK_STORE_RELEASE (rk_in.tail, pos);
  }

  /* Leaving with neither a reason nor the budget spent means the
   * iteration limit cut the loop short: the count above was wrong. */
  if (stop == 0u && cost + RKV_PASS_COST <= budget) {
    stop = RKV_STOP_ERROR;
    error = RKV_ERROR_CUT;
  }
  if (stop == 0u)
    stop = blocked ? RKV_STOP_OUTPUT_FULL : RKV_STOP_BUDGET;
  rk_ctrl.done = done;
  rk_ctrl.error = error;
  rk_ctrl.error_pos = pos;
  rk_ctrl.heartbeat = rk_ctrl.heartbeat + uint64_t (cost);
  RK_STORE_RELEASE (rk_ctrl.stop, stop);
}

#endif
