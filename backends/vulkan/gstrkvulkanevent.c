/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Event-driven mode: a host thread runs the runtime's dispatcher over
 * rings in host memory and turns each run of queued messages into one
 * submission of bulk dispatches (coalescing). Frame kernels run this way:
 * a frame spans many workgroups, which must not spin. The kernel's state
 * stays in its device buffer between submissions.
 */

#include "gstrkvulkanevent.h"
#include "gstrkvulkanbulk.h"
#include "gstrkdispatcher.h"
#include "gstrkerror.h"

#define COMMAND_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define TERMINATE_GRACE_US (2 * G_USEC_PER_SEC)

/* Messages one submission takes at most */
#define MAX_BATCH 64u

struct _GstRkVulkanEvent
{
  GstRkVulkanContext *ctx;
  GstRkDispatcher *dispatcher;
  GThread *thread;
  gpointer ring_mem;
  gsize in_size, out_size;
  guint64 batches;
};

static gboolean
process_batch (GstRkDispatcher * d, GstRkMessage * msgs, guint n,
    GstRkConfig * config, gpointer user_data, GError ** error)
{
  GstRkVulkanEvent *ev = user_data;
  GArray *outs = NULL;
  GError *refused = NULL;
  gboolean ok;

  ok = gst_rk_vulkan_context_ensure_state (ev->ctx, config, NULL, error) &&
      (outs = gst_rk_vulkan_bulk_run (ev->ctx, msgs, n, config, &refused,
          error));
  ev->batches++;
  for (guint i = 0; ok && i < outs->len; i++) {
    GstRkVulkanOutput *o = &g_array_index (outs, GstRkVulkanOutput, i);

    ok = gst_rk_dispatcher_emit_for (d, &msgs[o->index].env, o->type,
        o->payload, error);
    o->payload = NULL;
  }
  if (outs)
    gst_rk_vulkan_outputs_free (outs);
  if (ok && refused) {
    g_propagate_error (error, refused);
    return FALSE;
  }
  g_clear_error (&refused);
  return ok;
}

/* Single messages: control messages, and whatever the dispatcher does not
 * batch. */
static gboolean
process_one (GstRkDispatcher * d, GstRkMessage * msg, GstRkConfig * config,
    gpointer user_data, GError ** error)
{
  GstRkVulkanEvent *ev = user_data;

  if (msg->env.type == RK_MSG_CONTROL) {
    guint64 what = 0;

    if (msg->payload)
      gst_buffer_extract (msg->payload, 0, &what, sizeof (what));
    if (!gst_rk_vulkan_context_ensure_state (ev->ctx, config, NULL, error))
      return FALSE;
    return what != RK_CONTROL_RESET_STATE ||
        gst_rk_vulkan_context_reset_state (ev->ctx, error);
  }
  return process_batch (d, msg, 1, config, user_data, error);
}

static void
event_free (GstRkVulkanEvent * ev)
{
  GstRkDevice *dev = &ev->ctx->device->parent;

  if (ev->dispatcher)
    gst_rk_dispatcher_free (ev->dispatcher);
  if (ev->ring_mem) {
    gst_rk_device_add_memory (dev, 0, -(gint64) (ev->in_size + ev->out_size));
    g_aligned_free (ev->ring_mem);
  }
  g_free (ev);
}

/**
 * gst_rk_vulkan_event_launch:
 *
 * Sets a kernel up in event-driven mode: its rings in host memory (the
 * device never reads them; payloads are staged per submission) and a host
 * thread, paused.
 */
GstRkVulkanEvent *
gst_rk_vulkan_event_launch (GstRkVulkanContext * ctx, GError ** error)
{
  const GstRkLaunchOptions *opts = gst_rk_kernel_get_options (ctx->kernel);
  GstRkVulkanEvent *ev = g_new0 (GstRkVulkanEvent, 1);
  GstRkConfig *config;
  guint8 *out_mem;
  gboolean ok;

  ev->ctx = ctx;
  if (ctx->impl->bulk.code == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel %s has no event-driven Vulkan shader (use "
        "mode=persistent)", ctx->impl->name);
    goto fail;
  }
  ev->in_size = gst_rk_ring_memory_size (opts->input_queue_capacity,
      RK_ENVELOPE_SIZE);
  ev->out_size = gst_rk_ring_memory_size (opts->output_queue_capacity,
      RK_ENVELOPE_SIZE);
  ev->ring_mem = g_aligned_alloc0 (1, ev->in_size + ev->out_size,
      RK_RING_SLOT_ALIGN);
  gst_rk_device_add_memory (&ctx->device->parent, 0,
      (gint64) (ev->in_size + ev->out_size));
  out_mem = (guint8 *) ev->ring_mem + ev->in_size;
  if (!gst_rk_ring_format (ev->ring_mem, ev->in_size,
          opts->input_queue_capacity, RK_ENVELOPE_SIZE, error) ||
      !gst_rk_ring_format (out_mem, ev->out_size,
          opts->output_queue_capacity, RK_ENVELOPE_SIZE, error) ||
      !gst_rk_kernel_attach_rings (ctx->kernel, ev->ring_mem, ev->in_size,
          out_mem, ev->out_size, error))
    goto fail;
  ev->dispatcher = gst_rk_dispatcher_new (ctx->kernel, ev->ring_mem,
      ev->in_size, out_mem, ev->out_size, process_one, ev, error);
  if (ev->dispatcher == NULL)
    goto fail;
  gst_rk_dispatcher_set_batch_func (ev->dispatcher, process_batch,
      MAX_BATCH);

  config = gst_rk_kernel_get_config (ctx->kernel);
  ok = gst_rk_vulkan_context_check_features (ctx, error) &&
      gst_rk_vulkan_bulk_prepare (ctx, error) &&
      gst_rk_vulkan_context_ensure_state (ctx, config, NULL, error);
  gst_rk_config_unref (config);
  if (!ok)
    goto fail;

  ev->thread = gst_rk_dispatcher_start (ev->dispatcher, "rkvk");
  return ev;

fail:
  event_free (ev);
  return NULL;
}

gboolean
gst_rk_vulkan_event_command (GstRkVulkanEvent * ev, guint32 command,
    GError ** error)
{
  return gst_rk_dispatcher_command (ev->dispatcher, command,
      COMMAND_TIMEOUT_US, error);
}

void
gst_rk_vulkan_event_kick (GstRkVulkanEvent * ev)
{
  gst_rk_dispatcher_kick (ev->dispatcher);
}

/**
 * gst_rk_vulkan_event_terminate:
 *
 * Stops the host thread after the submission in hand (given up on after a
 * grace period) and frees the kernel.
 */
gboolean
gst_rk_vulkan_event_terminate (GstRkVulkanEvent * ev, GError ** error)
{
  GstRkVulkanContext *ctx = ev->ctx;
  gboolean ok = TRUE;

  gst_rk_vulkan_context_stop (ctx, TERMINATE_GRACE_US);
  gst_rk_dispatcher_command (ev->dispatcher, RK_CMD_TERMINATE, 0, NULL);
  g_thread_join (ev->thread);
  if (ctx->abandoned) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
        "a dispatch of kernel %s did not stop within %d ms; its memory is "
        "kept until the device closes", ctx->impl->name,
        (gint) (TERMINATE_GRACE_US / 1000));
    ok = FALSE;
  }
  event_free (ev);
  gst_rk_vulkan_context_dispose (ctx);
  return ok;
}

void
gst_rk_vulkan_event_fill_stats (GstRkVulkanEvent * ev, GstStructure * s)
{
  gst_structure_set (s,
      "dispatches", G_TYPE_UINT64, ev->ctx->dispatches,
      "batches", G_TYPE_UINT64, ev->batches,
      "device-memory", G_TYPE_INT64, gst_rk_vulkan_context_memory (ev->ctx),
      NULL);
}
