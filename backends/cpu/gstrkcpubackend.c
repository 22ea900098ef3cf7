/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The CPU backend. Always present, and the reference implementation.
 *
 * persistent:   one worker thread per kernel runs the dispatcher loop; it
 *               sleeps on a futex when idle and wakes in microseconds.
 * event-driven: no thread of its own: each send schedules the kernel on a
 *               shared thread pool, which drains what is queued and returns.
 * receiver-driven (either mode, GstRkLaunchOptions.receiver_drives): no
 *               thread either: whoever takes the outputs (an element's src
 *               task) drains the input queue itself (cpu_drive), so a
 *               buffer crosses one thread boundary, as through a queue.
 * Data-parallel kernels split frames over a fork-join pool with one helper
 * per extra core (grid × block emulation); GST_RK_CPU_HELPERS=<n> sets the
 * number of helpers instead (tests: 0 runs every block on the caller, as a
 * one-core machine does).
 */

#include <string.h>

#include "gstrkbackend.h"
#include "gstrkerror.h"
#include "gstrkregistryprivate.h"
#include "gstrkcpukernel.h"
#include "gstrkfault.h"
#include "gstrksync.h"

GST_DEBUG_CATEGORY_STATIC (gst_rk_cpu_debug);
#define GST_CAT_DEFAULT gst_rk_cpu_debug

/* Lifecycle commands are acknowledged after the message in hand; a CPU
 * message that takes longer than this is a bug, not a workload. */
#define COMMAND_TIMEOUT_US (10 * G_USEC_PER_SEC)

typedef struct
{
  GstRkDevice parent;
  GstRkCpuPool *pool;
  GThreadPool *event_pool;
} CpuDevice;

typedef struct
{
  CpuDevice *device;
  const GstRkCpuKernel *impl;
  const gchar *name;            /* the kernel's registry name */
  GstRkDispatcher *dispatcher;
  gpointer ring_mem;
  gsize in_size, out_size;
  guint grid_size;

  /* Device state, reallocated when a configuration needs another size */
  gpointer state;
  gsize state_size;

  /* persistent mode */
  GThread *thread;

  /* receiver-driven: held by the draining receiver; a command takes it to
   * know the message in hand is finished */
  gboolean driven;
  GMutex drive_lock;

  /* event-driven mode */
  gint scheduled;               /* a drain task is queued or running */
  GMutex busy_lock;
  GCond busy_cond;
} CpuKernel;

extern const GstRkBackend gst_rk_backend_cpu;

static void
cpu_register_kernels (void)
{
  gst_rk_registry_add_implementation ("echo", GST_RK_BACKEND_CPU,
      &gst_rk_cpu_kernel_echo);
  gst_rk_registry_add_implementation ("relay", GST_RK_BACKEND_CPU,
      &gst_rk_cpu_kernel_relay);
  gst_rk_registry_add_implementation ("gray", GST_RK_BACKEND_CPU,
      &gst_rk_cpu_kernel_gray);
  gst_rk_registry_add_implementation ("blur", GST_RK_BACKEND_CPU,
      &gst_rk_cpu_kernel_blur);
  gst_rk_registry_add_implementation ("sobel", GST_RK_BACKEND_CPU,
      &gst_rk_cpu_kernel_sobel);
  gst_rk_registry_add_implementation ("bgsub", GST_RK_BACKEND_CPU,
      &gst_rk_cpu_kernel_bgsub);
  gst_rk_registry_add_implementation ("fir", GST_RK_BACKEND_CPU,
      &gst_rk_cpu_kernel_fir);
  gst_rk_registry_add_implementation ("spectrum", GST_RK_BACKEND_CPU,
      &gst_rk_cpu_kernel_spectrum);
  gst_rk_registry_add_implementation ("anomaly", GST_RK_BACKEND_CPU,
      &gst_rk_cpu_kernel_anomaly);
}

static gchar *
cpu_device_name (void)
{
  return g_strdup_printf ("CPU (%u threads)", g_get_num_processors ());
}

static void
cpu_probe (GstRkBackendInfo * info)
{
  gchar *name = cpu_device_name ();

  info->available = TRUE;
  gst_rk_backend_info_add_device (info, 0, name, FALSE);
  g_free (name);
}

static void event_task (gpointer data, gpointer user_data);

static guint
n_helpers (void)
{
  const gchar *s = g_getenv ("GST_RK_CPU_HELPERS");
  guint64 n;

  if (s && g_ascii_string_to_unsigned (s, 10, 0, 256, &n, NULL))
    return (guint) n;
  if (s)
    GST_WARNING ("GST_RK_CPU_HELPERS=%s is not a number of helpers (0 to "
        "256): one per extra core", s);
  return g_get_num_processors () - 1;
}

static GstRkDevice *
cpu_open (gint device_id, GError ** error)
{
  CpuDevice *dev;
  gchar *name;

  GST_DEBUG_CATEGORY_INIT (gst_rk_cpu_debug, "ringkernel-cpu", 0,
      "ring kernel CPU backend");

  if (device_id > 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "the CPU backend has one device (0), not %d", device_id);
    return NULL;
  }
  dev = g_new0 (CpuDevice, 1);
  name = cpu_device_name ();
  gst_rk_device_init (&dev->parent, &gst_rk_backend_cpu, 0, name, FALSE);
  g_free (name);
  dev->pool = gst_rk_cpu_pool_new (n_helpers ());
  dev->event_pool = g_thread_pool_new (event_task, NULL, -1, FALSE, NULL);
  return &dev->parent;
}

static void
cpu_close (GstRkDevice * device)
{
  CpuDevice *dev = (CpuDevice *) device;

  g_thread_pool_free (dev->event_pool, FALSE, TRUE);
  gst_rk_cpu_pool_free (dev->pool);
  gst_rk_device_clear (device);
  g_free (dev);
}

/* ---- Running messages ---- */

static void
free_state (CpuKernel * ck)
{
  if (ck->state) {
    gst_rk_device_add_memory (&ck->device->parent, 0,
        -(gint64) ck->state_size);
    g_free (ck->state);
  }
  ck->state = NULL;
  ck->state_size = 0;
}

static void
reset_state (CpuKernel * ck, const GstRkParams * params)
{
  if (ck->impl->reset_state)
    ck->impl->reset_state (ck->impl, ck->state, ck->state_size, params);
  else if (ck->state)
    memset (ck->state, 0, ck->state_size);
}

/* State lives across messages; a configuration that needs a different size
 * (new caps) starts afresh. Its size comes from the caps, so an allocation
 * that fails is an error, not an abort. */
static gboolean
ensure_state (CpuKernel * ck, GstRkConfig * config, GError ** error)
{
  gsize size = config ? config->state_size : 0;

  if (size == ck->state_size)
    return TRUE;
  free_state (ck);
  if (size) {
    ck->state = gst_rk_fault_strikes (GST_RK_FAULT_ALLOC, ck->name) ? NULL :
        g_try_malloc0 (size);
    if (ck->state == NULL) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
          "cannot allocate %" G_GSIZE_FORMAT " bytes of state for %s", size,
          ck->name);
      return FALSE;
    }
    ck->state_size = size;
    gst_rk_device_add_memory (&ck->device->parent, 0, (gint64) size);
  }
  reset_state (ck, config ? &config->params : NULL);
  return TRUE;
}

static gboolean
cpu_dispatch (GstRkDispatcher * d, GstRkMessage * msg, GstRkConfig * config,
    gpointer user_data, GError ** error)
{
  CpuKernel *ck = user_data;
  GstRkCpuContext ctx;

  if (!ensure_state (ck, config, error))
    return FALSE;

  if (msg->env.type == RK_MSG_CONTROL) {
    guint64 what = 0;

    if (msg->payload)
      gst_buffer_extract (msg->payload, 0, &what, sizeof (what));
    if (what == RK_CONTROL_RESET_STATE)
      reset_state (ck, config ? &config->params : NULL);
    return TRUE;
  }

  ctx.msg = msg;
  ctx.config = config;
  ctx.params = config ? &config->params : NULL;
  ctx.state = ck->state;
  ctx.state_size = ck->state_size;
  ctx.grid_size = ck->grid_size;
  ctx.impl = ck->impl;
  ctx.dispatcher = d;
  ctx.pool = ck->device->pool;
  return ck->impl->process (&ctx, error);
}

gboolean
gst_rk_cpu_context_emit (GstRkCpuContext * ctx, guint32 type,
    GstBuffer * payload, GError ** error)
{
  return gst_rk_dispatcher_emit (ctx->dispatcher, type, payload, error);
}

GstBuffer *
gst_rk_cpu_context_alloc (GstRkCpuContext * ctx, gsize size, GError ** error)
{
  return gst_rk_kernel_alloc_output (gst_rk_dispatcher_get_kernel
      (ctx->dispatcher), size, error);
}

void
gst_rk_cpu_context_parallel_for (GstRkCpuContext * ctx, guint n_items,
    GstRkCpuRangeFunc func, gpointer user_data)
{
  gst_rk_cpu_pool_run (ctx->pool, n_items, ctx->grid_size, func, user_data);
}

/* ---- Event-driven scheduling ---- */

static void
schedule (CpuKernel * ck)
{
  if (g_atomic_int_compare_and_exchange (&ck->scheduled, 0, 1)) {
    GST_RK_TSAN_RELEASE (ck);   /* the pool hands ck over through GLib */
    g_thread_pool_push (ck->device->event_pool, ck, NULL);
  }
}

/* One task at a time per kernel drains what is queued. The task clears
 * "scheduled" under busy_lock and touches nothing of ck after unlocking:
 * terminate waits for scheduled == 0 under the same lock, then frees ck. */
static void
event_task (gpointer data, gpointer user_data)
{
  CpuKernel *ck = data;

  GST_RK_TSAN_ACQUIRE (ck);
  for (;;) {
    while (gst_rk_dispatcher_drain (ck->dispatcher, 64) > 0);

    gst_rk_mutex_lock (&ck->busy_lock);
    /* Let the next send schedule us, then look once more: a message
     * published between the drain and this store would otherwise wait.
     * The exchange is a full barrier between the two. */
    __atomic_exchange_n (&ck->scheduled, 0, __ATOMIC_SEQ_CST);
    /* A task scheduled meanwhile may already drain: look at shared memory
     * only, not at the consumer view it is using. */
    if (gst_rk_dispatcher_has_pending (ck->dispatcher) &&
        g_atomic_int_compare_and_exchange (&ck->scheduled, 0, 1)) {
      gst_rk_mutex_unlock (&ck->busy_lock);
      continue;
    }
    g_cond_broadcast (&ck->busy_cond);
    gst_rk_mutex_unlock (&ck->busy_lock);
    return;
  }
}

/* Waits until no drain task is queued or running. */
static gboolean
wait_event_idle (CpuKernel * ck, GError ** error)
{
  gint64 deadline = g_get_monotonic_time () + COMMAND_TIMEOUT_US;
  gboolean ok = TRUE;

  gst_rk_mutex_lock (&ck->busy_lock);
  while (ok && g_atomic_int_get (&ck->scheduled))
    ok = gst_rk_cond_wait_until (&ck->busy_cond, &ck->busy_lock, deadline);
  gst_rk_mutex_unlock (&ck->busy_lock);
  if (!ok)
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
        "CPU kernel did not go idle within %d s",
        (gint) (COMMAND_TIMEOUT_US / G_USEC_PER_SEC));
  return ok;
}

static gboolean
is_persistent (GstRkKernel * kernel)
{
  return gst_rk_kernel_get_mode (kernel) == GST_RK_KERNEL_MODE_PERSISTENT;
}

/* Event-driven kernels have no thread to acknowledge commands: set the
 * command, then wait for any drain task to finish. A receiver-driven
 * kernel's receiver finishes its message in hand under drive_lock. */
static gboolean
command (GstRkKernel * kernel, guint32 cmd, GError ** error)
{
  CpuKernel *ck = gst_rk_kernel_get_backend_data (kernel);

  if (ck->driven) {
    gst_rk_dispatcher_command (ck->dispatcher, cmd, 0, NULL);
    gst_rk_mutex_lock (&ck->drive_lock);
    gst_rk_mutex_unlock (&ck->drive_lock);
    gst_rk_kernel_notify_host (kernel);
    return TRUE;
  }
  if (is_persistent (kernel))
    return gst_rk_dispatcher_command (ck->dispatcher, cmd, COMMAND_TIMEOUT_US,
        error);

  gst_rk_dispatcher_command (ck->dispatcher, cmd, 0, NULL);
  if (cmd == RK_CMD_RUN) {
    schedule (ck);
    return TRUE;
  }
  return wait_event_idle (ck, error);
}

/* ---- Lifecycle ---- */

static gboolean
cpu_launch (GstRkDevice * device, GstRkKernel * kernel, GError ** error)
{
  const GstRkLaunchOptions *opts = gst_rk_kernel_get_options (kernel);
  const GstRkKernelInfo *info = gst_rk_kernel_get_info (kernel);
  CpuKernel *ck;
  guint8 *out_mem;

  ck = g_new0 (CpuKernel, 1);
  ck->device = (CpuDevice *) device;
  ck->impl = gst_rk_kernel_get_implementation (kernel);
  ck->name = info->name;
  g_mutex_init (&ck->busy_lock);
  g_cond_init (&ck->busy_cond);
  g_mutex_init (&ck->drive_lock);
  ck->driven = opts->receiver_drives;

  /* A grid of 0 means one block per core for frame kernels. */
  ck->grid_size = opts->grid_size;
  if (ck->grid_size == 0)
    ck->grid_size = info->kind == GST_RK_KERNEL_KIND_FRAME ?
        gst_rk_cpu_pool_get_n_threads (ck->device->pool) + 1 : 1;

  /* Both rings in one allocation; payloads stay in host buffers beside the
   * slots, so a slot is just an envelope. */
  ck->in_size = gst_rk_ring_memory_size (opts->input_queue_capacity,
      RK_ENVELOPE_SIZE);
  ck->out_size = gst_rk_ring_memory_size (opts->output_queue_capacity,
      RK_ENVELOPE_SIZE);
  if (gst_rk_fault_strikes (GST_RK_FAULT_ALLOC, ck->name)) {
    /* (GLib aborts when a real allocation fails; only a fault comes here) */
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "cannot allocate %" G_GSIZE_FORMAT " bytes of queues for %s",
        ck->in_size + ck->out_size, ck->name);
    goto fail;
  }
  ck->ring_mem = g_aligned_alloc0 (1, ck->in_size + ck->out_size,
      RK_RING_SLOT_ALIGN);
  out_mem = (guint8 *) ck->ring_mem + ck->in_size;
  gst_rk_device_add_memory (device, 0, (gint64) (ck->in_size + ck->out_size));

  if (!gst_rk_ring_format (ck->ring_mem, ck->in_size,
          opts->input_queue_capacity, RK_ENVELOPE_SIZE, error) ||
      !gst_rk_ring_format (out_mem, ck->out_size,
          opts->output_queue_capacity, RK_ENVELOPE_SIZE, error) ||
      !gst_rk_kernel_attach_rings (kernel, ck->ring_mem, ck->in_size, out_mem,
          ck->out_size, error))
    goto fail;

  ck->dispatcher = gst_rk_dispatcher_new (kernel, ck->ring_mem, ck->in_size,
      out_mem, ck->out_size, cpu_dispatch, ck, error);
  if (ck->dispatcher == NULL)
    goto fail;

  {
    GstRkConfig *config = gst_rk_kernel_get_config (kernel);
    gboolean ok = ensure_state (ck, config, error);

    gst_rk_config_unref (config);
    if (!ok)
      goto fail;
  }

  gst_rk_dispatcher_set_driven (ck->dispatcher, ck->driven);
  gst_rk_kernel_set_backend_data (kernel, ck);
  if (is_persistent (kernel) && !ck->driven)
    ck->thread = gst_rk_dispatcher_start (ck->dispatcher, "rk");
  return TRUE;

fail:
  if (ck->dispatcher)
    gst_rk_dispatcher_free (ck->dispatcher);
  if (ck->ring_mem) {
    gst_rk_device_add_memory (device, 0,
        -(gint64) (ck->in_size + ck->out_size));
    g_aligned_free (ck->ring_mem);
  }
  g_mutex_clear (&ck->busy_lock);
  g_cond_clear (&ck->busy_cond);
  g_mutex_clear (&ck->drive_lock);
  g_free (ck);
  return FALSE;
}

static gboolean
cpu_activate (GstRkKernel * kernel, GError ** error)
{
  return command (kernel, RK_CMD_RUN, error);
}

static gboolean
cpu_deactivate (GstRkKernel * kernel, GError ** error)
{
  return command (kernel, RK_CMD_PAUSE, error);
}

static gboolean
cpu_terminate (GstRkKernel * kernel, GError ** error)
{
  CpuKernel *ck = gst_rk_kernel_get_backend_data (kernel);
  gboolean ok = TRUE;

  if (ck == NULL)
    return TRUE;

  if (ck->thread) {
    gst_rk_dispatcher_command (ck->dispatcher, RK_CMD_TERMINATE, 0, NULL);
    g_thread_join (ck->thread);
  } else {
    ok = command (kernel, RK_CMD_TERMINATE, error);
  }

  gst_rk_dispatcher_free (ck->dispatcher);
  free_state (ck);
  gst_rk_device_add_memory (&ck->device->parent, 0,
      -(gint64) (ck->in_size + ck->out_size));
  g_aligned_free (ck->ring_mem);
  g_mutex_clear (&ck->busy_lock);
  g_cond_clear (&ck->busy_cond);
  g_mutex_clear (&ck->drive_lock);
  g_free (ck);
  gst_rk_kernel_set_backend_data (kernel, NULL);
  return ok;
}

static void
cpu_send (GstRkKernel * kernel)
{
  CpuKernel *ck = gst_rk_kernel_get_backend_data (kernel);

  if (ck->driven)
    gst_rk_kernel_notify_host (kernel);  /* the receiver drains */
  else if (ck->thread)
    gst_rk_dispatcher_kick (ck->dispatcher);
  else
    schedule (ck);
}

/* The receiver's turn to be the device: one run of at most a ring's worth
 * of messages, then it goes back to delivering outputs. */
static gboolean
cpu_drive (GstRkKernel * kernel)
{
  CpuKernel *ck = gst_rk_kernel_get_backend_data (kernel);
  guint n;

  if (ck == NULL || !ck->driven || !gst_rk_mutex_trylock (&ck->drive_lock))
    return FALSE;
  n = gst_rk_dispatcher_drain (ck->dispatcher, 64);
  gst_rk_mutex_unlock (&ck->drive_lock);
  return n > 0;
}

static void
cpu_fill_stats (GstRkKernel * kernel, GstStructure * stats)
{
  CpuKernel *ck = gst_rk_kernel_get_backend_data (kernel);

  if (ck)
    gst_structure_set (stats, "grid-size", G_TYPE_UINT, ck->grid_size,
        "state-size", G_TYPE_UINT64, (guint64) ck->state_size, NULL);
}

static const gchar *const cpu_user_suffixes[] = { ".so", NULL };

const GstRkBackend gst_rk_backend_cpu = {
  .kind = GST_RK_BACKEND_CPU,
  .name = "cpu",
  .register_kernels = cpu_register_kernels,
  .probe = cpu_probe,
  .open = cpu_open,
  .close = cpu_close,
  .launch = cpu_launch,
  .activate = cpu_activate,
  .deactivate = cpu_deactivate,
  .terminate = cpu_terminate,
  .send = cpu_send,
  .flush = cpu_send,
  .drive = cpu_drive,
  .poll = NULL,
  .fetch = NULL,
  .fill_stats = cpu_fill_stats,
  .user_kernel_suffixes = cpu_user_suffixes,
  .load_user_kernel = gst_rk_cpu_load_user_kernel,
};
