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
 * frame overlaps the compute of the one before. Frames that stay on the
 * device (GstRkDeviceMemory, gstrkcudapayload.c) are not copied at all:
 * the job reads its input where it lies and writes its output into a
 * payload of its own, which becomes the output buffer. One wait per chunk, then
 * the outputs are emitted in order: each message's extras (NOTIFY events,
 * written straight into pinned memory) with its main output among them.
 * A frame over the whole grid takes one launch per step of its job
 * (phases with grid-wide barriers between them). Kernels that may ask for
 * more rounds (GST_RK_CUDA_KERNEL_ROUNDS) run one message at a time: its
 * rounds, each one's outputs emitted before the next runs, then the next
 * message.
 */

#include <string.h>

#include "gstrkcudaevent.h"
#include "gstrkcudapayload.h"
#include "gstrkcudapersistent.h"
#include "gstrkdevicememoryprivate.h"
#include "gstrkcudaprotocol.h"
#include "gstrkdispatcher.h"
#include "gstrkerror.h"
#include "gstrkfault.h"

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
  const gchar *name;            /* registry name: errors, injected faults */
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
  guint phases;
  gboolean has_init;
  GstRkCudaSlots in;
  GstRkCudaSlots out;
  GstRkCudaSlots extra;         /* pinned only: the device writes events
                                 * where the host reads them */
  GstRkCudaHostMem jobs_host;
  GstRkCudaMem jobs_dev;
  GstRkCudaMem state;
  gboolean have_state;
  gboolean fresh_state;         /* the kernel's init has yet to run */
  GstRkCudaMem blob_mem;
  GstRkCudaBlob blob;
  GstRkCudaMem work;            /* the kernel's scratch memory */
  guint64 stats_state_size;     /* publish_sizes() */
  guint64 stats_blob_size;
  gsize in_sizes[GST_RK_CUDA_MAX_BATCH];
  gsize out_sizes[GST_RK_CUDA_MAX_BATCH];
  gsize extra_sizes[GST_RK_CUDA_MAX_BATCH];
  GstMemory *out_memory[GST_RK_CUDA_MAX_BATCH];  /* outputs on the device */
};

/* get-stats reads the sizes of the state and tables from any thread while
 * the dispatcher replaces them: it reads these copies, never the memory's
 * own fields (nor the tables' GBytes, which it may free). */
static void
publish_sizes (GstRkCudaEvent * e)
{
  __atomic_store_n (&e->stats_state_size, (guint64) e->state.size,
      __ATOMIC_RELAXED);
  __atomic_store_n (&e->stats_blob_size,
      (guint64) gst_rk_cuda_blob_size (&e->blob), __ATOMIC_RELAXED);
}

static gboolean
ensure_state (GstRkCudaEvent * e, gsize size, GError ** error)
{
  if (e->have_state && e->state.size == size)
    return TRUE;
  gst_rk_cuda_device_mem_free (e->dev, &e->state);
  e->have_state = FALSE;
  if (size > 0 && (!gst_rk_cuda_device_mem_alloc (e->dev, size, e->name,
              &e->state, error) || !e->ops->fill (e->compute_stream,
              e->state.ptr, 0, size, error) ||
          !gst_rk_cuda_stream_sync (e->ops, e->compute_stream, error)))
    return FALSE;
  e->have_state = TRUE;
  e->fresh_state = size > 0 && e->has_init;
  publish_sizes (e);
  return TRUE;
}

static RkCudaJob *
job_of (GstRkCudaEvent * e, guint k)
{
  return (RkCudaJob *) e->jobs_host.host + k;
}

/* What every message of a configuration needs on the device: state, its
 * tables (uploaded when they change), scratch. Between chunks nothing runs
 * on the device, so they can be replaced at once. */
static gboolean
ensure_config (GstRkCudaEvent * e, GstRkConfig * config, GError ** error)
{
  GBytes *blob = NULL;

  if (gst_rk_cuda_blob_check (&e->blob, e->impl, config, &blob)) {
    if (!gst_rk_cuda_device_upload (e->dev, e->compute_stream, blob,
            e->name, &e->blob_mem, error)) {
      if (blob)
        g_bytes_unref (blob);
      return FALSE;
    }
    gst_rk_cuda_blob_set (&e->blob, config, blob);
    publish_sizes (e);
  }
  return ensure_state (e, gst_rk_cuda_kernel_state_size (e->impl, config),
      error) && gst_rk_cuda_device_mem_ensure (e->dev,
      gst_rk_cuda_kernel_scratch_size (e->impl, config), e->name, &e->work,
      error);
}

/* Copies job @k in, launches each of its steps over the whole grid (or
 * all of them in one block), copies it back. */
static gboolean
launch_steps (GstRkCudaEvent * e, guint k, GError ** error)
{
  RkCudaJob *job = job_of (e, k);
  RkCudaEventArgs args = { 0, };
  guint n = rk_cuda_job_n_steps (job->flags, e->phases, e->has_init);

  args.jobs = e->jobs_dev.ptr + (guint64) k * sizeof (RkCudaJob);
  args.n_jobs = 1;
  if (!e->ops->copy_to_device (e->compute_stream, args.jobs, job,
          sizeof (RkCudaJob), error))
    return FALSE;
  for (guint s = 0; s < n; s++) {
    args.step = e->grid_size == 1 ? RK_CUDA_ALL_STEPS : s;
    if (!e->ops->launch (e->compute_stream, e->function, e->grid_size,
            e->block_size, e->shared_size, FALSE, &args, error))
      return FALSE;
    if (e->grid_size == 1)
      break;
  }
  return e->ops->copy_to_host (e->compute_stream, job, args.jobs,
      sizeof (RkCudaJob), error);
}

static gboolean
launch_jobs (GstRkCudaEvent * e, guint first, guint n, GError ** error)
{
  RkCudaEventArgs args = { 0, };
  gsize bytes = (gsize) n * sizeof (RkCudaJob);

  args.jobs = e->jobs_dev.ptr + (guint64) first * sizeof (RkCudaJob);
  args.n_jobs = n;
  args.step = RK_CUDA_ALL_STEPS;
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
  RkCudaJob *job = job_of (e, k);
  gsize in_size = e->in_sizes[k], out_size = e->out_sizes[k];
  GstClockTime pts = msg->payload ? GST_BUFFER_PTS (msg->payload) :
      GST_CLOCK_TIME_NONE;
  gpointer in_payload;

  memset (job, 0, sizeof (*job));
  job->type = msg->env.type;
  if (e->fresh_state) {
    job->flags = RK_CUDA_JOB_INIT_STATE;
    e->fresh_state = FALSE;
  }
  job->message_id = msg->env.message_id;
  job->correlation_id = msg->env.correlation_id;
  job->hlc_physical = msg->env.hlc_physical;
  job->hlc_logical = msg->env.hlc_logical;
  job->hlc_node = msg->env.hlc_node;
  job->pts = GST_CLOCK_TIME_IS_VALID (pts) ? pts : RK_CUDA_NO_TIME;
  job->in_size = (guint32) in_size;
  job->state_ptr = e->state.ptr;
  job->state_size = e->state.size;
  job->blob_ptr = gst_rk_cuda_blob_size (&e->blob) ? e->blob_mem.ptr : 0;
  job->blob_size = gst_rk_cuda_blob_size (&e->blob);
  job->scratch_ptr = e->work.ptr;
  job->scratch_size = e->work.size;
  job->main_at = RK_CUDA_MAIN_LAST;
  job->extra_capacity = (guint32) e->extra_sizes[k];
  job->extra_ptr = e->extra_sizes[k] ?
      gst_rk_cuda_slots_staging_device (&e->extra, k) : 0;
  memcpy (&job->params, params, sizeof (job->params));

  in_payload = gst_rk_device_memory_get_handle (msg->payload,
      &e->dev->parent);
  if (in_payload) {
    job->in_ptr = gst_rk_cuda_payload_get_ptr (in_payload);
  } else {
    if (in_size > 0) {
      gst_buffer_extract (msg->payload, 0,
          gst_rk_cuda_slots_staging (&e->in, k), in_size);
      gst_rk_kernel_count_upload (e->kernel, in_size);
    }
    if (in_size <= ZERO_COPY_MAX) {
      job->in_ptr = gst_rk_cuda_slots_staging_device (&e->in, k);
    } else {
      job->in_ptr = gst_rk_cuda_slots_device (&e->in, k);
      if (!e->ops->copy_to_device (e->in_stream, job->in_ptr,
              gst_rk_cuda_slots_staging (&e->in, k), in_size, error))
        return FALSE;
    }
  }

  g_assert (e->out_memory[k] == NULL);
  if (msg->payload && out_size > 0 && out_size == params->out_size &&
      gst_rk_kernel_get_device_outputs (e->kernel)) {
    e->out_memory[k] = gst_rk_device_memory_new (&e->dev->parent, out_size,
        error);
    if (e->out_memory[k] == NULL)
      return FALSE;
    job->out_ptr = gst_rk_cuda_payload_get_ptr
        (gst_rk_device_memory_get_handle_of (e->out_memory[k]));
    job->out_capacity = (guint32) out_size;
    return TRUE;
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
  if (e->out_sizes[k] <= ZERO_COPY_MAX || e->out_memory[k])
    return TRUE;
  return e->ops->copy_to_host (e->out_stream,
      gst_rk_cuda_slots_staging (&e->out, k), gst_rk_cuda_slots_device (&e->out,
          k), e->out_sizes[k], error);
}

static GstBuffer *
main_output (GstRkCudaEvent * e, GstRkMessage * msg, guint k,
    GError ** error)
{
  const RkCudaJob *job = job_of (e, k);
  GstBuffer *buf;

  if (job->out_flags & RK_CUDA_OUT_INPUT)
    return msg->payload ? gst_buffer_ref (msg->payload) : NULL;
  if (job->out_size == 0)
    return NULL;
  if (e->out_memory[k]) {
    /* written on the device, in place; a frame kernel's output is never
     * shorter than a frame */
    buf = gst_buffer_new ();
    gst_buffer_append_memory (buf, g_steal_pointer (&e->out_memory[k]));
    gst_buffer_resize (buf, 0, job->out_size);
    if (msg->payload)
      gst_buffer_copy_into (buf, msg->payload,
          GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
    return buf;
  }
  buf = gst_rk_kernel_alloc_output (e->kernel, job->out_size, error);
  if (buf == NULL)
    return NULL;
  gst_buffer_fill (buf, 0, gst_rk_cuda_slots_staging (&e->out, k),
      job->out_size);
  gst_rk_kernel_count_download (e->kernel, job->out_size);
  if (msg->payload)
    gst_buffer_copy_into (buf, msg->payload,
        GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
  return buf;
}

/* Emits what job @k's round made, in order: its extras, with the main
 * output at main_at among them (unless another round follows). */
static gboolean
emit (GstRkCudaEvent * e, GstRkMessage * msg, guint k, GError ** error)
{
  const RkCudaJob *job = job_of (e, k);
  const guint8 *extras = e->extra_sizes[k] ?
      gst_rk_cuda_slots_staging (&e->extra, k) : NULL;
  gboolean has_main = job->out_type != 0 && !job->more;
  guint32 main_at = MIN (job->main_at, job->extra_count);
  gsize off = 0;

  if (job->error) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE, "CUDA kernel %s "
        "failed on message %" G_GUINT64_FORMAT, GST_OBJECT_NAME (e->kernel),
        job->message_id);
    return FALSE;
  }
  if ((job->out_type != 0 && !(job->out_flags & RK_CUDA_OUT_INPUT) &&
          job->out_size > job->out_capacity) ||
      job->extra_bytes > job->extra_capacity) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "CUDA kernel %s: the output of message %" G_GUINT64_FORMAT " does not "
        "fit its slot", GST_OBJECT_NAME (e->kernel), job->message_id);
    return FALSE;
  }

  for (guint32 i = 0; i <= job->extra_count; i++) {
    if (has_main && i == main_at) {
      GError *err = NULL;
      GstBuffer *buf = main_output (e, msg, k, &err);

      if (err) {
        g_propagate_error (error, err);
        return FALSE;
      }
      if (!gst_rk_dispatcher_emit_for (e->dispatcher, &msg->env,
              job->out_type, buf, error))
        return FALSE;
    }
    if (i < job->extra_count) {
      RkCudaOutput rec;

      if (off + sizeof (rec) > job->extra_bytes)
        goto bad_record;
      memcpy (&rec, extras + off, sizeof (rec));
      if (rec.size > job->extra_bytes || rk_cuda_output_record_size (rec.size)
          > job->extra_bytes - off || (rec.type != RK_MSG_DATA &&
              rec.type != RK_MSG_REPLY && rec.type != RK_MSG_NOTIFY))
        goto bad_record;
      if (!gst_rk_dispatcher_emit_for (e->dispatcher, &msg->env, rec.type,
              gst_buffer_new_memdup (extras + off + sizeof (rec), rec.size),
              error))
        return FALSE;
      off += rk_cuda_output_record_size (rec.size);
    }
  }
  return TRUE;

bad_record:
  g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
      "CUDA kernel %s wrote malformed outputs for message %" G_GUINT64_FORMAT,
      GST_OBJECT_NAME (e->kernel), job->message_id);
  return FALSE;
}

/* Message @k alone, round after round, each round's outputs emitted
 * before the next runs; its inputs are in place. */
static gboolean
run_rounds (GstRkCudaEvent * e, GstRkMessage * msg, guint k, GError ** error)
{
  RkCudaJob *job = job_of (e, k);

  for (;;) {
    if (!launch_steps (e, k, error) ||
        !gst_rk_cuda_stream_sync (e->ops, e->compute_stream, error))
      return FALSE;
    if (!job->more && job->out_type != 0 &&
        !(job->out_flags & RK_CUDA_OUT_INPUT) && (!e->ops->wait_stream
            (e->out_stream, e->compute_stream, error) || !copy_out (e, k,
                error) ||
            !gst_rk_cuda_stream_sync (e->ops, e->out_stream, error)))
      return FALSE;
    if (!emit (e, msg, k, error))
      return FALSE;
    if (!job->more)
      return TRUE;
    job->round++;
    job->flags &= ~RK_CUDA_JOB_INIT_STATE;
    job->out_type = job->out_size = job->out_flags = 0;
    job->extra_count = job->extra_bytes = 0;
    job->main_at = RK_CUDA_MAIN_LAST;
    job->more = 0;
    memset (job->acc, 0, sizeof (job->acc));
  }
}

/* Runs up to e->slots messages: stage, launch, wait, emit. */
static gboolean
run_staged (GstRkCudaEvent * e, GstRkMessage * msgs, guint n,
    const GstRkParams * params, GError ** error)
{
  gsize max_in = 0, max_out = 0, max_extra = 0;
  guint k;

  for (k = 0; k < n; k++) {
    max_in = MAX (max_in, e->in_sizes[k]);
    max_out = MAX (max_out, e->out_sizes[k]);
    max_extra = MAX (max_extra, e->extra_sizes[k]);
  }
  if (!gst_rk_cuda_slots_ensure (&e->in, MAX (max_in, 1), error) ||
      !gst_rk_cuda_slots_ensure (&e->out, MAX (max_out, 1), error) ||
      (max_extra && !gst_rk_cuda_slots_ensure (&e->extra, max_extra, error)))
    return FALSE;

  if (e->impl->flags & GST_RK_CUDA_KERNEL_ROUNDS) {
    /* A message may need several rounds: one at a time. */
    for (k = 0; k < n; k++)
      if (!stage (e, &msgs[k], k, params, error))
        return FALSE;
    if (!e->ops->wait_stream (e->compute_stream, e->in_stream, error))
      return FALSE;
    for (k = 0; k < n; k++)
      if (!run_rounds (e, &msgs[k], k, error))
        return FALSE;
    return TRUE;
  }

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
    /* A frame per launch (one per step), over the whole grid. */
    for (k = 0; k < n; k++)
      if (!stage (e, &msgs[k], k, params, error) ||
          !e->ops->wait_stream (e->compute_stream, e->in_stream, error) ||
          !launch_steps (e, k, error) ||
          !e->ops->wait_stream (e->out_stream, e->compute_stream, error) ||
          !copy_out (e, k, error))
        return FALSE;
  }
  if (!gst_rk_cuda_stream_sync (e->ops, e->out_stream, error))
    return FALSE;

  for (k = 0; k < n; k++) {
    if (job_of (e, k)->more) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
          "CUDA kernel %s asked for another round, which it does not "
          "declare", GST_OBJECT_NAME (e->kernel));
      return FALSE;
    }
    if (!emit (e, &msgs[k], k, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
run_chunk (GstRkCudaEvent * e, GstRkMessage * msgs, guint n,
    const GstRkParams * params, GError ** error)
{
  gboolean ok = run_staged (e, msgs, n, params, error);

  /* outputs on the device that a failure left unemitted */
  for (guint k = 0; k < n; k++)
    if (e->out_memory[k])
      gst_memory_unref (g_steal_pointer (&e->out_memory[k]));
  return ok;
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

  if (!ensure_config (e, config, error))
    goto device_error;

  /* Messages before an invalid one still run, as on the CPU backend. */
  for (k = 0; k < n; k++) {
    gsize size = msgs[k].payload ? gst_buffer_get_size (msgs[k].payload) : 0;

    if (e->impl->validate && !e->impl->validate (config, params, size,
            &invalid))
      break;
    e->in_sizes[k % e->slots] = size;
    e->out_sizes[k % e->slots] = e->impl->output_size (params, size);
    e->extra_sizes[k % e->slots] = gst_rk_cuda_kernel_extra_size (e->impl,
        config, size);
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
  /* Zeros, then the kernel's init if it has one (the state of a config
   * not seen yet is made fresh by the next batch anyway). */
  if (!e->ops->fill (e->compute_stream, e->state.ptr, 0, e->state.size,
          error) || !gst_rk_cuda_stream_sync (e->ops, e->compute_stream, error))
    goto fail;
  if (e->has_init) {
    RkCudaJob *job = job_of (e, 0);

    memset (job, 0, sizeof (*job));
    job->type = RK_MSG_CONTROL;
    job->flags = RK_CUDA_JOB_RESET_STATE;
    job->message_id = msg->env.message_id;
    job->state_ptr = e->state.ptr;
    job->state_size = e->state.size;
    if (config)
      memcpy (&job->params, &config->params, sizeof (job->params));
    if (!launch_steps (e, 0, error) ||
        !gst_rk_cuda_stream_sync (e->ops, e->compute_stream, error))
      goto fail;
  }
  e->fresh_state = FALSE;
  return TRUE;

fail:
  g_prefix_error (error, "CUDA kernel %s: ", GST_OBJECT_NAME (e->kernel));
  return FALSE;
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
    gst_rk_cuda_slots_clear (&e->extra);
    gst_rk_cuda_device_mem_free (e->dev, &e->blob_mem);
    gst_rk_cuda_device_mem_free (e->dev, &e->work);
    gst_rk_cuda_device_host_free (e->dev, &e->jobs_host);
    gst_rk_cuda_device_mem_free (e->dev, &e->jobs_dev);
    gst_rk_cuda_device_mem_free (e->dev, &e->state);
    g_clear_pointer (&e->dispatcher, gst_rk_dispatcher_free);
    if (e->ring_mem) {
      gst_rk_device_add_memory (&e->dev->parent, 0, -(gint64) e->ring_size);
      g_aligned_free (e->ring_mem);
    }
  }
  gst_rk_cuda_blob_clear (&e->blob);
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

  e->kernel = kernel;
  e->dev = dev;
  e->ops = dev->ops;
  e->impl = gst_rk_kernel_get_implementation (kernel);
  e->name = info->name;
  e->slots = MIN (opts->input_queue_capacity,
      info->kind == GST_RK_KERNEL_KIND_FRAME ?
      GST_RK_CUDA_MAX_FRAMES_IN_FLIGHT : GST_RK_CUDA_MAX_BATCH);
  e->phases = gst_rk_cuda_kernel_phases (e->impl);
  e->has_init = (e->impl->flags & GST_RK_CUDA_KERNEL_HAS_INIT) != 0;
  gst_rk_cuda_slots_init (&e->in, dev, e->name, e->slots, TRUE, TRUE);
  gst_rk_cuda_slots_init (&e->out, dev, e->name, e->slots, TRUE, TRUE);
  gst_rk_cuda_slots_init (&e->extra, dev, e->name, e->slots, FALSE, TRUE);

  e->function = gst_rk_cuda_device_get_function (dev, e->impl,
      RK_CUDA_ENTRY_EVENT, e->name, error);
  if (e->function == NULL || !choose_grid (e, opts, error))
    goto fail;
  if ((e->in_stream = e->ops->stream_new (dev->ctx, error)) == NULL ||
      (e->compute_stream = e->ops->stream_new (dev->ctx, error)) == NULL ||
      (e->out_stream = e->ops->stream_new (dev->ctx, error)) == NULL)
    goto fail;
  if (!gst_rk_cuda_device_host_alloc (dev, e->slots * sizeof (RkCudaJob),
          e->name, &e->jobs_host, error) ||
      !gst_rk_cuda_device_mem_alloc (dev, e->slots * sizeof (RkCudaJob),
          e->name, &e->jobs_dev, error))
    goto fail;
  config = gst_rk_kernel_get_config (kernel);
  ok = ensure_state (e, gst_rk_cuda_kernel_state_size (e->impl, config),
      error);
  gst_rk_config_unref (config);
  if (!ok)
    goto fail;

  /* The rings stay in host memory: the device never sees them. Slots of
   * one envelope keep payloads in host buffers for the dispatcher. */
  in_size = gst_rk_ring_memory_size (opts->input_queue_capacity,
      RK_ENVELOPE_SIZE);
  out_size = gst_rk_ring_memory_size (opts->output_queue_capacity,
      RK_ENVELOPE_SIZE);
  if (gst_rk_fault_strikes (GST_RK_FAULT_ALLOC, e->name)) {
    /* (GLib aborts when a real allocation fails; only a fault comes here) */
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "cannot allocate %" G_GSIZE_FORMAT " bytes of queues for %s",
        in_size + out_size, e->name);
    goto fail;
  }
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

  e->thread = gst_rk_dispatcher_start (e->dispatcher, "rkcuda");
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
    gst_rk_cuda_device_abandon (e->dev);
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
      "state-size", G_TYPE_UINT64,
      __atomic_load_n (&e->stats_state_size, __ATOMIC_RELAXED),
      "blob-size", G_TYPE_UINT64,
      __atomic_load_n (&e->stats_blob_size, __ATOMIC_RELAXED), NULL);
}
