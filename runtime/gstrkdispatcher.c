/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gstrkdispatcher.h"
#include "gstrkerror.h"
#include "gstrkkernelprivate.h"

GST_DEBUG_CATEGORY_STATIC (gst_rk_dispatcher_debug);
#define GST_CAT_DEFAULT gst_rk_dispatcher_debug

/* Polls of the input ring before an idle dispatcher sleeps: catches the next
 * message of a burst without a futex round trip, and is short enough not to
 * starve the producer on a two-core machine. */
#define DEVICE_SPINS 256

struct _GstRkDispatcher
{
  GstRkKernel *kernel;
  GstRkRingConsumer in;
  GstRkRingProducer out;
  GstRkDispatchFunc func;
  gpointer user_data;
  GstRkDispatchBatchFunc batch_func;
  guint max_batch;
  GstRkMessage *batch;          /* max_batch messages */

  /* The input being processed: outputs inherit its id and correlation */
  GstRkEnvelope current;

  guint32 status;               /* RK_STATUS_*, atomic, read by the host */
  gint failed;                  /* atomic */
  /* Runs on the receiver's thread: a full output queue is made room in,
   * never waited on (nobody else would empty it) */
  gboolean driven;
};

GstRkDispatcher *
gst_rk_dispatcher_new (GstRkKernel * kernel, gpointer in_mem, gsize in_size,
    gpointer out_mem, gsize out_size, GstRkDispatchFunc func,
    gpointer user_data, GError ** error)
{
  GstRkDispatcher *d;

  GST_DEBUG_CATEGORY_INIT (gst_rk_dispatcher_debug, "ringkernel-dispatcher",
      0, "host-driven ring kernel device side");

  d = g_new0 (GstRkDispatcher, 1);
  d->kernel = kernel;
  d->func = func;
  d->user_data = user_data;
  d->status = RK_STATUS_PAUSED;
  if (!gst_rk_ring_consumer_init (&d->in, in_mem, in_size, error) ||
      !gst_rk_ring_producer_init (&d->out, out_mem, out_size, error)) {
    g_free (d);
    return NULL;
  }
  return d;
}

void
gst_rk_dispatcher_free (GstRkDispatcher * d)
{
  g_free (d->batch);
  g_free (d);
}

/**
 * gst_rk_dispatcher_set_batch_func:
 * @max_batch: most messages per call (>= 1)
 *
 * Processes runs of consecutive messages that share a configuration with
 * @func instead of one by one (control messages still go singly to the
 * per-message function). Call before the dispatcher runs.
 */
void
gst_rk_dispatcher_set_batch_func (GstRkDispatcher * d,
    GstRkDispatchBatchFunc func, guint max_batch)
{
  d->batch_func = func;
  d->max_batch = MAX (max_batch, 1);
  g_free (d->batch);
  d->batch = g_new0 (GstRkMessage, d->max_batch);
}

/**
 * gst_rk_dispatcher_set_driven:
 *
 * The dispatcher is drained by the kernel's receiver
 * (GstRkLaunchOptions.receiver_drives): when the output queue is full, the
 * outputs in it move to the receiver's side instead of being waited for.
 */
void
gst_rk_dispatcher_set_driven (GstRkDispatcher * d, gboolean driven)
{
  d->driven = driven;
}

GstRkKernel *
gst_rk_dispatcher_get_kernel (GstRkDispatcher * d)
{
  return d->kernel;
}

static inline guint32
command_of (GstRkDispatcher * d)
{
  return __atomic_load_n (&d->kernel->command, __ATOMIC_ACQUIRE);
}

typedef struct
{
  GstRkDispatcher *d;
  guint32 command;
} SpaceWait;

static gboolean
space_ready (gpointer data)
{
  SpaceWait *w = data;

  return gst_rk_ring_producer_free (&w->d->out) > 0 ||
      command_of (w->d) == RK_CMD_TERMINATE;
}

/**
 * gst_rk_dispatcher_emit_for:
 * @origin: the input this output comes from (its id and correlation id
 *   carry over)
 * @type: RK_MSG_DATA, RK_MSG_REPLY, RK_MSG_NOTIFY
 * @payload: (transfer full) (nullable): the output
 *
 * Publishes one output. Blocks while the output queue is full (the host
 * drains it); fails only when the kernel is terminating.
 */
gboolean
gst_rk_dispatcher_emit_for (GstRkDispatcher * d, const GstRkEnvelope * origin,
    guint32 type, GstBuffer * payload, GError ** error)
{
  GstRkEnvelope *env;
  GstRkSidecar *side;
  guint64 pos;

  if (gst_rk_ring_producer_free (&d->out) == 0 && d->driven)
    gst_rk_kernel_make_output_room (d->kernel);
  if (gst_rk_ring_producer_free (&d->out) == 0) {
    SpaceWait w = { d, 0 };

    /* The outputs so far are published but the input is not released (the
     * usual notification): the receiver must hear of them to make room. */
    gst_rk_kernel_notify_host (d->kernel);

    gst_rk_wakeup_wait (&d->kernel->device_wakeup, space_ready, &w,
        DEVICE_SPINS, GST_RK_WAIT_FOREVER);
    if (gst_rk_ring_producer_free (&d->out) == 0) {
      gst_clear_buffer (&payload);
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_FLUSHING,
          "kernel %s is terminating", GST_OBJECT_NAME (d->kernel));
      return FALSE;
    }
  }

  pos = gst_rk_ring_position (&d->out);
  env = gst_rk_ring_slot (&d->out, 0);
  gst_rk_envelope_init (env, type);
  env->message_id = origin->message_id;
  env->correlation_id = origin->correlation_id;
  env->source = d->kernel->id;
  if (payload) {
    /* The receiver measures the payload (payload_size): it reads the buffer
     * anyway, and the buffer's lines are usually the sender's */
    env->flags = RK_FLAG_HOST;
    env->payload_ref = pos;
  }
  side = gst_rk_kernel_get_output_sidecar (d->kernel, pos);
  side->payload = payload;

  gst_rk_ring_producer_publish (&d->out, 1);
  return TRUE;
}

/**
 * gst_rk_dispatcher_emit:
 *
 * gst_rk_dispatcher_emit_for() the message being processed.
 */
gboolean
gst_rk_dispatcher_emit (GstRkDispatcher * d, guint32 type, GstBuffer * payload,
    GError ** error)
{
  return gst_rk_dispatcher_emit_for (d, &d->current, type, payload, error);
}

static gboolean
work_allowed (GstRkDispatcher * d, guint64 next)
{
  if (g_atomic_int_get (&d->failed) ||
      g_atomic_int_get (&d->kernel->has_error))
    return FALSE;
  return command_of (d) == RK_CMD_RUN ||
      next < gst_rk_kernel_get_flush_target (d->kernel);
}

/* Work is waiting that the current command allows: anything below the
 * flush target (discarding is allowed in every state), or anything at all
 * while running. For the draining thread: it uses the consumer view. */
gboolean
gst_rk_dispatcher_has_work (GstRkDispatcher * d)
{
  return gst_rk_ring_consumer_available (&d->in) > 0 &&
      work_allowed (d, gst_rk_ring_position (&d->in));
}

/**
 * gst_rk_dispatcher_has_pending:
 *
 * Like gst_rk_dispatcher_has_work() from shared memory only (the ring's
 * head and tail), so any thread may ask while another drains.
 */
gboolean
gst_rk_dispatcher_has_pending (GstRkDispatcher * d)
{
  guint64 tail = gst_rk_ring_load_acquire (d->in.tail);

  return gst_rk_ring_load_acquire (d->in.head) != tail &&
      work_allowed (d, tail);
}

static void
fail (GstRkDispatcher * d, GError * error, guint64 message_id)
{
  if (command_of (d) == RK_CMD_TERMINATE) {
    g_clear_error (&error);     /* a failure while terminating is expected */
    return;
  }
  if (error == NULL)
    g_set_error (&error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "kernel %s failed on message %" G_GUINT64_FORMAT,
        d->kernel->info->name, message_id);
  g_atomic_int_set (&d->failed, TRUE);
  gst_rk_kernel_post_error_at (d->kernel, message_id, error);
}

static void
process_one (GstRkDispatcher * d, GstRkEnvelope * env, GstRkSidecar * side)
{
  GstRkMessage msg;
  GstRkConfig *config = side->config;
  GError *error = NULL;

  /* The configuration stays in the sidecar until the sender reuses the
   * slot (usually with the same one: no reference changes hands). */
  msg.env = *env;
  msg.payload = side->payload;
  side->payload = NULL;
  d->current = *env;

  if (!d->func (d, &msg, config, d->user_data, &error))
    fail (d, error, env->message_id);
  else
    g_clear_error (&error);
  gst_rk_message_clear (&msg);
  gst_rk_kernel_count_processed (d->kernel, 1);
}

/* Collects up to max_batch processable messages that share the first one's
 * configuration and hands them over in one call, then releases them. Returns
 * how many inputs it consumed (0 when the next message must go singly).
 * A batch holds its inputs until its outputs are out, so it takes no more
 * than the output queue has room for: blocked on a full output queue while
 * holding inputs, it would let fewer messages be in flight than the queues
 * hold, and a client that sends ahead could deadlock. */
static guint
process_batch (GstRkDispatcher * d, guint max)
{
  guint64 target = gst_rk_kernel_get_flush_target (d->kernel);
  guint64 first = gst_rk_ring_position (&d->in);
  GstRkConfig *config = NULL;
  GError *error = NULL;
  guint n = 0;

  max = MIN (MIN (max, gst_rk_ring_consumer_available (&d->in)),
      MIN (d->max_batch, gst_rk_ring_producer_free (&d->out)));
  while (n < max) {
    GstRkEnvelope *env = gst_rk_ring_slot (&d->in, n);
    GstRkSidecar *side = gst_rk_kernel_get_input_sidecar (d->kernel,
        first + n);

    if (first + n < target || env->type == RK_MSG_CONTROL ||
        (config && side->config != config))
      break;
    config = side->config;
    d->batch[n].env = *env;
    d->batch[n].payload = side->payload;
    side->payload = NULL;
    n++;
  }
  if (n == 0)
    return 0;

  d->current = d->batch[0].env;
  if (!d->batch_func (d, d->batch, n, config, d->user_data, &error))
    fail (d, error, d->batch[0].env.message_id);
  else
    g_clear_error (&error);

  for (guint i = 0; i < n; i++)
    gst_rk_message_clear (&d->batch[i]);
  gst_rk_kernel_count_processed (d->kernel, n);
  gst_rk_ring_consumer_release (&d->in, n);
  if (!d->driven)
    gst_rk_kernel_notify_host (d->kernel);
  return n;
}

/**
 * gst_rk_dispatcher_drain:
 * @max: at most this many inputs
 *
 * Consumes queued inputs: discards those below the flush target, processes
 * the others while the command is RUN. Each input's slot is released after
 * its outputs are published (the ordering contract of GstRkKernel).
 *
 * Returns: how many inputs were consumed.
 */
guint
gst_rk_dispatcher_drain (GstRkDispatcher * d, guint max)
{
  guint n = 0;

  while (n < max && gst_rk_dispatcher_has_work (d)) {
    guint64 pos;
    GstRkEnvelope *env;
    GstRkSidecar *side;

    if (d->batch_func && command_of (d) == RK_CMD_RUN) {
      guint done = process_batch (d, max - n);

      if (done > 0) {
        n += done;
        continue;
      }
    }
    pos = gst_rk_ring_position (&d->in);
    env = gst_rk_ring_slot (&d->in, 0);
    side = gst_rk_kernel_get_input_sidecar (d->kernel, pos);
    /* Both lines come from the sender's cache: fetch them together */
    __builtin_prefetch (side);

    if (pos < gst_rk_kernel_get_flush_target (d->kernel)) {
      gst_clear_buffer (&side->payload);
      /* Counted before the release: a host that sees the slot consumed
       * sees the count too. */
      gst_rk_kernel_count_flushed (d->kernel, 1);
    } else {
      process_one (d, env, side);
    }
    gst_rk_ring_consumer_release (&d->in, 1);
    n++;
    /* Wake a sender blocked on a full queue, or the src task, promptly.
     * A driven dispatcher runs on the receiver's thread: only a sender can
     * be waiting, and it is woken once per run, not once per message (a
     * futex wake per buffer was a third of the element's cost). */
    if (!d->driven)
      gst_rk_kernel_notify_host (d->kernel);
  }
  if (d->driven && n > 0)
    gst_rk_kernel_notify_host (d->kernel);
  return n;
}

static void
set_status (GstRkDispatcher * d, guint32 status)
{
  if (__atomic_load_n (&d->status, __ATOMIC_RELAXED) != status) {
    __atomic_store_n (&d->status, status, __ATOMIC_RELEASE);
    gst_rk_kernel_notify_host (d->kernel);
  }
}

typedef struct
{
  GstRkDispatcher *d;
  guint32 command;
} IdleWait;

static gboolean
idle_ready (gpointer data)
{
  IdleWait *w = data;

  return command_of (w->d) != w->command ||
      gst_rk_dispatcher_has_work (w->d);
}

/**
 * gst_rk_dispatcher_run:
 *
 * The loop of a persistent host thread: processes while RUN, discards
 * flushed input in every state, sleeps when idle, returns on TERMINATE.
 */
void
gst_rk_dispatcher_run (GstRkDispatcher * d)
{
  for (;;) {
    guint32 command = command_of (d);
    IdleWait w = { d, command };

    if (command == RK_CMD_TERMINATE)
      break;
    /* The message in hand is finished, so the command is now obeyed. */
    set_status (d, command == RK_CMD_RUN ? RK_STATUS_RUNNING :
        RK_STATUS_PAUSED);
    if (gst_rk_dispatcher_drain (d, 64) > 0)
      continue;

    gst_rk_wakeup_wait (&d->kernel->device_wakeup, idle_ready, &w,
        DEVICE_SPINS, GST_RK_WAIT_FOREVER);
  }
  set_status (d, RK_STATUS_EXITED);
}

static gpointer
run_thread (gpointer data)
{
  gst_rk_dispatcher_run (data);
  return NULL;
}

/**
 * gst_rk_dispatcher_start:
 * @prefix: the start of the thread's name ("rk", "rkvk", ...); the
 *   kernel's name fills the rest of Linux's 15 characters
 *
 * Starts a host thread running gst_rk_dispatcher_run(): the backends'
 * persistent and event-driven host loops. Join it after RK_CMD_TERMINATE.
 *
 * Returns: (transfer full): the thread
 */
GThread *
gst_rk_dispatcher_start (GstRkDispatcher * d, const gchar * prefix)
{
  gint room = MAX (15 - (gint) strlen (prefix) - 1, 0);
  gchar *name = g_strdup_printf ("%s-%.*s", prefix, room,
      GST_OBJECT_NAME (d->kernel));
  GThread *thread = g_thread_new (name, run_thread, d);

  g_free (name);
  return thread;
}

/* Wakes a sleeping dispatcher: new input, or a flush target moved. */
void
gst_rk_dispatcher_kick (GstRkDispatcher * d)
{
  gst_rk_wakeup_notify (&d->kernel->device_wakeup);
}

typedef struct
{
  GstRkDispatcher *d;
  guint32 want;
} StatusWait;

static gboolean
status_ready (gpointer data)
{
  StatusWait *w = data;

  return __atomic_load_n (&w->d->status, __ATOMIC_ACQUIRE) == w->want;
}

/**
 * gst_rk_dispatcher_command:
 * @command: RK_CMD_RUN, RK_CMD_PAUSE or RK_CMD_TERMINATE
 * @timeout_us: how long to wait for the dispatcher to acknowledge, or 0 to
 *   not wait (for dispatchers with no thread of their own)
 *
 * Tells a dispatcher running gst_rk_dispatcher_run() what to do and waits
 * until it says it did (after finishing the message in hand).
 */
gboolean
gst_rk_dispatcher_command (GstRkDispatcher * d, guint32 command,
    gint64 timeout_us, GError ** error)
{
  StatusWait w = { d, 0 };

  __atomic_store_n (&d->kernel->command, command, __ATOMIC_RELEASE);
  gst_rk_wakeup_notify (&d->kernel->device_wakeup);
  if (timeout_us == 0)
    return TRUE;

  switch (command) {
    case RK_CMD_RUN:
      w.want = RK_STATUS_RUNNING;
      break;
    case RK_CMD_PAUSE:
      w.want = RK_STATUS_PAUSED;
      break;
    default:
      w.want = RK_STATUS_EXITED;
      break;
  }
  if (!gst_rk_wakeup_wait (&d->kernel->host_wakeup, status_ready, &w, 0,
          g_get_monotonic_time () + timeout_us)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
        "kernel %s did not acknowledge the command within %" G_GINT64_FORMAT
        " ms", GST_OBJECT_NAME (d->kernel), timeout_us / 1000);
    return FALSE;
  }
  return TRUE;
}
