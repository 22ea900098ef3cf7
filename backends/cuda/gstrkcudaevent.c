/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Event-driven CUDA kernels on the runtime's dispatcher. A run of queued
 * messages with one configuration comes in as a batch and goes to the
 * device in chunks of as many messages as there are slots:
 *
 *   copy stream:     inputs into the arena (small ones are read in place
 *                    from pinned staging memory)
 *   compute stream:  waits for the copies; the job records in; one launch
 *                    for the chunk (one block, messages in order) or one
 *                    launch per frame (the whole grid); the results out
 *   out stream:      waits for the compute; outputs out of the arena
 *
 * Launches per frame are enqueued between the copies, so the copy-in of a
 * frame overlaps the compute of the one before. One wait per chunk, then
 * the outputs are emitted in order.
 */

#include <string.h>

#include "gstrkcudaevent.h"
#include "gstrkcudapersistent.h"
#include "gstrkcudaprotocol.h"
#include "gstrkdispatcher.h"
#include "gstrkerror.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rk_cuda_debug);
#define GST_CAT_DEFAULT gst_rk_cuda_debug

/* Payloads up to this size stay in pinned memory, which the kernel reads
 * and writes in place: cheaper than two copies. */
#define ZERO_COPY_MAX 4096u

struct _GstRkCudaEvent
{
  GstRkKernel *kernel;
  GstRkCudaDevice *dev;
  const GstRkCudaOps *ops;
  const GstRkCudaKernel *impl;
  GstRkCudaFunction *function;
  GstRkCudaStream *in_stream;
  GstRkCudaStream *compute_stream;
  GstRkCudaStream *out_stream;
  guint grid_size;
  guint block_size;
  gsize shared_size;

  GstRkDispatcher *dispatcher;
  GThread *thread;
  gpointer ring_mem;
  gsize ring_size;

  /* Used by the dispatcher thread only */
  guint slots;
  GstRkCudaSlots in;
  GstRkCudaSlots out;
  GstRkCudaHostMem jobs_host;
  GstRkCudaMem jobs_dev;
  GstRkCudaMem state;
  gboolean have_state;
  gsize in_sizes[GST_RK_CUDA_MAX_BATCH];
  gsize out_sizes[GST_RK_CUDA_MAX_BATCH];
};

static gboolean
ensure_state (GstRkCudaEvent * e, gsize size, GError ** error)
{
  if (e->have_state && e->state.size == size)
    return TRUE;
  gst_rk_cuda_device_mem_free (e->dev, &e->state);
  e->have_state = FALSE;
  if (size > 0 && (!gst_rk_cuda_device_mem_alloc (e->dev, size, &e->state,
              error) || !e->ops->fill (e->compute_stream, e->state.ptr, 0,
              size, error) || !e->ops->sync (e->compute_stream, error)))
    return FALSE;
  e->have_state = TRUE;
  return TRUE;
}

static gboolean
launch_jobs (GstRkCudaEvent * e, guint first, guint n, GError ** error)
{
  RkCudaEventArgs args = { 0, };
  gsize bytes = (gsize) n * sizeof (RkCudaJob);

  args.jobs = e->jobs_dev.ptr + (guint64) first * sizeof (RkCudaJob);
  args.n_jobs = n;
  return e->ops->copy_to_device (e->compute_stream, args.jobs,
      (guint8 *) e->jobs_host.host + first * sizeof (RkCudaJob), bytes, error)
      && e->ops->launch (e->compute_stream, e->function, e->grid_size,
      e->block_size, e->shared_size, FALSE, &args, error)
      && e->ops->copy_to_host (e->compute_stream,
      (guint8 *) e->jobs_host.host + first * sizeof (RkCudaJob), args.jobs,
      bytes, error);
}

/* Enqueues the copy-in of message @k and fills its job record. */
static gboolean
stage (GstRkCudaEvent * e, GstRkMessage * msg, guint k,
    const GstRkParams * params, GError ** error)
{
  RkCudaJob *job = (RkCudaJob *) e->jobs_host.host + k;
  gsize in_size = e->in_sizes[k], out_size = e->out_sizes[k];

  memset (job, 0, sizeof (*job));
  job->type = msg->env.type;
  job->message_id = msg->env.message_id;
  job->correlation_id = msg->env.correlation_id;
  job->in_size = (guint32) in_size;
  job->state_ptr = e->state.ptr;
  job->state_size = e->state.size;
  memcpy (&job->params, params, sizeof (job->params));

  if (in_size > 0)
    gst_buffer_extract (msg->payload, 0, gst_rk_cuda_slots_staging (&e->in, k),
        in_size);
  if (in_size <= ZERO_COPY_MAX) {
    job->in_ptr = gst_rk_cuda_slots_staging_device (&e->in, k);
  } else {
    job->in_ptr = gst_rk_cuda_slots_device (&e->in, k);
    if (!e->ops->copy_to_device (e->in_stream, job->in_ptr,
            gst_rk_cuda_slots_staging (&e->in, k), in_size, error))
      return FALSE;
  }
  job->out_ptr = out_size <= ZERO_COPY_MAX ?
      gst_rk_cuda_slots_staging_device (&e->out, k) :
      gst_rk_cuda_slots_device (&e->out, k);
  job->out_capacity = (guint32) e->out.size;
  return TRUE;
}

static gboolean
copy_out (GstRkCudaEvent * e, guint k, GError ** error)
{
  if (e->out_sizes[k] <= ZERO_COPY_MAX)
    return TRUE;
  return e->ops->copy_to_host (e->out_stream,
      gst_rk_cuda_slots_staging (&e->out, k), gst_rk_cuda_slots_device (&e->out,
          k), e->out_sizes[k], error);
}

static gboolean
emit (GstRkCudaEvent * e, GstRkMessage * msg, guint k, GError ** error)
{
  const RkCudaJob *job = (const RkCudaJob *) e->jobs_host.host + k;
  GstBuffer *buf = NULL;

  if (job->out_type == 0)
    return TRUE;
  if (job->out_size > job->out_capacity) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "CUDA kernel %s: the output of message %" G_GUINT64_FORMAT " does not "
        "fit its slot", GST_OBJECT_NAME (e->kernel), job->message_id);
    return FALSE;
  }
  if (job->out_size > 0) {
    buf = gst_rk_kernel_alloc_output (e->kernel, job->out_size, error);
    if (buf == NULL)
      return FALSE;
    gst_buffer_fill (buf, 0, gst_rk_cuda_slots_staging (&e->out, k),
        job->out_size);
    if (msg->payload)
      gst_buffer_copy_into (buf, msg->payload,
          GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
  }
  return gst_rk_dispatcher_emit_for (e->dispatcher, &msg->env, job->out_type,
      buf, error);
}

/* Runs up to e->slots messages: stage, launch, wait, emit. */
static gboolean
run_chunk (GstRkCudaEvent * e, GstRkMessage * msgs, guint n,
    const GstRkParams * params, GError ** error)
{
  gsize max_in = 0, max_out = 0;
  guint k;

  for (k = 0; k < n; k++) {
    max_in = MAX (max_in, e->in_sizes[k]);
    max_out = MAX (max_out, e->out_sizes[k]);
  }
  if (!gst_rk_cuda_slots_ensure (&e->in, MAX (max_in, 1), error) ||
      !gst_rk_cuda_slots_ensure (&e->out, MAX (max_out, 1), error))
    return FALSE;

  if (e->grid_size == 1) {
    /* One block takes the chunk, message after message. */
    for (k = 0; k < n; k++)
      if (!stage (e, &msgs[k], k, params, error))
        return FALSE;
    if (!e->ops->wait_stream (e->compute_stream, e->in_stream, error) ||
        !launch_jobs (e, 0, n, error) ||
        !e->ops->wait_stream (e->out_stream, e->compute_stream, error))
      return FALSE;
    for (k = 0; k < n; k++)
      if (!copy_out (e, k, error))
        return FALSE;
  } else {
    /* A frame per launch, over the whole grid. */
    for (k = 0; k < n; k++)
      if (!stage (e, &msgs[k], k, params, error) ||
          !e->ops->wait_stream (e->compute_stream, e->in_stream, error) ||
          !launch_jobs (e, k, 1, error) ||
          !e->ops->wait_stream (e->out_stream, e->compute_stream, error) ||
          !copy_out (e, k, error))
        return FALSE;
  }
  if (!e->ops->sync (e->out_stream, error))
    return FALSE;

  for (k = 0; k < n; k++)
    if (!emit (e, &msgs[k], k, error))
      return FALSE;
  return TRUE;
}

static gboolean
event_batch (GstRkDispatcher * d, GstRkMessage * msgs, guint n,
    GstRkConfig * config, gpointer user_data, GError ** error)
{
  GstRkCudaEvent *e = user_data;
  static const GstRkParams no_params;
  const GstRkParams *params = config ? &config->params : &no_params;
  GError *invalid = NULL;
  guint k, done = 0;

  if (!ensure_state (e, config ? config->state_size : 0, error))
    goto device_error;

  /* Messages before an invalid one still run, as on the CPU backend. */
  for (k = 0; k < n; k++) {
    gsize size = msgs[k].payload ? gst_buffer_get_size (msgs[k].payload) : 0;

    if (e->impl->validate && !e->impl->validate (params, size, &invalid))
      break;
    e->in_sizes[k % e->slots] = size;
    e->out_sizes[k % e->slots] = e->impl->output_size (params, size);
    if ((k + 1) % e->slots == 0 || k + 1 == n) {
      if (!run_chunk (e, msgs + done, k + 1 - done, params, error))
        goto device_error;
      done = k + 1;
    }
  }
  if (invalid == NULL)
    return TRUE;
  if (done < k && !run_chunk (e, msgs + done, k - done, params, error)) {
    g_clear_error (&invalid);
    goto device_error;
  }
  g_propagate_error (error, invalid);
  return FALSE;

device_error:
  g_prefix_error (error, "CUDA kernel %s: ", GST_OBJECT_NAME (e->kernel));
  return FALSE;
}

static gboolean
event_process (GstRkDispatcher * d, GstRkMessage * msg, GstRkConfig * config,
    gpointer user_data, GError ** error)
{
  GstRkCudaEvent *e = user_data;
  guint64 what = 0;

  if (msg->env.type != RK_MSG_CONTROL)
    return event_batch (d, msg, 1, config, user_data, error);

  if (msg->payload)
    gst_buffer_extract (msg->payload, 0, &what, sizeof (what));
  if (what != RK_CONTROL_RESET_STATE || e->state.size == 0)
    return TRUE;
  if (e->ops->fill (e->compute_stream, e->state.ptr, 0, e->state.size, error)
      && e->ops->sync (e->compute_stream, error))
    return TRUE;
  g_prefix_error (error, "CUDA kernel %s: ", GST_OBJECT_NAME (e->kernel));
  return FALSE;
}

static gpointer
event_main (gpointer data)
{
  GstRkCudaEvent *e = data;

  gst_rk_dispatcher_run (e->dispatcher);
  return NULL;
}

static void
free_all (GstRkCudaEvent * e, gboolean device_done)
{
  if (device_done) {
    g_clear_pointer (&e->in_stream, e->ops->stream_free);
    g_clear_pointer (&e->compute_stream, e->ops->stream_free);
    g_clear_pointer (&e->out_stream, e->ops->stream_free);
    gst_rk_cuda_slots_clear (&e->in);
    gst_rk_cuda_slots_clear (&e->out);
    gst_rk_cuda_device_host_free (e->dev, &e->jobs_host);
    gst_rk_cuda_device_mem_free (e->dev, &e->jobs_dev);
    gst_rk_cuda_device_mem_free (e->dev, &e->state);
    g_clear_pointer (&e->dispatcher, gst_rk_dispatcher_free);
    if (e->ring_mem) {
      gst_rk_device_add_memory (&e->dev->parent, 0, -(gint64) e->ring_size);
      g_aligned_free (e->ring_mem);
    }
  }
  g_free (e);
}

static gboolean
choose_grid (GstRkCudaEvent * e, const GstRkLaunchOptions * opts,
    GError ** error)
{
  const GstRkKernelInfo *info = gst_rk_kernel_get_info (e->kernel);
  guint per_sm;

  e->block_size = opts->block_size;
  e->shared_size = opts->shared_memory_size;
  if (e->block_size > e->dev->props.max_block_size) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "block-size %u is more than the %u threads a block can have on %s",
        e->block_size, e->dev->props.max_block_size, e->dev->parent.name);
    return FALSE;
  }
  e->grid_size = opts->grid_size;
  if (e->grid_size == 0 && info->kind == GST_RK_KERNEL_KIND_FRAME) {
    /* One full wave of the device */
    per_sm = e->ops->max_active_blocks (e->function, e->block_size,
        e->shared_size, error);
    if (per_sm == 0) {
      if (error && *error == NULL)
        g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
            "a block of %u threads with %" G_GSIZE_FORMAT " bytes of shared "
            "memory does not fit on an SM of %s", e->block_size,
            e->shared_size, e->dev->parent.name);
      return FALSE;
    }
    e->grid_size = per_sm * e->dev->props.sm_count;
  }
  e->grid_size = MAX (e->grid_size, 1);
  return TRUE;
}

/**
 * gst_rk_cuda_event_launch:
 *
 * Returns: (nullable): the controller of an event-driven kernel, its
 * dispatcher thread started (paused)
 */
GstRkCudaEvent *
gst_rk_cuda_event_launch (GstRkCudaDevice * dev, GstRkKernel * kernel,
    GError ** error)
{
  const GstRkLaunchOptions *opts = gst_rk_kernel_get_options (kernel);
  const GstRkKernelInfo *info = gst_rk_kernel_get_info (kernel);
  GstRkCudaEvent *e = g_new0 (GstRkCudaEvent, 1);
  gsize in_size, out_size;
  GstRkConfig *config;
  gboolean ok;
  gchar *name;

  e->kernel = kernel;
  e->dev = dev;
  e->ops = dev->ops;
  e->impl = gst_rk_kernel_get_implementation (kernel);
  e->slots = MIN (opts->input_queue_capacity,
      info->kind == GST_RK_KERNEL_KIND_FRAME ?
      GST_RK_CUDA_MAX_FRAMES_IN_FLIGHT : GST_RK_CUDA_MAX_BATCH);
  gst_rk_cuda_slots_init (&e->in, dev, e->slots, TRUE, TRUE);
  gst_rk_cuda_slots_init (&e->out, dev, e->slots, TRUE, TRUE);

  e->function = e->ops->get_function (dev->ctx, e->impl, RK_CUDA_ENTRY_EVENT,
      error);
  if (e->function == NULL || !choose_grid (e, opts, error))
    goto fail;
  if ((e->in_stream = e->ops->stream_new (dev->ctx, error)) == NULL ||
      (e->compute_stream = e->ops->stream_new (dev->ctx, error)) == NULL ||
      (e->out_stream = e->ops->stream_new (dev->ctx, error)) == NULL)
    goto fail;
  if (!gst_rk_cuda_device_host_alloc (dev, e->slots * sizeof (RkCudaJob),
          &e->jobs_host, error) || !gst_rk_cuda_device_mem_alloc (dev,
          e->slots * sizeof (RkCudaJob), &e->jobs_dev, error))
    goto fail;
  config = gst_rk_kernel_get_config (kernel);
  ok = ensure_state (e, config->state_size, error);
  gst_rk_config_unref (config);
  if (!ok)
    goto fail;

  /* The rings stay in host memory: the device never sees them. Slots of
   * one envelope keep payloads in host buffers for the dispatcher. */
  in_size = gst_rk_ring_memory_size (opts->input_queue_capacity,
      RK_ENVELOPE_SIZE);
  out_size = gst_rk_ring_memory_size (opts->output_queue_capacity,
      RK_ENVELOPE_SIZE);
  e->ring_size = in_size + out_size;
  e->ring_mem = g_aligned_alloc0 (1, e->ring_size, RK_RING_SLOT_ALIGN);
  gst_rk_device_add_memory (&dev->parent, 0, (gint64) e->ring_size);
  if (!gst_rk_ring_format (e->ring_mem, in_size, opts->input_queue_capacity,
          RK_ENVELOPE_SIZE, error) ||
      !gst_rk_ring_format ((guint8 *) e->ring_mem + in_size, out_size,
          opts->output_queue_capacity, RK_ENVELOPE_SIZE, error) ||
      !gst_rk_kernel_attach_rings (kernel, e->ring_mem, in_size,
          (guint8 *) e->ring_mem + in_size, out_size, error))
    goto fail;
  e->dispatcher = gst_rk_dispatcher_new (kernel, e->ring_mem, in_size,
      (guint8 *) e->ring_mem + in_size, out_size, event_process, e, error);
  if (e->dispatcher == NULL)
    goto fail;
  gst_rk_dispatcher_set_batch_func (e->dispatcher, event_batch,
      GST_RK_CUDA_MAX_BATCH);

  name = g_strdup_printf ("rkcuda-%.8s", GST_OBJECT_NAME (kernel));
  e->thread = g_thread_new (name, event_main, e);
  g_free (name);
  GST_INFO_OBJECT (kernel, "event-driven on %s: grid %u x %u, %u slots",
      dev->parent.name, e->grid_size, e->block_size, e->slots);
  return e;

fail:
  free_all (e, TRUE);
  return NULL;
}

gboolean
gst_rk_cuda_event_command (GstRkCudaEvent * e, guint32 command,
    GError ** error)
{
  return gst_rk_dispatcher_command (e->dispatcher, command,
      (gint64) GST_RK_CUDA_COMMAND_TIMEOUT_MS * 1000, error);
}

/**
 * gst_rk_cuda_event_terminate:
 *
 * Stops the dispatcher thread after the launch in hand, waiting at most
 * GST_RK_CUDA_TERMINATE_TIMEOUT_MS. A thread stuck in the device is left
 * behind with its memory (and the error says so).
 */
gboolean
gst_rk_cuda_event_terminate (GstRkCudaEvent * e, GError ** error)
{
  if (!gst_rk_dispatcher_command (e->dispatcher, RK_CMD_TERMINATE,
          (gint64) GST_RK_CUDA_TERMINATE_TIMEOUT_MS * 1000, NULL)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
        "CUDA kernel %s did not stop within %d ms; its device memory stays "
        "allocated", GST_OBJECT_NAME (e->kernel),
        GST_RK_CUDA_TERMINATE_TIMEOUT_MS);
    g_mutex_lock (&e->dev->lock);
    e->dev->abandoned++;
    g_mutex_unlock (&e->dev->lock);
    return FALSE;
  }
  g_thread_join (e->thread);
  free_all (e, TRUE);
  return TRUE;
}

void
gst_rk_cuda_event_send (GstRkCudaEvent * e)
{
  gst_rk_dispatcher_kick (e->dispatcher);
}

void
gst_rk_cuda_event_fill_stats (GstRkCudaEvent * e, GstStructure * stats)
{
  gst_structure_set (stats,
      "grid-size", G_TYPE_UINT, e->grid_size,
      "block-size", G_TYPE_UINT, e->block_size,
      "frames-in-flight", G_TYPE_UINT, e->slots,
      "state-size", G_TYPE_UINT64, (guint64) e->state.size, NULL);
}
