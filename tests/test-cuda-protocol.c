/* The CUDA device protocol on the host: the dispatcher of persistent
 * kernels (backends/cuda/gstrkcudaloop.h) and the kernel bodies, compiled
 * as C and single-stepped against rings and control blocks in host memory.
 * The host side of each ring goes through the runtime's own ring code, so
 * the two layouts are checked against each other. No GPU, no backend. */
#include <string.h>

#include <gst/gst.h>
#include "ringkernel.h"
#include "gstrkring.h"
#include "gstrkcudaloop.h"
#include "gstrkcudaecho.h"
#include "gstrkcudagray.h"
#include "rkcudacounter.h"

#define SLOT 256u
#define INLINE_CAP (SLOT - RK_ENVELOPE_SIZE)
#define KERNEL_ID 7u

/* A device's memory, in host memory: control block, rings, stages. */
typedef struct
{
  RkCudaControl *ctrl;
  guint8 *in_mem, *out_mem;
  gsize in_size, out_size;
  RkCudaStage *stages;
  GstRkRingProducer in;         /* the host's side of each ring */
  GstRkRingConsumer out;
  RkCudaPersistentArgs args;
  RkCudaLoop loop;
  RkCudaJob job;
  guint8 state[64];
  guint8 *arena;
} Dev;

static Dev *
dev_new (guint32 in_cap, guint32 out_cap)
{
  Dev *d = g_new0 (Dev, 1);

  d->ctrl = g_aligned_alloc0 (1, sizeof (RkCudaControl), 64);
  d->in_size = gst_rk_ring_memory_size (in_cap, SLOT);
  d->out_size = gst_rk_ring_memory_size (out_cap, SLOT);
  d->in_mem = g_aligned_alloc0 (1, d->in_size, 64);
  d->out_mem = g_aligned_alloc0 (1, d->out_size, 64);
  d->stages = g_aligned_alloc0 (in_cap, sizeof (RkCudaStage), 64);
  d->arena = g_aligned_alloc0 (1, 4 * 4096, 64);
  g_assert_true (gst_rk_ring_format (d->in_mem, d->in_size, in_cap, SLOT,
          NULL));
  g_assert_true (gst_rk_ring_format (d->out_mem, d->out_size, out_cap, SLOT,
          NULL));
  g_assert_true (gst_rk_ring_producer_init (&d->in, d->in_mem, d->in_size,
          NULL));
  g_assert_true (gst_rk_ring_consumer_init (&d->out, d->out_mem, d->out_size,
          NULL));

  d->ctrl->command = RK_CMD_PAUSE;
  d->args.ctrl = (guintptr) d->ctrl;
  d->args.in_ring = (guintptr) d->in_mem;
  d->args.out_ring = (guintptr) d->out_mem;
  d->args.stages = (guintptr) d->stages;
  d->args.in_capacity = in_cap;
  d->args.in_slot_size = SLOT;
  d->args.out_capacity = out_cap;
  d->args.out_slot_size = SLOT;
  d->args.kernel_id = KERNEL_ID;
  d->args.max_backoff_ns = 256;
  d->args.heartbeat_ns = 0;     /* a beat on every poll */
  rk_cuda_loop_init (&d->loop, &d->args);
  return d;
}

static void
dev_free (Dev * d)
{
  g_aligned_free (d->ctrl);
  g_aligned_free (d->in_mem);
  g_aligned_free (d->out_mem);
  g_aligned_free (d->stages);
  g_aligned_free (d->arena);
  g_free (d);
}

static void
command (Dev * d, guint32 cmd)
{
  __atomic_store_n (&d->ctrl->command, cmd, __ATOMIC_RELEASE);
}

/* Publishes a message with an inline payload, as the runtime does. */
static guint64
send (Dev * d, guint32 type, const guint8 * payload, guint32 size)
{
  guint64 pos = gst_rk_ring_position (&d->in);
  GstRkEnvelope *env;

  g_assert_cmpuint (gst_rk_ring_producer_free (&d->in), >, 0);
  env = gst_rk_ring_slot (&d->in, 0);
  gst_rk_envelope_init (env, type);
  env->message_id = pos + 1;
  env->correlation_id = 1000 + pos;
  env->dest = KERNEL_ID;
  if (payload) {
    g_assert_cmpuint (size, <=, INLINE_CAP);
    memcpy ((guint8 *) env + RK_ENVELOPE_SIZE, payload, size);
    env->flags = RK_FLAG_INLINE;
    env->payload_size = size;
  }
  gst_rk_ring_producer_publish (&d->in, 1);
  return pos;
}

/* Stages position @pos, as the host's stager does. */
static void
stage (Dev * d, guint64 pos, guint32 flags, guint32 in_size,
    guint32 out_size)
{
  RkCudaStage *st = &d->stages[pos & (d->args.in_capacity - 1)];

  st->flags = flags;
  st->in_size = in_size;
  st->in_ptr = 0;
  st->out_arena = (guintptr) d->arena;
  st->out_slot_size = 4096;
  st->out_slots = 2;
  st->out_size = out_size;
  st->state_ptr = (guintptr) d->state;
  st->state_size = sizeof (d->state);
  st->params.width = 17;
  st->params.sequence = (guint32) pos;
  __atomic_store_n (&st->seq, pos + 1, __ATOMIC_RELEASE);
}

static guint32
poll_once (Dev * d)
{
  return rk_cuda_loop_poll (&d->loop, &d->job);
}

static void
run_echo (Dev * d)
{
  RkCudaThreads t = { 0, 1 };

  rk_cuda_echo_process (&d->job, t);
}

static guint64
in_tail (Dev * d)
{
  return gst_rk_ring_load_acquire (d->in.tail);
}

/* ---- Layout ---- */

static void
test_layout (void)
{
  /* The protocol's copies against the runtime's host structs (the header
   * checks them against gstrkabi.h at compile time, in C and in CUDA). */
  g_assert_cmpuint (sizeof (RkCudaEnvelope), ==, sizeof (GstRkEnvelope));
  g_assert_cmpuint (G_STRUCT_OFFSET (RkCudaEnvelope, payload_size), ==,
      G_STRUCT_OFFSET (GstRkEnvelope, payload_size));
  g_assert_cmpuint (G_STRUCT_OFFSET (RkCudaEnvelope, correlation_id), ==,
      G_STRUCT_OFFSET (GstRkEnvelope, correlation_id));
  g_assert_cmpuint (G_STRUCT_OFFSET (RkCudaEnvelope, hlc_node), ==,
      G_STRUCT_OFFSET (GstRkEnvelope, hlc_node));
  g_assert_cmpuint (G_STRUCT_OFFSET (RkCudaEnvelope, payload_ref), ==,
      G_STRUCT_OFFSET (GstRkEnvelope, payload_ref));
  g_assert_cmpuint (sizeof (RkCudaParams), ==, sizeof (GstRkParams));
  g_assert_cmpuint (G_STRUCT_OFFSET (RkCudaParams, out_stride), ==,
      G_STRUCT_OFFSET (GstRkParams, out_stride));
  g_assert_cmpuint (G_STRUCT_OFFSET (RkCudaParams, sequence), ==,
      G_STRUCT_OFFSET (GstRkParams, sequence));
  g_assert_cmpuint (sizeof (RkCudaControl), ==, RK_CTRL_SIZE);
  g_assert_cmpuint (G_STRUCT_OFFSET (RkCudaControl, discarded), ==,
      RK_CUDA_CTRL_OFF_DISCARDED);
  g_assert_cmpuint (sizeof (RkCudaStage) % 64, ==, 0);
  g_assert_cmpuint (sizeof (RkCudaJob), ==, RK_CUDA_JOB_SIZE);
  /* Host-owned and device-owned words of the control block do not share a
   * cache line. */
  g_assert_cmpuint (G_STRUCT_OFFSET (RkCudaControl, flush_target) / 64, !=,
      G_STRUCT_OFFSET (RkCudaControl, status) / 64);
}

/* ---- Commands, status and heartbeat ---- */

static void
test_commands (void)
{
  Dev *d = dev_new (8, 8);

  g_assert_cmpuint (d->ctrl->status, ==, RK_STATUS_IDLE);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_NONE);
  g_assert_cmpuint (d->ctrl->status, ==, RK_STATUS_PAUSED);
  g_assert_cmpuint (d->ctrl->heartbeat, ==, 1);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_NONE);
  g_assert_cmpuint (d->ctrl->heartbeat, ==, 2);

  command (d, RK_CMD_RUN);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_NONE);
  g_assert_cmpuint (d->ctrl->status, ==, RK_STATUS_RUNNING);

  /* Terminate wins over queued work */
  stage (d, send (d, RK_MSG_DATA, (const guint8 *) "x", 1), 0, 1, 1);
  command (d, RK_CMD_TERMINATE);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_EXIT);
  g_assert_cmpuint (d->ctrl->status, ==, RK_STATUS_EXITED);
  g_assert_cmpuint (in_tail (d), ==, 0);
  dev_free (d);
}

/* ---- One message, inline both ways ---- */

static void
test_inline_message (void)
{
  Dev *d = dev_new (8, 8);
  const guint8 payload[5] = { 1, 2, 3, 4, 5 };
  const GstRkEnvelope *slot;
  GstRkEnvelope env;
  guint64 pos;

  command (d, RK_CMD_RUN);
  pos = send (d, RK_MSG_REQUEST, payload, sizeof (payload));

  /* Published but not staged: the device does not touch it. */
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_NONE);
  stage (d, pos, 0, sizeof (payload), sizeof (payload));
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_PROCESS);

  g_assert_cmpuint (d->job.type, ==, RK_MSG_REQUEST);
  g_assert_cmpuint (d->job.message_id, ==, 1);
  g_assert_cmpuint (d->job.correlation_id, ==, 1000);
  g_assert_cmpuint (d->job.in_size, ==, 5);
  g_assert_cmpuint (d->job.in_ptr, ==, (guintptr) d->in_mem +
      RK_RING_HEADER_SIZE + RK_ENVELOPE_SIZE);
  g_assert_cmpuint (d->job.out_ptr, ==, (guintptr) d->out_mem +
      RK_RING_HEADER_SIZE + RK_ENVELOPE_SIZE);
  g_assert_cmpuint (d->job.out_capacity, ==, INLINE_CAP);
  g_assert_cmpuint (d->job.out_arena, ==, 0);
  g_assert_cmpuint (d->job.state_ptr, ==, (guintptr) d->state);
  g_assert_cmpuint (d->job.params.width, ==, 17);
  g_assert_cmpuint (d->job.flags, ==, 0);

  run_echo (d);
  g_assert_cmpuint (rk_cuda_loop_complete (&d->loop, &d->job), ==,
      RK_CUDA_ACT_PROCESS);
  g_assert_cmpuint (d->ctrl->processed, ==, 1);
  g_assert_cmpuint (in_tail (d), ==, 1);

  /* The host reads the output with the runtime's ring and decoder. */
  g_assert_cmpuint (gst_rk_ring_consumer_available (&d->out), ==, 1);
  slot = gst_rk_ring_slot (&d->out, 0);
  g_assert_true (gst_rk_envelope_decode ((const guint8 *) slot, SLOT, &env,
          NULL));
  g_assert_cmpuint (env.type, ==, RK_MSG_REPLY);
  g_assert_cmpuint (env.flags, ==, RK_FLAG_INLINE);
  g_assert_cmpuint (env.payload_size, ==, 5);
  g_assert_cmpuint (env.message_id, ==, 1);
  g_assert_cmpuint (env.correlation_id, ==, 1000);
  g_assert_cmpuint (env.source, ==, KERNEL_ID);
  g_assert_cmpmem ((const guint8 *) slot + RK_ENVELOPE_SIZE, 5, payload, 5);
  gst_rk_ring_consumer_release (&d->out, 1);
  dev_free (d);
}

/* ---- Paused: keep; flush: discard in every state ---- */

static void
test_pause_and_flush (void)
{
  Dev *d = dev_new (8, 8);
  guint8 b = 9;

  for (guint i = 0; i < 3; i++)
    stage (d, send (d, RK_MSG_DATA, &b, 1), 0, 1, 1);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_NONE);
  g_assert_cmpuint (in_tail (d), ==, 0);
  g_assert_cmpuint (d->ctrl->status, ==, RK_STATUS_PAUSED);

  /* Flush the first two while paused */
  __atomic_store_n (&d->ctrl->flush_target, 2, __ATOMIC_RELEASE);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_NONE);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_NONE);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_NONE);
  g_assert_cmpuint (in_tail (d), ==, 2);
  g_assert_cmpuint (d->ctrl->discarded, ==, 2);
  g_assert_cmpuint (d->ctrl->processed, ==, 0);
  g_assert_cmpuint (gst_rk_ring_consumer_available (&d->out), ==, 0);

  /* The third runs once running */
  command (d, RK_CMD_RUN);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_PROCESS);
  g_assert_cmpuint (d->job.message_id, ==, 3);
  run_echo (d);
  rk_cuda_loop_complete (&d->loop, &d->job);
  g_assert_cmpuint (in_tail (d), ==, 3);

  /* A stage the host could not fill is discarded, also while running */
  stage (d, send (d, RK_MSG_DATA, &b, 1), RK_CUDA_STAGE_DISCARD, 1, 1);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_NONE);
  g_assert_cmpuint (in_tail (d), ==, 4);
  g_assert_cmpuint (d->ctrl->discarded, ==, 3);
  g_assert_cmpuint (d->ctrl->processed, ==, 1);
  dev_free (d);
}

/* ---- A full output ring: wait, rechecking flush and terminate ---- */

static void
test_output_full (void)
{
  Dev *d = dev_new (8, 2);
  guint8 b = 1;

  command (d, RK_CMD_RUN);
  for (guint i = 0; i < 4; i++)
    stage (d, send (d, RK_MSG_DATA, &b, 1), 0, 1, 1);
  for (guint i = 0; i < 2; i++) {
    g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_PROCESS);
    run_echo (d);
    rk_cuda_loop_complete (&d->loop, &d->job);
  }
  /* Nobody reads: the third waits */
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_NONE);
  g_assert_cmpuint (in_tail (d), ==, 2);

  /* One output read: the third goes */
  g_assert_cmpuint (gst_rk_ring_consumer_available (&d->out), ==, 2);
  gst_rk_ring_consumer_release (&d->out, 1);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_PROCESS);
  g_assert_cmpuint (d->job.message_id, ==, 3);
  run_echo (d);
  rk_cuda_loop_complete (&d->loop, &d->job);

  /* The fourth waits for space, until a flush passes it */
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_NONE);
  __atomic_store_n (&d->ctrl->flush_target, 4, __ATOMIC_RELEASE);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_NONE);
  g_assert_cmpuint (in_tail (d), ==, 4);
  g_assert_cmpuint (d->ctrl->discarded, ==, 1);
  dev_free (d);
}

/* ---- Outputs too big for a slot go to arena slots ---- */

static void
test_arena_output (void)
{
  Dev *d = dev_new (8, 8);
  guint8 b = 3;
  GstRkEnvelope env;

  command (d, RK_CMD_RUN);
  for (guint i = 0; i < 3; i++)
    stage (d, send (d, RK_MSG_DATA, &b, 1), 0, 1, 1000);

  for (guint i = 0; i < 2; i++) {
    g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_PROCESS);
    g_assert_cmpuint (d->job.out_arena, ==, 1);
    g_assert_cmpuint (d->job.out_ptr, ==, (guintptr) d->arena + i * 4096);
    g_assert_cmpuint (d->job.out_capacity, ==, 4096);
    d->job.out_type = RK_MSG_DATA;
    d->job.out_size = 1000;
    rk_cuda_loop_complete (&d->loop, &d->job);
  }
  /* Two arena slots, both held by unread outputs: the third waits although
   * the ring has room. */
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_NONE);
  g_assert_true (gst_rk_envelope_decode (gst_rk_ring_slot (&d->out, 0), SLOT,
          &env, NULL));
  g_assert_cmpuint (env.flags, ==, RK_FLAG_ARENA);
  g_assert_cmpuint (env.payload_ref, ==, (guintptr) d->arena);
  g_assert_cmpuint (env.payload_size, ==, 1000);
  gst_rk_ring_consumer_available (&d->out);
  gst_rk_ring_consumer_release (&d->out, 1);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_PROCESS);
  g_assert_cmpuint (d->job.out_ptr, ==, (guintptr) d->arena);  /* slot 0 again */

  /* An output bigger than its arena slot is a device-side fault */
  d->job.out_type = RK_MSG_DATA;
  d->job.out_size = 4097;
  g_assert_cmpuint (rk_cuda_loop_complete (&d->loop, &d->job), ==,
      RK_CUDA_ACT_EXIT);
  g_assert_cmpuint (d->ctrl->error, ==, RK_CUDA_ERROR_OUTPUT_OVERFLOW);
  g_assert_cmpuint (d->ctrl->error_arg, ==, 3);
  g_assert_cmpuint (d->ctrl->status, ==, RK_STATUS_EXITED);
  g_assert_cmpuint (in_tail (d), ==, 2);
  dev_free (d);
}

/* ---- Control messages and empty outputs ---- */

static void
test_control (void)
{
  Dev *d = dev_new (8, 8);
  RkCudaThreads t = { 0, 1 };
  guint64 what = RK_CONTROL_RESET_STATE, other = 77;

  command (d, RK_CMD_RUN);
  memset (d->state, 0xAB, sizeof (d->state));
  stage (d, send (d, RK_MSG_CONTROL, (guint8 *) & what, 8), 0, 8, 0);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_PROCESS);
  g_assert_cmpuint (d->job.flags, ==, RK_CUDA_JOB_RESET_STATE);
  rk_cuda_job_reset_state (&d->job, t);
  for (guint i = 0; i < sizeof (d->state); i++)
    g_assert_cmpuint (d->state[i], ==, 0);
  rk_cuda_loop_complete (&d->loop, &d->job);

  stage (d, send (d, RK_MSG_CONTROL, (guint8 *) & other, 8), 0, 8, 0);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_PROCESS);
  g_assert_cmpuint (d->job.flags, ==, RK_CUDA_JOB_SKIP);
  rk_cuda_loop_complete (&d->loop, &d->job);

  /* No payload in, none out (as the CPU echo does) */
  stage (d, send (d, RK_MSG_DATA, NULL, 0), 0, 0, 0);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_PROCESS);
  run_echo (d);
  rk_cuda_loop_complete (&d->loop, &d->job);

  g_assert_cmpuint (d->ctrl->processed, ==, 3);
  g_assert_cmpuint (in_tail (d), ==, 3);
  g_assert_cmpuint (gst_rk_ring_consumer_available (&d->out), ==, 1);
  g_assert_cmpuint (((GstRkEnvelope *) gst_rk_ring_slot (&d->out,
              0))->flags, ==, 0);
  dev_free (d);
}

/* ---- Idle backoff is bounded ---- */

static void
test_backoff (void)
{
  Dev *d = dev_new (8, 8);
  guint32 expect = RK_CUDA_MIN_BACKOFF_NS;
  guint8 b = 0;

  for (guint i = 0; i < RK_CUDA_IDLE_SPINS; i++) {
    poll_once (d);
    g_assert_cmpuint (d->loop.backoff_ns, ==, 0);
  }
  for (guint i = 0; i < 10; i++) {
    poll_once (d);
    g_assert_cmpuint (d->loop.backoff_ns, ==, expect);
    expect = MIN (expect * 2, d->args.max_backoff_ns);
  }
  g_assert_cmpuint (d->loop.backoff_ns, ==, d->args.max_backoff_ns);
  /* Work resets it */
  command (d, RK_CMD_RUN);
  stage (d, send (d, RK_MSG_DATA, &b, 1), 0, 1, 1);
  g_assert_cmpuint (poll_once (d), ==, RK_CUDA_ACT_PROCESS);
  g_assert_cmpuint (d->loop.backoff_ns, ==, 0);
  g_assert_cmpuint (d->loop.spins, ==, 0);
  dev_free (d);
}

/* ---- Many messages through small rings: order across wrap-around ---- */

static void
test_wrap (void)
{
  Dev *d = dev_new (4, 4);
  guint64 sent = 0, got = 0;

  command (d, RK_CMD_RUN);
  while (got < 1000) {
    while (sent < 1000 && gst_rk_ring_producer_free (&d->in) > 0) {
      guint8 b[8];

      for (guint k = 0; k < 8; k++)
        b[k] = (guint8) (sent >> (8 * k));
      stage (d, send (d, RK_MSG_DATA, b, 8), 0, 8, 8);
      sent++;
    }
    while (poll_once (d) == RK_CUDA_ACT_PROCESS) {
      run_echo (d);
      rk_cuda_loop_complete (&d->loop, &d->job);
    }
    while (gst_rk_ring_consumer_available (&d->out) > 0) {
      const guint8 *slot = gst_rk_ring_slot (&d->out, 0);
      guint64 v;

      g_assert_cmpuint (((const GstRkEnvelope *) slot)->message_id, ==,
          got + 1);
      memcpy (&v, slot + RK_ENVELOPE_SIZE, 8);
      g_assert_cmpuint (GUINT64_FROM_LE (v), ==, got);
      gst_rk_ring_consumer_release (&d->out, 1);
      got++;
    }
  }
  g_assert_cmpuint (d->ctrl->processed, ==, 1000);
  dev_free (d);
}

/* ---- Kernel bodies: independent references, split over "threads" ---- */

static guint8
reference_luma (guint r, guint g, guint b)
{
  return (guint8) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
}

/* Runs a body as a grid of @count threads would: each index once. */
static void
run_grid (void (*process) (RkCudaJob *, RkCudaThreads), RkCudaJob * job,
    guint count)
{
  for (guint i = 0; i < count; i++) {
    RkCudaThreads t = { i, count };
    process (job, t);
  }
}

static void
check_gray (guint32 format, guint width, guint height, guint threads)
{
  gboolean planar = format == RK_FORMAT_NV12 || format == RK_FORMAT_I420;
  guint bpp = planar ? 1 : 4;
  guint in_stride = planar ? GST_ROUND_UP_4 (width) : width * 4;
  guint out_stride = GST_ROUND_UP_4 (width);
  guint8 *in = g_malloc (in_stride * height + 16);
  guint8 *out = g_malloc (out_stride * height);
  RkCudaJob job = { 0, };

  for (guint i = 0; i < in_stride * height; i++)
    in[i] = (guint8) g_random_int ();
  memset (out, 0xEE, out_stride * height);
  job.type = RK_MSG_DATA;
  job.in_ptr = (guintptr) in;
  job.out_ptr = (guintptr) out;
  job.params.width = width;
  job.params.height = height;
  job.params.in_format = format;
  job.params.out_format = RK_FORMAT_GRAY8;
  job.params.in_stride[0] = in_stride;
  job.params.out_stride[0] = out_stride;
  job.params.out_size = out_stride * height;
  run_grid (rk_cuda_gray_process, &job, threads);

  for (guint y = 0; y < height; y++) {
    for (guint x = 0; x < out_stride; x++) {
      const guint8 *p = in + y * in_stride + x * bpp;
      guint8 want = 0;

      if (x < width && planar)
        want = p[0];
      else if (x < width && (format == RK_FORMAT_BGRA ||
              format == RK_FORMAT_BGRX))
        want = reference_luma (p[2], p[1], p[0]);
      else if (x < width)
        want = reference_luma (p[0], p[1], p[2]);
      if (out[y * out_stride + x] != want)
        g_error ("format %u %ux%u: pixel %u,%u is %u, want %u", format,
            width, height, x, y, out[y * out_stride + x], want);
    }
  }
  g_assert_cmpuint (job.out_type, ==, RK_MSG_DATA);
  g_assert_cmpuint (job.out_size, ==, out_stride * height);
  g_free (in);
  g_free (out);
}

static void
test_kernel_bodies (void)
{
  static const guint32 formats[] = { RK_FORMAT_RGBA, RK_FORMAT_BGRA,
    RK_FORMAT_RGBX, RK_FORMAT_BGRX, RK_FORMAT_NV12, RK_FORMAT_I420
  };
  guint8 src[300], dst[300];
  guint64 count = 41;
  RkCudaJob job = { 0, };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++) {
    check_gray (formats[f], 1, 1, 1);
    check_gray (formats[f], 17, 5, 7);
    check_gray (formats[f], 64, 3, 256);
    check_gray (formats[f], 33, 31, 13);
  }

  for (guint i = 0; i < sizeof (src); i++)
    src[i] = (guint8) (i * 7);
  job.type = RK_MSG_DATA;
  job.in_ptr = (guintptr) src;
  job.out_ptr = (guintptr) dst;
  job.in_size = sizeof (src);
  run_grid (rk_cuda_echo_process, &job, 32);
  g_assert_cmpmem (dst, sizeof (dst), src, sizeof (src));
  g_assert_cmpuint (job.out_type, ==, RK_MSG_DATA);

  job.type = RK_MSG_REQUEST;
  job.params.param[0] = 1;      /* "step" */
  job.state_ptr = (guintptr) & count;
  job.state_size = sizeof (count);
  run_grid (rk_test_counter_process, &job, 64);
  g_assert_cmpuint (count, ==, 42);
  g_assert_cmpuint (GUINT64_FROM_LE (*(guint64 *) dst), ==, 42);
  g_assert_cmpuint (job.out_type, ==, RK_MSG_REPLY);
  g_assert_cmpuint (job.out_size, ==, 8);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cuda/protocol/layout", test_layout);
  g_test_add_func ("/cuda/protocol/commands", test_commands);
  g_test_add_func ("/cuda/protocol/inline-message", test_inline_message);
  g_test_add_func ("/cuda/protocol/pause-and-flush", test_pause_and_flush);
  g_test_add_func ("/cuda/protocol/output-full", test_output_full);
  g_test_add_func ("/cuda/protocol/arena-output", test_arena_output);
  g_test_add_func ("/cuda/protocol/control", test_control);
  g_test_add_func ("/cuda/protocol/backoff", test_backoff);
  g_test_add_func ("/cuda/protocol/wrap", test_wrap);
  g_test_add_func ("/cuda/protocol/kernel-bodies", test_kernel_bodies);
  return g_test_run ();
}
