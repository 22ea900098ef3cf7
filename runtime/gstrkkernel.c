/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:gstrkkernel
 * @title: GstRkKernel
 * @short_description: the host side of a launched ring kernel
 *
 * A GstRkKernel is what the host holds of a kernel resident on a device:
 * the producer end of its input ring, the consumer end of its output ring,
 * its lifecycle state, configuration and counters. The backend owns the
 * other ends. Sending blocks while the input ring is full (backpressure);
 * setting the kernel flushing unblocks every host wait.
 *
 * Ordering contract with the device side: a kernel publishes the outputs of
 * an input before it releases that input's slot. So once the consumed
 * position passes N, every output of messages 1..N is already visible.
 */

#include <string.h>

#include "gstrkkernelprivate.h"
#include "gstrkerror.h"
#include "gstrkfault.h"
#include "gstrkhlcmeta.h"
#include "gstrkoutputpool.h"
#include "gstrksync.h"

GST_DEBUG_CATEGORY_STATIC (gst_rk_kernel_debug);
#define GST_CAT_DEFAULT gst_rk_kernel_debug

/* How long a host thread spins on a ring before sleeping, in polls. Short:
 * on a two-core machine a spinning waiter steals the core its peer needs. */
#define HOST_SPINS 64

/* How long the receiver of a busy item stream spins before it sleeps. */
#define RECEIVER_BUSY_SPIN_US 20

/* Bound on how long a flush waits for the device side to discard. */
#define FLUSH_TIMEOUT_US (5 * G_USEC_PER_SEC)

G_DEFINE_TYPE_WITH_CODE (GstRkKernel, gst_rk_kernel, GST_TYPE_OBJECT,
    GST_DEBUG_CATEGORY_INIT (gst_rk_kernel_debug, "ringkernel-kernel", 0,
        "ring kernel host side"));

/**
 * gst_rk_message_clear:
 * @msg: a message from a receive or a call
 *
 * Releases the payload.
 */
void
gst_rk_message_clear (GstRkMessage * msg)
{
  gst_clear_buffer (&msg->payload);
}

/* A call waiting for its reply. Abandoned (timed out) calls stay in the
 * table until their reply arrives, so that late reply is recognised. */
typedef struct
{
  guint64 correlation;
  gboolean done;
  gboolean abandoned;
  GstRkMessage reply;
} GstRkCall;

static void
call_free (gpointer data)
{
  GstRkCall *call = data;

  gst_rk_message_clear (&call->reply);
  g_free (call);
}

static void
stash_free (gpointer data)
{
  gst_rk_message_clear (data);
  g_free (data);
}

/* A marker in the item stream: due once every output of the first @after
 * messages is out. */
typedef struct
{
  guint64 after;
  gpointer data;
  GDestroyNotify notify;
} GstRkMarker;

static void
marker_free (gpointer data)
{
  GstRkMarker *m = data;

  if (m->notify)
    m->notify (m->data);
  g_free (m);
}

static void
gst_rk_kernel_init (GstRkKernel * self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->stats_done);
  g_mutex_init (&self->send_lock);
  g_mutex_init (&self->recv_lock);
  g_mutex_init (&self->pool_lock);
  gst_rk_wakeup_init (&self->host_wakeup);
  gst_rk_wakeup_init (&self->device_wakeup);
  self->state = GST_RK_KERNEL_STATE_CREATED;
  self->command = RK_CMD_PAUSE;
  self->calls = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
      call_free);
  g_queue_init (&self->stash);
  g_queue_init (&self->markers);
  self->first_marker_after = G_MAXUINT64;
  gst_rk_latency_histogram_reset (&self->latency);
}

static void
clear_sidecars (GstRkSidecar * side, guint32 n)
{
  guint32 i;

  if (side == NULL)
    return;
  for (i = 0; i < n; i++) {
    gst_clear_buffer (&side[i].payload);
    g_clear_pointer (&side[i].config, gst_rk_config_unref);
  }
}

static void
gst_rk_kernel_finalize (GObject * object)
{
  GstRkKernel *self = GST_RK_KERNEL (object);

  if (self->state != GST_RK_KERNEL_STATE_CREATED &&
      self->state != GST_RK_KERNEL_STATE_TERMINATED)
    g_critical ("ring kernel %s finalized while %s: terminate it first",
        GST_OBJECT_NAME (self), gst_rk_kernel_state_get_name (self->state));

  if (self->in_side) {
    clear_sidecars (self->in_side, self->in.capacity);
    clear_sidecars (self->out_side, self->out.capacity);
  }
  g_free (self->in_side);
  g_free (self->out_side);
  g_free (self->origins);
  g_clear_pointer (&self->config, gst_rk_config_unref);
  g_clear_pointer (&self->params, gst_structure_free);
  g_hash_table_unref (self->calls);
  g_queue_clear_full (&self->stash, stash_free);
  g_queue_clear_full (&self->markers, marker_free);
  if (self->have_held)
    gst_rk_message_clear (&self->held);
  g_clear_error (&self->error);
  g_free (self->selection_note);
  if (self->pool) {
    gst_buffer_pool_set_active (self->pool, FALSE);
    gst_object_unref (self->pool);
  }

  g_mutex_clear (&self->lock);
  g_cond_clear (&self->stats_done);
  g_mutex_clear (&self->send_lock);
  g_mutex_clear (&self->recv_lock);
  g_mutex_clear (&self->pool_lock);

  G_OBJECT_CLASS (gst_rk_kernel_parent_class)->finalize (object);
}

static void
gst_rk_kernel_class_init (GstRkKernelClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = gst_rk_kernel_finalize;
}

GstRkKernel *
gst_rk_kernel_new_internal (GstRkHlc * clock, guint32 id,
    const GstRkKernelInfo * info, const gchar * label)
{
  GstRkKernel *self = g_object_new (GST_TYPE_RK_KERNEL, "name", label, NULL);

  gst_object_ref_sink (self);
  self->clock = clock;
  self->id = id;
  self->info = info;
  self->params = gst_rk_kernel_info_default_params (info);
  return self;
}

/* ---- Accessors ---- */

/**
 * gst_rk_kernel_get_id:
 * @kernel: a #GstRkKernel
 *
 * Returns: the kernel's id in its runtime (the kernel_id of its outputs'
 * #GstRkHlcMeta)
 */
guint32
gst_rk_kernel_get_id (GstRkKernel * kernel)
{
  return kernel->id;
}

/**
 * gst_rk_kernel_get_info:
 * @kernel: a #GstRkKernel
 *
 * Returns: (transfer none): the kernel's descriptor
 */
const GstRkKernelInfo *
gst_rk_kernel_get_info (GstRkKernel * kernel)
{
  return kernel->info;
}

/**
 * gst_rk_kernel_get_backend:
 * @kernel: a #GstRkKernel
 *
 * Returns: the backend the kernel runs on
 */
GstRkBackendKind
gst_rk_kernel_get_backend (GstRkKernel * kernel)
{
  return kernel->backend ? kernel->backend->kind : GST_RK_BACKEND_AUTO;
}

/**
 * gst_rk_kernel_get_mode:
 * @kernel: a #GstRkKernel
 *
 * Returns: the mode it runs in
 */
GstRkKernelMode
gst_rk_kernel_get_mode (GstRkKernel * kernel)
{
  return kernel->mode;
}

/**
 * gst_rk_kernel_get_options:
 * @kernel: a #GstRkKernel
 *
 * Returns: (transfer none): the launch options, as validated
 */
const GstRkLaunchOptions *
gst_rk_kernel_get_options (GstRkKernel * kernel)
{
  return &kernel->opts;
}

/**
 * gst_rk_kernel_get_state:
 * @kernel: a #GstRkKernel
 *
 * Returns: the lifecycle state
 */
GstRkKernelState
gst_rk_kernel_get_state (GstRkKernel * kernel)
{
  GstRkKernelState state;

  gst_rk_mutex_lock (&kernel->lock);
  state = kernel->state;
  gst_rk_mutex_unlock (&kernel->lock);
  return state;
}

/**
 * gst_rk_kernel_get_device_name:
 * @kernel: a #GstRkKernel
 *
 * Returns: (transfer none): the name of the device it runs on
 */
const gchar *
gst_rk_kernel_get_device_name (GstRkKernel * kernel)
{
  return kernel->device ? kernel->device->name : NULL;
}

/**
 * gst_rk_kernel_get_selection_note:
 * @kernel: a #GstRkKernel
 *
 * Returns: (transfer none) (nullable): how the backend was chosen, when
 * that is worth telling the user (auto selection, or a fallback because
 * the kernel has no implementation on the requested backend).
 */
const gchar *
gst_rk_kernel_get_selection_note (GstRkKernel * kernel)
{
  return kernel->selection_note;
}

gpointer
gst_rk_kernel_get_backend_data (GstRkKernel * kernel)
{
  return kernel->backend_data;
}

void
gst_rk_kernel_set_backend_data (GstRkKernel * kernel, gpointer data)
{
  kernel->backend_data = data;
}

gconstpointer
gst_rk_kernel_get_implementation (GstRkKernel * kernel)
{
  return kernel->impl;
}

GstRkDevice *
gst_rk_kernel_get_device (GstRkKernel * kernel)
{
  return kernel->device;
}

/**
 * gst_rk_kernel_get_config:
 *
 * Returns: (transfer full): the configuration new messages are sent under.
 */
GstRkConfig *
gst_rk_kernel_get_config (GstRkKernel * kernel)
{
  GstRkConfig *config;

  gst_rk_mutex_lock (&kernel->send_lock);
  config = gst_rk_config_ref (kernel->config);
  gst_rk_mutex_unlock (&kernel->send_lock);
  return config;
}

guint64
gst_rk_kernel_get_flush_target (GstRkKernel * kernel)
{
  return __atomic_load_n (&kernel->flush_target, __ATOMIC_ACQUIRE);
}

void
gst_rk_kernel_count_processed (GstRkKernel * kernel, guint64 n)
{
  guint64 total = __atomic_add_fetch (&kernel->processed, n,
      __ATOMIC_RELAXED);
  GError *err = NULL;

  /* Every backend's device side counts here: the place to fail "mid-stream"
   * the same way on all of them. */
  if (!gst_rk_fault_check (GST_RK_FAULT_STREAM, kernel->info->name, total,
          &err))
    gst_rk_kernel_post_error (kernel, err);
}

void
gst_rk_kernel_count_flushed (GstRkKernel * kernel, guint64 n)
{
  __atomic_add_fetch (&kernel->flushed, n, __ATOMIC_RELAXED);
}

/**
 * gst_rk_kernel_get_device_payloads:
 *
 * Returns: whether the kernel can take its inputs from, and leave its
 * outputs in, memory on its device (GstRkDeviceMemory): what lets two
 * elements on one device pass frames without the host.
 */
gboolean
gst_rk_kernel_get_device_payloads (GstRkKernel * kernel)
{
  g_return_val_if_fail (GST_IS_RK_KERNEL (kernel), FALSE);

  return kernel->backend && kernel->device &&
      kernel->backend->device_memory && kernel->backend->device_payloads &&
      kernel->backend->device_payloads (kernel);
}

/**
 * gst_rk_kernel_set_device_outputs:
 * @on_device: leave the outputs on the device
 *
 * Where the kernel's frame outputs go from the next message on: host
 * memory (the default) or GstRkDeviceMemory on its device, for a consumer
 * that reads them there (the next element negotiated
 * GST_CAPS_FEATURE_MEMORY_RK_DEVICE). Ignored unless
 * gst_rk_kernel_get_device_payloads().
 */
void
gst_rk_kernel_set_device_outputs (GstRkKernel * kernel, gboolean on_device)
{
  g_return_if_fail (GST_IS_RK_KERNEL (kernel));

  g_atomic_int_set (&kernel->device_outputs, on_device &&
      gst_rk_kernel_get_device_payloads (kernel));
}

gboolean
gst_rk_kernel_get_device_outputs (GstRkKernel * kernel)
{
  return g_atomic_int_get (&kernel->device_outputs);
}

/**
 * gst_rk_kernel_count_upload:
 * @bytes: payload bytes the backend copied from host memory to the device
 *
 * Counts one payload copied to the device: what would cross the bus on a
 * discrete GPU. Backends whose device is the host (the CPU) never count.
 */
void
gst_rk_kernel_count_upload (GstRkKernel * kernel, gsize bytes)
{
  __atomic_add_fetch (&kernel->uploads, 1, __ATOMIC_RELAXED);
  __atomic_add_fetch (&kernel->upload_bytes, bytes, __ATOMIC_RELAXED);
}

/**
 * gst_rk_kernel_count_download:
 * @bytes: payload bytes the backend copied from the device to host memory
 */
void
gst_rk_kernel_count_download (GstRkKernel * kernel, gsize bytes)
{
  __atomic_add_fetch (&kernel->downloads, 1, __ATOMIC_RELAXED);
  __atomic_add_fetch (&kernel->download_bytes, bytes, __ATOMIC_RELAXED);
}

/* ---- Rings ---- */

/**
 * gst_rk_kernel_attach_rings:
 *
 * Called by a backend's launch with the formatted memory of both rings. The
 * host becomes the producer of @in_mem and the consumer of @out_mem.
 */
gboolean
gst_rk_kernel_attach_rings (GstRkKernel * kernel, gpointer in_mem,
    gsize in_size, gpointer out_mem, gsize out_size, GError ** error)
{
  guint32 n_times;

  if (!gst_rk_ring_producer_init (&kernel->in, in_mem, in_size, error) ||
      !gst_rk_ring_consumer_init (&kernel->out, out_mem, out_size, error))
    return FALSE;

  kernel->in_side = g_new0 (GstRkSidecar, kernel->in.capacity);
  kernel->out_side = g_new0 (GstRkSidecar, kernel->out.capacity);
  kernel->in_mask = kernel->in.mask;
  kernel->out_mask = kernel->out.mask;
  /* An origin lives until the outputs of its message are received: at most
   * one ring of inputs plus one of outputs in flight. */
  n_times = gst_rk_round_up_pow2 (kernel->in.capacity + kernel->out.capacity);
  kernel->origins = g_new0 (GstRkOrigin, n_times);
  kernel->origins_mask = n_times - 1;
  kernel->rings_attached = TRUE;
  return TRUE;
}

GstRkSidecar *
gst_rk_kernel_get_input_sidecar (GstRkKernel * kernel, guint64 position)
{
  return &kernel->in_side[position & kernel->in_mask];
}

/**
 * gst_rk_kernel_get_input_pts:
 * @position: an input published and not yet consumed
 *
 * For backends whose device makes timestamped events from inputs that went
 * inline (their buffers are gone by then).
 *
 * Returns: the PTS of the input's buffer, GST_CLOCK_TIME_NONE without one.
 */
GstClockTime
gst_rk_kernel_get_input_pts (GstRkKernel * kernel, guint64 position)
{
  const GstRkOrigin *o = &kernel->origins[position & kernel->origins_mask];

  return o->position == position ? o->pts : GST_CLOCK_TIME_NONE;
}

GstRkSidecar *
gst_rk_kernel_get_output_sidecar (GstRkKernel * kernel, guint64 position)
{
  return &kernel->out_side[position & kernel->out_mask];
}

/* ---- Notifications and errors ---- */

/**
 * gst_rk_kernel_get_device_wakeup:
 *
 * Returns: (transfer none): the event count a backend's own host thread
 * may sleep on. It is notified when the host consumes outputs, and on
 * errors; the backend notifies it itself for new input, flushes and
 * commands (gst_rk_wakeup_notify()).
 */
GstRkWakeup *
gst_rk_kernel_get_device_wakeup (GstRkKernel * kernel)
{
  return &kernel->device_wakeup;
}

/* Backends call this after publishing outputs or consuming inputs. */
void
gst_rk_kernel_notify_host (GstRkKernel * kernel)
{
  gst_rk_wakeup_notify (&kernel->host_wakeup);
}

/**
 * gst_rk_kernel_is_host_waiting:
 *
 * Returns: whether a host thread sleeps on the kernel (for outputs, queue
 * space or progress). A backend that watches its device for progress can
 * look often while someone waits, and seldom otherwise.
 */
gboolean
gst_rk_kernel_is_host_waiting (GstRkKernel * kernel)
{
  return __atomic_load_n (&kernel->host_wakeup.waiters, __ATOMIC_SEQ_CST) > 0;
}

/**
 * gst_rk_kernel_set_poll_interval:
 * @interval_us: how often host waits look at the rings again, or 0
 *
 * For devices that cannot wake the host (a persistent GPU kernel writing
 * mapped memory): host threads waiting for outputs or queue space then sleep
 * at most this long before they look again. 0 (the default) means the
 * device side calls gst_rk_kernel_notify_host() on every change.
 */
void
gst_rk_kernel_set_poll_interval (GstRkKernel * kernel, guint interval_us)
{
  g_atomic_int_set (&kernel->poll_interval_us, interval_us);
}

/**
 * gst_rk_kernel_set_receiver_spin:
 * @spin_us: how long a host wait spins at most while inputs are in flight
 *
 * For devices that cannot wake the host promptly (a persistent GPU kernel
 * writing mapped memory): a host thread about to sleep for an output looks
 * at the rings without sleeping for up to @spin_us first, but only while
 * the device holds inputs it has not consumed, whose outputs are coming.
 * An idle kernel costs no spinning; a reply takes the device's time, not a
 * watcher's. 0 (the default): no spin beyond the short one of every wait.
 */
void
gst_rk_kernel_set_receiver_spin (GstRkKernel * kernel, guint spin_us)
{
  g_atomic_int_set (&kernel->receiver_spin_us, spin_us);
}

static gboolean
inputs_in_flight (GstRkKernel * kernel)
{
  return kernel->rings_attached &&
      gst_rk_ring_load_acquire (kernel->in.head) !=
      gst_rk_ring_load_acquire (kernel->in.tail);
}

/* A host thread's look before it sleeps, bounded by @spin_us (and
 * @deadline); with @while_in_flight it ends as soon as no input is left on
 * the device. The clock is read once per 64 looks (a vDSO call costs about
 * as much as ten looks), and the core offered to others as often: the
 * device may be a thread of this machine (lavapipe), and a long chain has
 * more threads than cores. */
static gboolean
spin (GstRkKernel * kernel, GstRkReadyFunc ready, gpointer data,
    guint spin_us, gint64 deadline, gboolean while_in_flight)
{
  gint64 end = g_get_monotonic_time () + spin_us;

  if (deadline != GST_RK_WAIT_FOREVER)
    end = MIN (end, deadline);
  while (!while_in_flight || inputs_in_flight (kernel)) {
    for (guint i = 0; i < 64; i++) {
      if (ready (data))
        return TRUE;
    }
    if (g_get_monotonic_time () >= end)
      break;
    g_thread_yield ();
  }
  return ready (data);
}

/* Every host wait goes through here: sleeps until notified, or in slices of
 * the poll interval for devices that cannot notify. */
static gboolean
host_wait (GstRkKernel * kernel, GstRkReadyFunc ready, gpointer data,
    gint64 deadline)
{
  guint interval = g_atomic_int_get (&kernel->poll_interval_us);
  guint spin_us = g_atomic_int_get (&kernel->receiver_spin_us);

  if (spin_us && spin (kernel, ready, data, spin_us, deadline, TRUE))
    return TRUE;

  if (interval == 0)
    return gst_rk_wakeup_wait (&kernel->host_wakeup, ready, data, HOST_SPINS,
        deadline);
  for (;;) {
    gint64 slice = g_get_monotonic_time () + interval;

    if (gst_rk_wakeup_wait (&kernel->host_wakeup, ready, data, HOST_SPINS,
            MIN (slice, deadline)))
      return TRUE;
    if (deadline != GST_RK_WAIT_FOREVER &&
        g_get_monotonic_time () >= deadline)
      return FALSE;
  }
}

static guint64 consumed_position (GstRkKernel * kernel);

/**
 * gst_rk_kernel_post_error_at:
 * @message_id: the message the kernel failed on (0: not known)
 * @error: (transfer full): what went wrong on the device
 *
 * Marks the kernel failed: every host wait returns this error from now on,
 * and the item stream ends with it, after the outputs published so far and
 * the markers that came before message @message_id (without one, before
 * the first message not yet consumed). The first error wins.
 */
void
gst_rk_kernel_post_error_at (GstRkKernel * kernel, guint64 message_id,
    GError * error)
{
  gst_rk_mutex_lock (&kernel->lock);
  if (kernel->error == NULL) {
    GST_ERROR_OBJECT (kernel, "device error: %s", error->message);
    kernel->error = error;
    error = NULL;
    kernel->error_at = message_id ? message_id - 1 :
        consumed_position (kernel);
    kernel->error_out_head = kernel->rings_attached ?
        gst_rk_ring_load_acquire (kernel->out.head) : 0;
  }
  gst_rk_mutex_unlock (&kernel->lock);
  g_clear_error (&error);
  g_atomic_int_set (&kernel->has_error, 1);
  gst_rk_wakeup_notify (&kernel->host_wakeup);
  gst_rk_wakeup_notify (&kernel->device_wakeup);
}

/**
 * gst_rk_kernel_post_error:
 * @error: (transfer full): what went wrong on the device
 *
 * gst_rk_kernel_post_error_at() when the failed message is not known.
 */
void
gst_rk_kernel_post_error (GstRkKernel * kernel, GError * error)
{
  gst_rk_kernel_post_error_at (kernel, 0, error);
}

static gboolean
propagate_device_error (GstRkKernel * kernel, GError ** error)
{
  gst_rk_mutex_lock (&kernel->lock);
  if (kernel->error)
    g_propagate_error (error, g_error_copy (kernel->error));
  gst_rk_mutex_unlock (&kernel->lock);
  return FALSE;
}

/**
 * gst_rk_kernel_check:
 * @kernel: a #GstRkKernel
 * @error: return location for a #GError
 *
 * Returns: %FALSE with the device error when the kernel has failed (asking
 * the backend to look, for backends that can).
 */
gboolean
gst_rk_kernel_check (GstRkKernel * kernel, GError ** error)
{
  if (!g_atomic_int_get (&kernel->has_error) && kernel->backend &&
      kernel->backend->poll) {
    GError *err = NULL;

    if (!kernel->backend->poll (kernel, &err))
      gst_rk_kernel_post_error (kernel, err);
  }
  if (g_atomic_int_get (&kernel->has_error))
    return propagate_device_error (kernel, error);
  return TRUE;
}

/* ---- Lifecycle ---- */

gboolean
gst_rk_kernel_launch_internal (GstRkKernel * kernel,
    const GstRkBackend * backend, GstRkDevice * device, gconstpointer impl,
    const GstRkLaunchOptions * opts, const GstStructure * params,
    const gchar * selection_note, GError ** error)
{
  gboolean ok = FALSE;

  gst_rk_mutex_lock (&kernel->lock);
  if (!gst_rk_kernel_state_check_transition (kernel->state,
          GST_RK_KERNEL_STATE_LAUNCHED, error))
    goto out;

  kernel->backend = backend;
  kernel->device = device;
  kernel->impl = impl;
  kernel->opts = *opts;
  kernel->mode = opts->mode;
  if (kernel->mode == GST_RK_KERNEL_MODE_AUTO)
    kernel->mode = kernel->info->kind == GST_RK_KERNEL_KIND_FRAME ||
        (kernel->info->flags & GST_RK_KERNEL_FLAG_EVENT_DRIVEN) ?
        GST_RK_KERNEL_MODE_EVENT_DRIVEN : GST_RK_KERNEL_MODE_PERSISTENT;
  kernel->selection_note = g_strdup (selection_note);
  if (params) {
    gst_structure_free (kernel->params);
    kernel->params = gst_structure_copy (params);
  }
  if (!gst_rk_kernel_info_make_config (kernel->info, NULL, kernel->params,
          &kernel->config, error))
    goto out;

  if (!gst_rk_fault_check (GST_RK_FAULT_LAUNCH, kernel->info->name, 0, error)
      || !backend->launch (device, kernel, error))
    goto out;
  if (!kernel->rings_attached) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "%s backend launched %s without attaching its queues", backend->name,
        kernel->info->name);
    goto out;
  }

  kernel->launch_time = g_get_monotonic_time ();
  kernel->state = GST_RK_KERNEL_STATE_LAUNCHED;
  ok = TRUE;
  GST_INFO_OBJECT (kernel, "launched kernel %u (%s) on %s/%s, %s mode, "
      "queues %u/%u", kernel->id, kernel->info->name, backend->name,
      device->name, gst_rk_kernel_mode_get_name (kernel->mode),
      kernel->in.capacity, kernel->out.capacity);
out:
  gst_rk_mutex_unlock (&kernel->lock);
  return ok;
}

typedef gboolean (*BackendOp) (GstRkKernel * kernel, GError ** error);

static gboolean
transition (GstRkKernel * kernel, GstRkKernelState to, BackendOp op,
    GError ** error)
{
  gboolean ok;

  gst_rk_mutex_lock (&kernel->lock);
  ok = gst_rk_kernel_state_check_transition (kernel->state, to, error);
  if (ok && op)
    ok = op (kernel, error);
  if (ok) {
    GST_DEBUG_OBJECT (kernel, "%s -> %s",
        gst_rk_kernel_state_get_name (kernel->state),
        gst_rk_kernel_state_get_name (to));
    kernel->state = to;
  }
  gst_rk_mutex_unlock (&kernel->lock);
  return ok;
}

static gboolean
activate_op (GstRkKernel * kernel, GError ** error)
{
  return gst_rk_fault_check (GST_RK_FAULT_ACTIVATE, kernel->info->name, 0,
      error) && kernel->backend->activate (kernel, error);
}

/**
 * gst_rk_kernel_activate:
 * @kernel: a #GstRkKernel
 * @error: return location for a #GError
 *
 * Launched or Deactivated → Active: the kernel processes messages.
 *
 * Returns: %TRUE on success
 */
gboolean
gst_rk_kernel_activate (GstRkKernel * kernel, GError ** error)
{
  return transition (kernel, GST_RK_KERNEL_STATE_ACTIVE,
      kernel->backend ? activate_op : NULL, error);
}

/**
 * gst_rk_kernel_deactivate:
 * @kernel: a #GstRkKernel
 * @error: return location for a #GError
 *
 * Active → Deactivated: the kernel finishes the message in hand and stops;
 * its device state and anything still queued are kept.
 *
 * Returns: %TRUE on success
 */
gboolean
gst_rk_kernel_deactivate (GstRkKernel * kernel, GError ** error)
{
  return transition (kernel, GST_RK_KERNEL_STATE_DEACTIVATED,
      kernel->backend ? kernel->backend->deactivate : NULL, error);
}

/**
 * gst_rk_kernel_terminate:
 * @kernel: a #GstRkKernel
 * @error: return location for a #GError
 *
 * → Terminating → Terminated: stops the kernel within a bounded time and
 * frees its device memory. Queued messages are released. Terminated is
 * reached even when the backend reports an error while stopping; the error
 * is returned.
 *
 * Returns: %TRUE when it stopped cleanly
 */
gboolean
gst_rk_kernel_terminate (GstRkKernel * kernel, GError ** error)
{
  gboolean ok;

  gst_rk_mutex_lock (&kernel->lock);
  if (!gst_rk_kernel_state_check_transition (kernel->state,
          GST_RK_KERNEL_STATE_TERMINATING, error)) {
    gst_rk_mutex_unlock (&kernel->lock);
    return FALSE;
  }
  kernel->state = GST_RK_KERNEL_STATE_TERMINATING;
  while (kernel->stats_readers > 0)
    gst_rk_cond_wait (&kernel->stats_done, &kernel->lock);
  gst_rk_mutex_unlock (&kernel->lock);

  /* Unblock host threads still waiting on the queues. */
  gst_rk_kernel_set_flushing (kernel, TRUE);
  ok = kernel->backend->terminate (kernel, error);
  /* The queues may be gone with the device memory: a receive from now on
   * finds nothing (the rest was counted as flushed). */
  gst_rk_mutex_lock (&kernel->recv_lock);
  kernel->rings_attached = FALSE;
  gst_rk_mutex_unlock (&kernel->recv_lock);
  if (ok)
    ok = gst_rk_fault_check (GST_RK_FAULT_TERMINATE, kernel->info->name, 0,
        error);

  gst_rk_mutex_lock (&kernel->lock);
  kernel->state = GST_RK_KERNEL_STATE_TERMINATED;
  gst_rk_mutex_unlock (&kernel->lock);
  GST_INFO_OBJECT (kernel, "terminated kernel %u", kernel->id);
  return ok;
}

/* ---- Configuration ---- */

/**
 * gst_rk_kernel_set_caps:
 * @kernel: a #GstRkKernel
 * @caps: (nullable): the input caps
 * @src_caps: (out) (optional) (nullable) (transfer full): the output caps
 * @error: return location for a #GError
 *
 * Negotiates: messages sent from now on run under a configuration made from
 * @caps. On refusal the current configuration stays.
 *
 * Returns: %TRUE when taken
 */
gboolean
gst_rk_kernel_set_caps (GstRkKernel * kernel, GstCaps * caps,
    GstCaps ** src_caps, GError ** error)
{
  GstRkConfig *config;

  gst_rk_mutex_lock (&kernel->send_lock);
  if (!gst_rk_kernel_info_make_config (kernel->info, caps, kernel->params,
          &config, error)) {
    gst_rk_mutex_unlock (&kernel->send_lock);
    return FALSE;
  }
  g_clear_pointer (&kernel->config, gst_rk_config_unref);
  kernel->config = config;
  if (src_caps)
    *src_caps = config->src_caps ? gst_caps_ref (config->src_caps) : NULL;
  gst_rk_mutex_unlock (&kernel->send_lock);
  return TRUE;
}

static gboolean
check_param (const GstRkKernelInfo * info, const gchar * name,
    const GValue * value, GError ** error)
{
  guint i;

  for (i = 0; i < info->n_params; i++) {
    const GstRkParamInfo *p = &info->params[i];
    gdouble v;

    if (strcmp (p->name, name) != 0)
      continue;
    switch (p->type) {
      case GST_RK_PARAM_DOUBLE:
        if (!G_VALUE_HOLDS_DOUBLE (value))
          goto wrong_type;
        v = g_value_get_double (value);
        break;
      case GST_RK_PARAM_INT:
        if (!G_VALUE_HOLDS_INT (value))
          goto wrong_type;
        v = g_value_get_int (value);
        break;
      case GST_RK_PARAM_UINT64:
        if (!G_VALUE_HOLDS_UINT64 (value))
          goto wrong_type;
        v = (gdouble) g_value_get_uint64 (value);
        break;
      case GST_RK_PARAM_BOOLEAN:
        return G_VALUE_HOLDS_BOOLEAN (value) ? TRUE :
            (g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
                "parameter %s of kernel %s takes a boolean", name, info->name),
            FALSE);
      case GST_RK_PARAM_DOUBLE_ARRAY:{
        guint n, j;

        if (!GST_VALUE_HOLDS_ARRAY (value))
          goto wrong_type;
        n = gst_value_array_get_size (value);
        if (n < p->min || n > p->max) {
          g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
              "parameter %s of kernel %s takes %g to %g values, not %u",
              name, info->name, p->min, p->max, n);
          return FALSE;
        }
        for (j = 0; j < n; j++) {
          const GValue *e = gst_value_array_get_value (value, j);
          if (!G_VALUE_HOLDS_DOUBLE (e)) {
            g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
                "parameter %s of kernel %s: value %u is a %s, not a double",
                name, info->name, j, G_VALUE_TYPE_NAME (e));
            return FALSE;
          }
        }
        return TRUE;
      }
      default:
        goto wrong_type;
    }
    if (!(v >= p->min && v <= p->max)) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
          "parameter %s of kernel %s is %g, outside %g to %g", name,
          info->name, v, p->min, p->max);
      return FALSE;
    }
    return TRUE;
  }
  g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
      "kernel %s has no parameter named %s", info->name, name);
  return FALSE;

wrong_type:
  g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
      "parameter %s of kernel %s cannot take a %s", name, info->name,
      G_VALUE_TYPE_NAME (value));
  return FALSE;
}

typedef struct
{
  const GstRkKernelInfo *info;
  GError **error;
} CheckParamsData;

static gboolean
check_param_field (GQuark field, const GValue * value, gpointer user_data)
{
  CheckParamsData *d = user_data;

  return check_param (d->info, g_quark_to_string (field), value, d->error);
}

/**
 * gst_rk_kernel_set_params:
 * @kernel: a #GstRkKernel
 * @params: some or all of the kernel's parameters
 * @error: return location for a #GError
 *
 * Validates and merges @params; messages sent from now on see them.
 *
 * Returns: %TRUE when taken; %FALSE naming the bad parameter
 */
gboolean
gst_rk_kernel_set_params (GstRkKernel * kernel, const GstStructure * params,
    GError ** error)
{
  CheckParamsData d = { kernel->info, error };
  GstStructure *merged;
  GstRkConfig *config;
  gboolean ok = FALSE;

  if (!gst_structure_foreach (params, check_param_field, &d))
    return FALSE;

  gst_rk_mutex_lock (&kernel->send_lock);
  merged = gst_structure_copy (kernel->params);
  gst_structure_set_name (merged, "params");
  for (guint i = 0; i < (guint) gst_structure_n_fields (params); i++) {
    const gchar *f = gst_structure_nth_field_name (params, i);
    gst_structure_set_value (merged, f, gst_structure_get_value (params, f));
  }
  if (kernel->config == NULL) {
    /* Not launched yet: the values apply at launch. */
    gst_structure_free (kernel->params);
    kernel->params = merged;
    ok = TRUE;
  } else if (gst_rk_kernel_info_make_config (kernel->info,
          kernel->config->sink_caps, merged, &config, error)) {
    gst_structure_free (kernel->params);
    kernel->params = merged;
    gst_rk_config_unref (kernel->config);
    kernel->config = config;
    ok = TRUE;
  } else {
    gst_structure_free (merged);
  }
  gst_rk_mutex_unlock (&kernel->send_lock);
  return ok;
}

/* ---- Sending ---- */

static gboolean
send_ready (gpointer data)
{
  GstRkKernel *kernel = data;

  return gst_rk_ring_producer_free (&kernel->in) > 0 ||
      g_atomic_int_get (&kernel->flushing) ||
      g_atomic_int_get (&kernel->has_error);
}

static gboolean
check_sendable (GstRkKernel * kernel, GError ** error)
{
  GstRkKernelState state = kernel->state;       /* racy read is fine here */

  if (state == GST_RK_KERNEL_STATE_CREATED ||
      state >= GST_RK_KERNEL_STATE_TERMINATING) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_STATE,
        "cannot send to kernel %s while it is %s", GST_OBJECT_NAME (kernel),
        gst_rk_kernel_state_get_name (state));
    return FALSE;
  }
  if (g_atomic_int_get (&kernel->has_error))
    return propagate_device_error (kernel, error);
  if (g_atomic_int_get (&kernel->flushing)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_FLUSHING,
        "kernel %s is flushing", GST_OBJECT_NAME (kernel));
    return FALSE;
  }
  return TRUE;
}

/* Stamps a message: an upstream kernel's stamp (the buffer's meta) is
 * merged into our clock, and the merge's result, later than both, is the
 * message's stamp; otherwise a tick. A stamp from too far ahead is refused
 * (counted) but the message still goes through. */
static void
stamp_input (GstRkKernel * kernel, GstBuffer * payload, GstRkEnvelope * env)
{
  GstRkHlcTimestamp ts;
  GstRkHlcMeta *meta;
  gboolean merged = FALSE;

  if (payload && (meta = gst_buffer_get_rk_hlc_meta (payload))) {
    GError *err = NULL;

    merged = gst_rk_hlc_update (kernel->clock, &meta->stamp, &ts, &err);
    if (!merged) {
      __atomic_add_fetch (&kernel->clock_rejects, 1, __ATOMIC_RELAXED);
      GST_WARNING_OBJECT (kernel, "%s", err->message);
      g_error_free (err);
    }
  }
  if (!merged)
    gst_rk_hlc_tick (kernel->clock, &ts);
  env->hlc_physical = ts.physical;
  env->hlc_logical = ts.logical;
  env->hlc_node = ts.node;
}

/**
 * gst_rk_kernel_send:
 * @kernel: a #GstRkKernel
 * @payload: (transfer full) (nullable): the message payload
 * @type: the message type, e.g. %GST_RK_MESSAGE_DATA
 * @correlation_id: request/response correlation, 0 for none
 * @deadline: g_get_monotonic_time() bound on waiting for queue space, or
 *   GST_RK_WAIT_FOREVER
 * @message_id: (out) (optional): the id the message got
 * @error: return location for a #GError
 *
 * Queues one message. Blocks while the input queue is full; returns
 * GST_RK_ERROR_FLUSHING when the kernel is set flushing meanwhile,
 * GST_RK_ERROR_TIMEOUT at @deadline, or the device error. The payload is
 * released on failure.
 *
 * Returns: %TRUE when queued
 */
gboolean
gst_rk_kernel_send (GstRkKernel * kernel, GstBuffer * payload, guint32 type,
    guint64 correlation_id, gint64 deadline, guint64 * message_id,
    GError ** error)
{
  GstRkEnvelope *env;
  GstRkSidecar *side;
  GstRkOrigin *t;
  guint64 pos;

  gst_rk_mutex_lock (&kernel->send_lock);
  if (!check_sendable (kernel, error))
    goto fail;

  if (gst_rk_ring_producer_free (&kernel->in) == 0) {
    if (!host_wait (kernel, send_ready, kernel, deadline)) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
          "input queue of kernel %s stayed full", GST_OBJECT_NAME (kernel));
      goto fail;
    }
    if (!check_sendable (kernel, error))
      goto fail;
  }

  pos = gst_rk_ring_position (&kernel->in);
  env = gst_rk_ring_slot (&kernel->in, 0);
  gst_rk_envelope_init (env, type);
  env->message_id = pos + 1;
  env->correlation_id = correlation_id;
  env->source = 0;
  env->dest = kernel->id;
  stamp_input (kernel, payload, env);

  side = gst_rk_kernel_get_input_sidecar (kernel, pos);
  /* The device side leaves the configuration in the sidecar (and a device
   * that consumes the ring itself cannot drop host references at all):
   * what the slot's last message left goes now. The same configuration
   * stays, so its reference count is not written by both threads on every
   * message. */
  if (side->config != kernel->config) {
    g_clear_pointer (&side->config, gst_rk_config_unref);
    side->config = gst_rk_config_ref (kernel->config);
  }
  gst_clear_buffer (&side->payload);
  if (payload) {
    gsize size = gst_buffer_get_size (payload);

    env->payload_size = (guint32) MIN (size, GST_RK_ENVELOPE_MAX_PAYLOAD);
    if (kernel->in.slot_size > RK_ENVELOPE_SIZE &&
        size <= kernel->in.slot_size - RK_ENVELOPE_SIZE) {
      /* A backend that gives its input ring slots larger than an envelope
       * wants small payloads inline, where the device can read them. */
      gst_buffer_extract (payload, 0, (guint8 *) env + RK_ENVELOPE_SIZE, size);
      env->flags = RK_FLAG_INLINE;
    } else {
      env->flags = RK_FLAG_HOST;
      env->payload_ref = pos;
      side->payload = payload;
    }
  }

  t = &kernel->origins[pos & kernel->origins_mask];
  t->position = pos;
  t->sent_ns = gst_util_get_timestamp ();
  /* Outputs of a message without a payload get no metadata either (not
   * that of an older message that used this entry). */
  t->pts = t->dts = t->duration = GST_CLOCK_TIME_NONE;
  t->offset = t->offset_end = GST_BUFFER_OFFSET_NONE;
  t->buffer_flags = 0;
  if (payload) {
    t->pts = GST_BUFFER_PTS (payload);
    t->dts = GST_BUFFER_DTS (payload);
    t->duration = GST_BUFFER_DURATION (payload);
    t->offset = GST_BUFFER_OFFSET (payload);
    t->offset_end = GST_BUFFER_OFFSET_END (payload);
    t->buffer_flags = GST_BUFFER_FLAGS (payload);
    if (side->payload == NULL)
      gst_buffer_unref (payload);
  }

  gst_rk_ring_producer_publish (&kernel->in, 1);
  /* One writer: a plain store, not a locked add that would wait here for
   * the slot's stores to reach the device side */
  __atomic_store_n (&kernel->received, kernel->received + 1, __ATOMIC_RELEASE);
  gst_rk_mutex_unlock (&kernel->send_lock);

  if (message_id)
    *message_id = pos + 1;
  kernel->backend->send (kernel);
  return TRUE;

fail:
  gst_rk_mutex_unlock (&kernel->send_lock);
  gst_clear_buffer (&payload);
  return FALSE;
}

/**
 * gst_rk_kernel_send_control:
 * @kernel: a #GstRkKernel
 * @what: RK_CONTROL_*
 * @error: return location for a #GError
 *
 * Queues a control message, ordered with the data (e.g. reset the device
 * state between two buffers).
 *
 * Returns: %TRUE when queued
 */
gboolean
gst_rk_kernel_send_control (GstRkKernel * kernel, guint64 what,
    GError ** error)
{
  GstBuffer *buf = gst_buffer_new_memdup (&what, sizeof (what));

  return gst_rk_kernel_send (kernel, buf, RK_MSG_CONTROL, 0,
      GST_RK_WAIT_FOREVER, NULL, error);
}

/* ---- Receiving ---- */

static gboolean driven_work (GstRkKernel * kernel);
static gboolean drive (GstRkKernel * kernel);

/* The origin of an output, if its entry was not reused since. */
static const GstRkOrigin *
origin_of (GstRkKernel * kernel, const GstRkEnvelope * env)
{
  const GstRkOrigin *o;

  if (env->message_id == 0)
    return NULL;
  o = &kernel->origins[(env->message_id - 1) & kernel->origins_mask];
  return o->position == env->message_id - 1 ? o : NULL;
}

/* Outputs made on a device are new buffers: give them the metadata of the
 * input they came from. */
static void
restore_metadata (GstBuffer * buf, const GstRkOrigin * o)
{
  GST_BUFFER_PTS (buf) = o->pts;
  GST_BUFFER_DTS (buf) = o->dts;
  GST_BUFFER_DURATION (buf) = o->duration;
  GST_BUFFER_OFFSET (buf) = o->offset;
  GST_BUFFER_OFFSET_END (buf) = o->offset_end;
  GST_BUFFER_FLAGS (buf) = o->buffer_flags & (GST_BUFFER_FLAG_DISCONT |
      GST_BUFFER_FLAG_DELTA_UNIT | GST_BUFFER_FLAG_HEADER |
      GST_BUFFER_FLAG_GAP | GST_BUFFER_FLAG_DROPPABLE |
      GST_BUFFER_FLAG_MARKER);
}

/* Takes the next output; recv_lock held and an output available. */
static void
pop_output (GstRkKernel * kernel, GstRkMessage * msg)
{
  const guint8 *slot = gst_rk_ring_slot (&kernel->out, 0);
  GstRkSidecar *side = gst_rk_kernel_get_output_sidecar (kernel,
      gst_rk_ring_position (&kernel->out));
  GstRkHlcTimestamp ts;
  const GstRkOrigin *origin;

  /* Both lines come from the device side's cache: fetch them together */
  __builtin_prefetch (side);
  msg->env = *(const GstRkEnvelope *) slot;
  msg->payload = NULL;
  origin = origin_of (kernel, &msg->env);
  if (msg->env.flags & RK_FLAG_HOST) {
    msg->payload = side->payload;
    side->payload = NULL;
    if (msg->payload)
      msg->env.payload_size = (guint32) MIN (gst_buffer_get_size
          (msg->payload), GST_RK_ENVELOPE_MAX_PAYLOAD);
  } else if (msg->env.flags & RK_FLAG_INLINE) {
    gsize n = MIN (msg->env.payload_size,
        kernel->out.slot_size - RK_ENVELOPE_SIZE);
    /* gst_buffer_new_memdup() refuses 0 bytes */
    msg->payload = n ? gst_buffer_new_memdup (slot + RK_ENVELOPE_SIZE, n) :
        gst_buffer_new ();
  } else if ((msg->env.flags & RK_FLAG_ARENA) && kernel->backend->fetch) {
    msg->payload = kernel->backend->fetch (kernel, &msg->env);
  }
  if (msg->payload && origin && !(msg->env.flags & RK_FLAG_HOST))
    restore_metadata (msg->payload, origin);

  gst_rk_ring_consumer_release (&kernel->out, 1);
  gst_rk_wakeup_notify (&kernel->device_wakeup);
  if (origin)
    gst_rk_latency_histogram_record (&kernel->latency,
        gst_util_get_timestamp () - origin->sent_ns);

  /* Receive stamp: after the input's stamp (issued by this clock) and after
   * any stamp the device put on the output. */
  if (msg->env.hlc_physical) {
    GstRkHlcTimestamp dev = { msg->env.hlc_physical, msg->env.hlc_logical,
      msg->env.hlc_node
    };
    if (!gst_rk_hlc_update (kernel->clock, &dev, &ts, NULL))
      gst_rk_hlc_tick (kernel->clock, &ts);
  } else {
    gst_rk_hlc_tick (kernel->clock, &ts);
  }
  msg->env.hlc_physical = ts.physical;
  msg->env.hlc_logical = ts.logical;
  msg->env.hlc_node = ts.node;
  msg->env.source = kernel->id;

  if (msg->payload && msg->env.type != RK_MSG_NOTIFY) {
    msg->payload = gst_buffer_make_writable (msg->payload);
    gst_buffer_add_rk_hlc_meta (msg->payload, &ts, kernel->id,
        msg->env.message_id, msg->env.correlation_id);
  }
}

/* Routes one output taken from the ring (recv_lock held): the reply to a
 * pending call goes to its caller; a reply to an abandoned call is dropped
 * and counted. Returns TRUE when @msg is for the regular consumer. */
static gboolean
route_output (GstRkKernel * kernel, GstRkMessage * msg)
{
  GstRkCall *call;

  if (msg->env.type != RK_MSG_REPLY ||
      !(msg->env.correlation_id & GST_RK_CALL_CORRELATION_BIT))
    return TRUE;
  call = g_hash_table_lookup (kernel->calls, &msg->env.correlation_id);
  if (call == NULL || call->abandoned) {
    /* Nobody waits for it (any more): count it, free it. */
    if (call)
      g_hash_table_remove (kernel->calls, &msg->env.correlation_id);
    gst_rk_message_clear (msg);
    __atomic_add_fetch (&kernel->orphan_replies, 1, __ATOMIC_RELAXED);
    return FALSE;
  }
  call->reply = *msg;
  g_atomic_int_set (&call->done, TRUE);
  __atomic_add_fetch (&kernel->emitted, 1, __ATOMIC_RELAXED);
  gst_rk_wakeup_notify (&kernel->host_wakeup);
  return FALSE;
}

/* The next output for the regular consumer, from the stash first (recv_lock
 * held). */
static gboolean
take_regular (GstRkKernel * kernel, GstRkMessage * msg)
{
  GstRkMessage *stashed = g_queue_pop_head (&kernel->stash);

  if (stashed) {
    *msg = *stashed;
    g_free (stashed);
    g_atomic_int_add (&kernel->n_stash, -1);
    return TRUE;
  }
  while (kernel->rings_attached &&
      gst_rk_ring_consumer_available (&kernel->out) > 0) {
    pop_output (kernel, msg);
    if (route_output (kernel, msg))
      return TRUE;
  }
  return FALSE;
}

/**
 * gst_rk_kernel_try_receive:
 * @kernel: a #GstRkKernel
 * @msg: (out caller-allocates): the output, to be cleared with
 *   gst_rk_message_clear()
 * @error: return location for a #GError
 *
 * Takes the next output without waiting: GST_RK_ERROR_WOULD_BLOCK when there
 * is none, or the device error. Replies to gst_rk_kernel_call() go to their
 * callers, never here.
 *
 * Returns: %TRUE with @msg filled
 */
gboolean
gst_rk_kernel_try_receive (GstRkKernel * kernel, GstRkMessage * msg,
    GError ** error)
{
  gboolean have;

  gst_rk_mutex_lock (&kernel->recv_lock);
  have = take_regular (kernel, msg);
  gst_rk_mutex_unlock (&kernel->recv_lock);

  if (have) {
    /* A kernel's notifications (motion, anomalies) are not stream data:
     * counted apart, so received = emitted + flushed + dropped holds. */
    __atomic_add_fetch (msg->env.type == RK_MSG_NOTIFY ?
        &kernel->notifications : &kernel->emitted, 1, __ATOMIC_RELAXED);
    return TRUE;
  }
  if (g_atomic_int_get (&kernel->has_error))
    return propagate_device_error (kernel, error);
  g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_WOULD_BLOCK,
      "no output waiting");
  return FALSE;
}

/**
 * gst_rk_kernel_has_output:
 * @kernel: a #GstRkKernel
 *
 * Returns: %TRUE if an output is waiting, so the next receive will not
 * wait. Lock-free and without side effects: for a receiver that polls.
 */
gboolean
gst_rk_kernel_has_output (GstRkKernel * kernel)
{
  return gst_rk_ring_depth (&kernel->out) > 0 ||
      g_atomic_int_get (&kernel->n_stash) > 0;
}

static gboolean
output_ready (gpointer data)
{
  GstRkKernel *kernel = data;

  return gst_rk_ring_depth (&kernel->out) > 0 ||
      g_atomic_int_get (&kernel->n_stash) > 0 ||
      g_atomic_int_get (&kernel->flushing) ||
      g_atomic_int_get (&kernel->has_error) || driven_work (kernel);
}

/**
 * gst_rk_kernel_receive:
 * @kernel: a #GstRkKernel
 * @msg: (out caller-allocates): the output, to be cleared with
 *   gst_rk_message_clear()
 * @deadline: g_get_monotonic_time() bound, or GST_RK_WAIT_FOREVER
 * @error: return location for a #GError
 *
 * Takes the next output, waiting for one: GST_RK_ERROR_TIMEOUT at
 * @deadline, GST_RK_ERROR_FLUSHING when set flushing, or the device error.
 * Bindings: gst_rk_kernel_receive_bytes().
 *
 * Returns: %TRUE with @msg filled
 */
gboolean
gst_rk_kernel_receive (GstRkKernel * kernel, GstRkMessage * msg,
    gint64 deadline, GError ** error)
{
  for (;;) {
    GError *err = NULL;

    if (gst_rk_kernel_try_receive (kernel, msg, &err))
      return TRUE;
    if (!g_error_matches (err, GST_RK_ERROR, GST_RK_ERROR_WOULD_BLOCK)) {
      g_propagate_error (error, err);
      return FALSE;
    }
    g_clear_error (&err);
    if (g_atomic_int_get (&kernel->flushing)) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_FLUSHING,
          "kernel %s is flushing", GST_OBJECT_NAME (kernel));
      return FALSE;
    }
    if (drive (kernel))
      continue;
    if (!host_wait (kernel, output_ready, kernel, deadline)) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
          "no output from kernel %s in time", GST_OBJECT_NAME (kernel));
      return FALSE;
    }
  }
}

/* ---- Request/response ---- */

typedef struct
{
  GstRkKernel *kernel;
  GstRkCall *call;
} CallWait;

static gboolean
call_ready (gpointer data)
{
  CallWait *w = data;

  return g_atomic_int_get (&w->call->done) ||
      gst_rk_ring_depth (&w->kernel->out) > 0 ||
      g_atomic_int_get (&w->kernel->flushing) ||
      g_atomic_int_get (&w->kernel->has_error) || driven_work (w->kernel);
}

/* Takes what is in the output ring on behalf of everyone (recv_lock held):
 * replies are routed, the regular consumer's outputs are kept for it in
 * order, up to @max_stash of them; beyond that the outputs wait in the
 * ring. */
static gboolean
collect_outputs (GstRkKernel * kernel, guint max_stash)
{
  gboolean stashed = FALSE;

  while (g_queue_get_length (&kernel->stash) < max_stash &&
      gst_rk_ring_consumer_available (&kernel->out) > 0) {
    GstRkMessage msg;

    pop_output (kernel, &msg);
    if (route_output (kernel, &msg)) {
      g_queue_push_tail (&kernel->stash, g_memdup2 (&msg, sizeof (msg)));
      g_atomic_int_inc (&kernel->n_stash);
      stashed = TRUE;
    }
  }
  return stashed;
}

/**
 * gst_rk_kernel_call:
 * @kernel: a #GstRkKernel
 * @request: (transfer full) (nullable): the request payload
 * @timeout_us: how long to wait for the reply
 * @reply: (out caller-allocates): the reply, to be cleared with
 *   gst_rk_message_clear()
 * @error: return location for a #GError
 *
 * The seed's call pattern: sends @request as a REQUEST under a fresh
 * correlation id and waits for the REPLY carrying it. Safe from several
 * threads at once, and beside a regular consumer (an element's src task):
 * whoever takes a reply from the output queue hands it to its caller. A
 * reply that comes after its call timed out is dropped and counted
 * (stats field "orphan-replies"). Bindings: gst_rk_kernel_call_bytes().
 *
 * Returns: %FALSE with GST_RK_ERROR_TIMEOUT when no reply came in time, or
 * the send or device error.
 */
gboolean
gst_rk_kernel_call (GstRkKernel * kernel, GstBuffer * request,
    gint64 timeout_us, GstRkMessage * reply, GError ** error)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  GstRkCall *call = g_new0 (GstRkCall, 1);
  CallWait w = { kernel, call };
  guint64 id;

  call->correlation = GST_RK_CALL_CORRELATION_BIT |
      __atomic_add_fetch (&kernel->next_call, 1, __ATOMIC_RELAXED);
  id = call->correlation;
  gst_rk_mutex_lock (&kernel->recv_lock);
  g_hash_table_insert (kernel->calls, &call->correlation, call);
  gst_rk_mutex_unlock (&kernel->recv_lock);

  if (!gst_rk_kernel_send (kernel, request, RK_MSG_REQUEST, id, deadline,
          NULL, error)) {
    gst_rk_mutex_lock (&kernel->recv_lock);
    g_hash_table_remove (kernel->calls, &id);
    gst_rk_mutex_unlock (&kernel->recv_lock);
    return FALSE;
  }

  for (;;) {
    gboolean stashed;

    gst_rk_mutex_lock (&kernel->recv_lock);
    /* At most one ring's worth, as the ring would hold without a caller */
    stashed = collect_outputs (kernel, kernel->out.capacity);
    if (call->done) {
      *reply = call->reply;
      call->reply.payload = NULL;
      g_hash_table_remove (kernel->calls, &id);
      gst_rk_mutex_unlock (&kernel->recv_lock);
      if (stashed)
        gst_rk_wakeup_notify (&kernel->host_wakeup);
      return TRUE;
    }
    if (g_atomic_int_get (&kernel->has_error) ||
        g_atomic_int_get (&kernel->flushing) ||
        g_get_monotonic_time () >= deadline) {
      /* Give up; a late reply will be recognised and counted. */
      call->abandoned = TRUE;
      gst_rk_mutex_unlock (&kernel->recv_lock);
      if (g_atomic_int_get (&kernel->has_error))
        return propagate_device_error (kernel, error);
      if (g_atomic_int_get (&kernel->flushing))
        g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_FLUSHING,
            "kernel %s is flushing", GST_OBJECT_NAME (kernel));
      else
        g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
            "no reply from kernel %s to call %" G_GUINT64_FORMAT " within %"
            G_GINT64_FORMAT " ms", GST_OBJECT_NAME (kernel),
            id & ~GST_RK_CALL_CORRELATION_BIT, timeout_us / 1000);
      return FALSE;
    }
    gst_rk_mutex_unlock (&kernel->recv_lock);
    if (stashed)
      gst_rk_wakeup_notify (&kernel->host_wakeup);
    if (!drive (kernel))
      host_wait (kernel, call_ready, &w, deadline);
  }
}

/* ---- The ordered item stream ---- */

static guint64
consumed_position (GstRkKernel * kernel)
{
  return kernel->rings_attached ?
      gst_rk_ring_load_acquire (kernel->in.tail) : 0;
}

/* Whether a receiver-driven kernel has inputs its receiver should run. */
static gboolean
driven_work (GstRkKernel * kernel)
{
  return kernel->opts.receiver_drives &&
      !g_atomic_int_get (&kernel->has_error) && inputs_in_flight (kernel) &&
      (__atomic_load_n (&kernel->command, __ATOMIC_ACQUIRE) == RK_CMD_RUN ||
      consumed_position (kernel) < gst_rk_kernel_get_flush_target (kernel));
}

/* The receiver's turn to run a receiver-driven kernel's device side (not
 * once terminate began: the backend frees it after the drive in hand). */
static gboolean
drive (GstRkKernel * kernel)
{
  return kernel->opts.receiver_drives && kernel->backend &&
      kernel->backend->drive &&
      kernel->state < GST_RK_KERNEL_STATE_TERMINATING &&
      kernel->backend->drive (kernel);
}

/* A receiver-driven kernel's receiver is its device: when the device side
 * finds the output queue full, what is in it moves to the receiver's side
 * (the stash) instead of waiting for a receiver that is itself. Unbounded,
 * but only by the outputs of the message in hand. */
void
gst_rk_kernel_make_output_room (GstRkKernel * kernel)
{
  gst_rk_mutex_lock (&kernel->recv_lock);
  collect_outputs (kernel, G_MAXUINT);
  gst_rk_mutex_unlock (&kernel->recv_lock);
}

/**
 * gst_rk_item_clear:
 * @item: an item from gst_rk_kernel_next_item()
 *
 * Frees what @item holds (not a marker, which the caller owns) and resets
 * it to %GST_RK_ITEM_NONE.
 */
void
gst_rk_item_clear (GstRkItem * item)
{
  if (item->type == GST_RK_ITEM_OUTPUT)
    gst_rk_message_clear (&item->msg);
  g_clear_error (&item->error);
  item->type = GST_RK_ITEM_NONE;
}

static void
update_first_marker (GstRkKernel * kernel)
{
  GstRkMarker *m = g_queue_peek_head (&kernel->markers);

  __atomic_store_n (&kernel->first_marker_after, m ? m->after : G_MAXUINT64,
      __ATOMIC_RELEASE);
}

/**
 * gst_rk_kernel_add_marker:
 * @kernel: a #GstRkKernel
 * @marker: what the item stream hands back (e.g. a GstEvent)
 * @notify: (nullable): frees @marker if the stream drops it
 *
 * Puts @marker into the kernel's item stream at the current input position:
 * gst_rk_kernel_next_item() returns it after every output of the messages
 * sent before it, and before any output of a message sent after it.
 */
void
gst_rk_kernel_add_marker (GstRkKernel * kernel, gpointer marker,
    GDestroyNotify notify)
{
  GstRkMarker *m = g_new (GstRkMarker, 1);

  m->data = marker;
  m->notify = notify;
  gst_rk_mutex_lock (&kernel->send_lock);
  m->after = kernel->rings_attached ? gst_rk_ring_position (&kernel->in) : 0;
  gst_rk_mutex_lock (&kernel->recv_lock);
  g_queue_push_tail (&kernel->markers, m);
  update_first_marker (kernel);
  gst_rk_mutex_unlock (&kernel->recv_lock);
  gst_rk_mutex_unlock (&kernel->send_lock);
  gst_rk_wakeup_notify (&kernel->host_wakeup);
}

/**
 * gst_rk_kernel_drop_markers:
 * @kernel: a #GstRkKernel
 * @func: (nullable) (scope call): called with each marker's data, which it
 *   then owns; %NULL frees them with their notify
 * @user_data: (closure func): data for @func
 *
 * Empties the markers of the item stream, in order (e.g. to keep sticky
 * events across a flush).
 */
void
gst_rk_kernel_drop_markers (GstRkKernel * kernel, GFunc func,
    gpointer user_data)
{
  GstRkMarker *m;

  gst_rk_mutex_lock (&kernel->recv_lock);
  while ((m = g_queue_pop_head (&kernel->markers))) {
    if (func) {
      func (m->data, user_data);
      m->notify = NULL;
    }
    marker_free (m);
  }
  update_first_marker (kernel);
  gst_rk_mutex_unlock (&kernel->recv_lock);
}

static void
deliver_output (GstRkKernel * kernel, GstRkItem * item)
{
  item->type = GST_RK_ITEM_OUTPUT;
  item->msg = kernel->held;
  kernel->have_held = FALSE;
  /* A kernel's notifications (motion, anomalies) are not stream data:
   * counted apart, so received = emitted + flushed + dropped holds. */
  __atomic_add_fetch (item->msg.env.type == RK_MSG_NOTIFY ?
      &kernel->notifications : &kernel->emitted, 1, __ATOMIC_RELAXED);
}

/* The next item if one is due (recv_lock held). A marker is due once the
 * consumed position reached it (read before the output is taken: outputs
 * of messages up to it are then taken or delivered) and no held output
 * precedes it. After a fault, only the outputs published before it and the
 * markers before the failed message go out, then the error. */
static gboolean
take_item (GstRkKernel * kernel, GstRkItem * item)
{
  guint64 consumed = consumed_position (kernel);
  gboolean failed = g_atomic_int_get (&kernel->has_error);
  guint64 limit = G_MAXUINT64;
  GstRkMarker *m;

  if (failed && !kernel->error_delivered)
    limit = kernel->error_at;
  if (!failed || !kernel->error_delivered) {
    if (!kernel->have_held) {
      kernel->have_held = take_regular (kernel, &kernel->held);
      /* Outputs are numbered by their ring position (the stash holds
       * earlier ones): anything up to the head seen at the fault was
       * published before it. */
      kernel->held_before_error = !failed ||
          gst_rk_ring_position (&kernel->out) <= kernel->error_out_head;
    }
    m = g_queue_peek_head (&kernel->markers);
    if (m && m->after <= limit && (kernel->have_held ?
            kernel->held.env.message_id > m->after : consumed >= m->after)) {
      g_queue_pop_head (&kernel->markers);
      update_first_marker (kernel);
      item->type = GST_RK_ITEM_MARKER;
      item->marker = m->data;
      g_free (m);
      return TRUE;
    }
    if (kernel->have_held && (!failed || kernel->held_before_error)) {
      deliver_output (kernel, item);
      return TRUE;
    }
  }
  if (!failed)
    return FALSE;
  item->type = GST_RK_ITEM_ERROR;
  propagate_device_error (kernel, &item->error);
  kernel->error_delivered = TRUE;
  return TRUE;
}

static gboolean
item_ready (gpointer data)
{
  GstRkKernel *kernel = data;

  /* output_ready () counts a driven kernel's pending inputs too */
  return output_ready (kernel) || consumed_position (kernel) >=
      __atomic_load_n (&kernel->first_marker_after, __ATOMIC_ACQUIRE);
}

/**
 * gst_rk_kernel_next_item:
 * @kernel: a #GstRkKernel
 * @item: (out caller-allocates): the item, to be cleared with
 *   gst_rk_item_clear()
 * @deadline: g_get_monotonic_time() bound, or GST_RK_WAIT_FOREVER
 *
 * The kernel's ordered stream, for its one regular receiver (an element's
 * src task): outputs in order, each marker right after the outputs of the
 * messages sent before it, and, when the kernel fails, its error after what
 * came before the failed message (the error is then returned again on
 * every call). Waits for the next item; a receiver-driven kernel runs on
 * this thread meanwhile. Replies to gst_rk_kernel_call() go to their
 * callers. Do not mix with gst_rk_kernel_receive().
 *
 * Returns: %FALSE (item type %GST_RK_ITEM_NONE) when the kernel is flushing
 * or at @deadline.
 */
gboolean
gst_rk_kernel_next_item (GstRkKernel * kernel, GstRkItem * item,
    gint64 deadline)
{
  gboolean waited = FALSE;

  item->type = GST_RK_ITEM_NONE;
  item->marker = NULL;
  item->error = NULL;
  for (;;) {
    gboolean have;

    gst_rk_mutex_lock (&kernel->recv_lock);
    have = take_item (kernel, item);
    gst_rk_mutex_unlock (&kernel->recv_lock);
    if (have) {
      if (!waited)
        kernel->receiver_busy = TRUE;
      return TRUE;
    }
    if (g_atomic_int_get (&kernel->flushing))
      return FALSE;
    if (drive (kernel))
      continue;
    /* A busy stream's receiver spins a little before it sleeps: a sender
     * that finds it asleep pays a futex wake per message, which on this
     * machine class cost more than the rest of the hop (10 context
     * switches per 100 buffers against 0.7 through a queue). The stream
     * counts as busy while items come without waiting or within a spin;
     * one spin that catches nothing ends it, so a sparse stream sleeps at
     * once. */
    waited = TRUE;
    if (kernel->receiver_busy) {
      if (spin (kernel, item_ready, kernel, RECEIVER_BUSY_SPIN_US, deadline,
              FALSE))
        continue;
      kernel->receiver_busy = FALSE;
    }
    if (!host_wait (kernel, item_ready, kernel, deadline))
      return FALSE;
  }
}

/**
 * gst_rk_kernel_set_flushing:
 * @kernel: a #GstRkKernel
 * @flushing: whether to flush
 *
 * While flushing, sends fail with GST_RK_ERROR_FLUSHING and every host wait
 * returns. The device side keeps running.
 */
void
gst_rk_kernel_set_flushing (GstRkKernel * kernel, gboolean flushing)
{
  g_atomic_int_set (&kernel->flushing, flushing ? 1 : 0);
  gst_rk_wakeup_notify (&kernel->host_wakeup);
}

static guint
discard_outputs (GstRkKernel * kernel)
{
  guint n = 0;

  gst_rk_mutex_lock (&kernel->recv_lock);
  if (kernel->have_held) {
    gst_rk_message_clear (&kernel->held);
    kernel->have_held = FALSE;
    n++;
  }
  n += g_queue_get_length (&kernel->stash);
  g_queue_clear_full (&kernel->stash, stash_free);
  g_atomic_int_set (&kernel->n_stash, 0);
  while (gst_rk_ring_consumer_available (&kernel->out) > 0) {
    GstRkMessage msg;

    /* Callers still get their replies. */
    pop_output (kernel, &msg);
    if (route_output (kernel, &msg)) {
      gst_rk_message_clear (&msg);
      n++;
    }
  }
  gst_rk_mutex_unlock (&kernel->recv_lock);
  gst_rk_kernel_count_flushed (kernel, n);
  return n;
}

typedef struct
{
  GstRkKernel *kernel;
  guint64 target;
} FlushWait;

static gboolean
flush_ready (gpointer data)
{
  FlushWait *w = data;

  return consumed_position (w->kernel) >= w->target ||
      gst_rk_ring_depth (&w->kernel->out) > 0 ||
      g_atomic_int_get (&w->kernel->has_error) || driven_work (w->kernel);
}

/**
 * gst_rk_kernel_flush:
 * @kernel: a #GstRkKernel
 * @error: return location for a #GError
 *
 * Discards every queued input, output and marker (inputs and outputs
 * counted as flushed; markers freed) and keeps the
 * kernel and its state. Call with no concurrent sender or receiver: the
 * element calls it between FLUSH_START and FLUSH_STOP.
 *
 * Returns: %TRUE on success
 */
gboolean
gst_rk_kernel_flush (GstRkKernel * kernel, GError ** error)
{
  FlushWait w = { kernel, 0 };
  gint64 deadline = g_get_monotonic_time () + FLUSH_TIMEOUT_US;

  gst_rk_kernel_drop_markers (kernel, NULL, NULL);
  if (!kernel->rings_attached)
    return TRUE;

  gst_rk_mutex_lock (&kernel->send_lock);
  w.target = gst_rk_ring_position (&kernel->in);
  __atomic_store_n (&kernel->flush_target, w.target, __ATOMIC_RELEASE);
  kernel->backend->flush (kernel);

  /* The device may still be emitting outputs of the message in hand: keep
   * draining so it never blocks on a full output queue. */
  while (consumed_position (kernel) < w.target) {
    discard_outputs (kernel);
    if (g_atomic_int_get (&kernel->has_error))
      break;
    if (drive (kernel))
      continue;
    if (!host_wait (kernel, flush_ready, &w, deadline)) {
      gst_rk_mutex_unlock (&kernel->send_lock);
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
          "kernel %s did not discard its input queue within %d s",
          GST_OBJECT_NAME (kernel), (gint) (FLUSH_TIMEOUT_US / G_USEC_PER_SEC));
      return FALSE;
    }
  }
  discard_outputs (kernel);
  gst_rk_mutex_unlock (&kernel->send_lock);

  if (g_atomic_int_get (&kernel->has_error))
    return propagate_device_error (kernel, error);
  return TRUE;
}

/* ---- Output buffers ---- */

/**
 * gst_rk_kernel_alloc_output:
 *
 * Returns: (transfer full): a buffer of @size bytes from the kernel's pool,
 * its memory aligned to 64 bytes. Pooled memory keeps large frames from
 * being mapped and faulted in anew for every buffer.
 */
GstBuffer *
gst_rk_kernel_alloc_output (GstRkKernel * kernel, gsize size, GError ** error)
{
  /* Cache-line aligned, so that a kernel's vector stores and a device copy
   * never split a line at the start of a row. */
  static const GstAllocationParams output_params = { .align = 63 };
  GstBuffer *buf = NULL;
  GstFlowReturn ret;

  gst_rk_mutex_lock (&kernel->pool_lock);
  if (kernel->pool == NULL || kernel->pool_size != size) {
    GstStructure *cfg;

    if (kernel->pool) {
      gst_buffer_pool_set_active (kernel->pool, FALSE);
      gst_object_unref (kernel->pool);
    }
    kernel->pool = gst_rk_output_pool_new ();
    kernel->pool_size = size;
    cfg = gst_buffer_pool_get_config (kernel->pool);
    gst_buffer_pool_config_set_params (cfg, NULL, (guint) size, 0, 0);
    gst_buffer_pool_config_set_allocator (cfg, NULL, &output_params);
    if (!gst_buffer_pool_set_config (kernel->pool, cfg) ||
        !gst_buffer_pool_set_active (kernel->pool, TRUE)) {
      gst_clear_object (&kernel->pool);
      gst_rk_mutex_unlock (&kernel->pool_lock);
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
          "cannot set up a pool of %" G_GSIZE_FORMAT "-byte buffers", size);
      return NULL;
    }
  }
  ret = gst_buffer_pool_acquire_buffer (kernel->pool, &buf, NULL);
  gst_rk_mutex_unlock (&kernel->pool_lock);

  if (ret != GST_FLOW_OK) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "cannot allocate a %" G_GSIZE_FORMAT "-byte output buffer: %s", size,
        gst_flow_get_name (ret));
    return NULL;
  }
  return buf;
}

/* ---- Stats ---- */

/**
 * gst_rk_kernel_get_stats:
 * @kernel: a #GstRkKernel
 *
 * Returns: (transfer full): a "ringkernel-stats" structure: kernel-id,
 * kernel, name, state, backend, device, mode, queue depths and capacities,
 * received, processed, emitted (data outputs), notifications (kernel
 * events), flushed, dropped, orphan-replies, host-to-device-buffers and
 * -bytes, device-to-host-buffers and -bytes (payloads the backend copied
 * between host memory and the device), uptime (ns), latency-p50 and
 * latency-p99 (ns, send to receive), plus backend fields.
 */
GstStructure *
gst_rk_kernel_get_stats (GstRkKernel * kernel)
{
  GstStructure *s;
  GstRkKernelState state;
  guint64 uptime = 0;
  guint in_depth = 0, out_depth = 0;
  gboolean live;

  if (kernel->launch_time)
    uptime = (guint64) (g_get_monotonic_time () - kernel->launch_time) * 1000;

  /* Device memory (queue indices, backend counters) is read only while the
   * kernel holds it; terminate waits for readers before freeing it. */
  gst_rk_mutex_lock (&kernel->lock);
  state = kernel->state;
  live = state != GST_RK_KERNEL_STATE_TERMINATING &&
      state != GST_RK_KERNEL_STATE_TERMINATED && kernel->rings_attached;
  if (live)
    kernel->stats_readers++;
  gst_rk_mutex_unlock (&kernel->lock);

  /* Backend fields first: a backend may fold device-side counters into
   * ours there, before they are read below. */
  s = gst_structure_new_empty ("ringkernel-stats");
  if (live) {
    if (kernel->backend->fill_stats)
      kernel->backend->fill_stats (kernel, s);
    in_depth = gst_rk_ring_depth (&kernel->in);
    out_depth = gst_rk_ring_depth (&kernel->out);
    gst_rk_mutex_lock (&kernel->lock);
    if (--kernel->stats_readers == 0)
      g_cond_broadcast (&kernel->stats_done);
    gst_rk_mutex_unlock (&kernel->lock);
  }

  gst_structure_set (s,
      "kernel-id", G_TYPE_UINT, kernel->id,
      "kernel", G_TYPE_STRING, kernel->info->name,
      "name", G_TYPE_STRING, GST_OBJECT_NAME (kernel),
      "state", G_TYPE_STRING, gst_rk_kernel_state_get_name (state),
      "backend", G_TYPE_STRING, kernel->backend ? kernel->backend->name : "none",
      "device", G_TYPE_STRING, kernel->device ? kernel->device->name : "none",
      "mode", G_TYPE_STRING, gst_rk_kernel_mode_get_name (kernel->mode),
      "input-queue-depth", G_TYPE_UINT, in_depth,
      "output-queue-depth", G_TYPE_UINT, out_depth,
      "input-queue-capacity", G_TYPE_UINT, kernel->in.capacity,
      "output-queue-capacity", G_TYPE_UINT, kernel->out.capacity,
      "received", G_TYPE_UINT64,
      __atomic_load_n (&kernel->received, __ATOMIC_RELAXED),
      "processed", G_TYPE_UINT64,
      __atomic_load_n (&kernel->processed, __ATOMIC_RELAXED),
      "emitted", G_TYPE_UINT64,
      __atomic_load_n (&kernel->emitted, __ATOMIC_RELAXED),
      "notifications", G_TYPE_UINT64,
      __atomic_load_n (&kernel->notifications, __ATOMIC_RELAXED),
      "flushed", G_TYPE_UINT64,
      __atomic_load_n (&kernel->flushed, __ATOMIC_RELAXED),
      "dropped", G_TYPE_UINT64,
      __atomic_load_n (&kernel->dropped, __ATOMIC_RELAXED),
      "clock-rejects", G_TYPE_UINT64,
      __atomic_load_n (&kernel->clock_rejects, __ATOMIC_RELAXED),
      "orphan-replies", G_TYPE_UINT64,
      __atomic_load_n (&kernel->orphan_replies, __ATOMIC_RELAXED),
      "host-to-device-buffers", G_TYPE_UINT64,
      __atomic_load_n (&kernel->uploads, __ATOMIC_RELAXED),
      "host-to-device-bytes", G_TYPE_UINT64,
      __atomic_load_n (&kernel->upload_bytes, __ATOMIC_RELAXED),
      "device-to-host-buffers", G_TYPE_UINT64,
      __atomic_load_n (&kernel->downloads, __ATOMIC_RELAXED),
      "device-to-host-bytes", G_TYPE_UINT64,
      __atomic_load_n (&kernel->download_bytes, __ATOMIC_RELAXED),
      "uptime", G_TYPE_UINT64, uptime,
      "latency-p50", G_TYPE_UINT64,
      gst_rk_latency_histogram_percentile (&kernel->latency, 0.50),
      "latency-p99", G_TYPE_UINT64,
      gst_rk_latency_histogram_percentile (&kernel->latency, 0.99), NULL);
  return s;
}
