/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Persistent mode. The kernel's rings and control block live in one
 * host-visible coherent buffer; a ring shader (shaders/rkring.glsl) polls
 * the input queue while it runs and answers within a microsecond. A
 * dispatch lives for at most 60,000 polls (lavapipe ends longer loops;
 * real GPUs have watchdogs), and its queue positions stay in the ring
 * headers, so a host thread simply dispatches again when the fence
 * signals. Between dispatches, and only then, the host thread does what
 * the shader leaves to it:
 *
 *   - messages whose payload is a host buffer (larger than a slot) run as
 *     bulk dispatches, their outputs published by the host;
 *   - control messages (reset state) are done with a buffer fill;
 *   - a message with a host buffer below the flush target is discarded
 *     here, where its buffer can be freed.
 *
 * The device and the host thread thus take turns as consumer of the input
 * ring and producer of the output ring; never at once. After a dispatch
 * that did work, the next one is submitted at once; after an idle one, the
 * thread sleeps until input or a command arrives.
 *
 * A dispatch runs under one configuration (its push constants). The
 * device takes inputs only below a limit in the control block, which the
 * sending thread raises right after publishing as long as the inputs were
 * sent under that configuration; the first one sent under another stops
 * the dispatch, and the next is recorded with the new one. So a caps or
 * parameter change applies exactly from the next message, as everywhere.
 *
 * The device cannot wake host threads: while a dispatch runs, this thread
 * watches the ring positions and wakes waiting host threads when they move.
 */

#include <string.h>

#include "gstrkvulkan.h"
#include "gstrkvulkanring.h"
#include "gstrkvulkanbulk.h"
#include "gstrkvulkanabi.h"
#include "gstrkerror.h"
#include "gstrkfault.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rk_vulkan_debug);
#define GST_CAT_DEFAULT gst_rk_vulkan_debug

/* Ring slots: an envelope and the inline payload */
#define SLOT_SIZE (RK_ENVELOPE_SIZE + RKV_INLINE_MAX)
/* RK_COPY_INLINE (shaders/rkring.glsl) is unrolled for 12 16-byte units */
G_STATIC_ASSERT (RKV_INLINE_MAX == 12 * 16);

/* Host-run messages handed to one bulk submission */
#define HOST_BATCH 16u

#define COMMAND_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define TERMINATE_GRACE_US (2 * G_USEC_PER_SEC)

/* How often the host thread looks at the rings during a dispatch: every
 * 200 us while a host thread sleeps on the kernel, backing off to 500 us.
 * Receivers spin for their replies (RECEIVER_SPIN_US); the watcher only
 * wakes those that went to sleep. It looked every 20 us: while the shader
 * holds one of two cores, 50,000 wake-ups a second on the other took the
 * core from the threads of the pipeline (appsrc ! rkecho ! appsink round
 * trip p50 93 us; at 200 us, 26 us). */
#define WATCH_MIN_NS 200000
#define WATCH_MAX_NS 500000
/* A reply normally shows within a few us of its input (the round trip on
 * lavapipe is about 1 us); the bound only stops a receiver from spinning
 * through a slow dispatch. */
#define RECEIVER_SPIN_US 50

#define CTRL_U32(r, off) ((guint32 *) ((r)->ctrl + (off)))
#define CTRL_U64(r, off) ((guint64 *) ((r)->ctrl + (off)))
#define LIMIT_BREAK (G_GUINT64_CONSTANT (1) << RKV_LIMIT_BREAK_BIT)

struct _GstRkVulkanRing
{
  GstRkVulkanContext *ctx;
  GstRkKernel *kernel;
  GstRkVulkanDevice *device;
  guint budget;

  /* control block, input ring, output ring */
  GstRkVulkanBuffer shared;
  guint8 *ctrl;
  guint8 *in_mem, *out_mem;
  VkDeviceSize in_offset, out_offset, in_size, out_size;
  guint64 *in_head, *in_tail, *out_head, *out_tail;
  guint32 in_mask, out_mask, out_capacity;

  VkPipeline pipeline;
  VkDescriptorSet set;
  VkCommandBuffer cb;           /* the dispatch, recorded once per config */

  /* The inputs the device may take: RKV_CTRL_OFF_LIMIT, and the config the
   * dispatch is recorded with, under limit_lock (senders raise the limit) */
  GMutex limit_lock;
  GstRkConfig *recorded;

  GThread *thread;
  guint32 command;              /* RK_CMD_*, atomic */
  guint32 status;               /* RK_STATUS_*, atomic: the thread's ack */
  GstRkWakeup ack;
  gboolean failed;
  gboolean hot;                 /* the last dispatch did work */
  gboolean out_blocked;         /* it stopped on a full output queue */
  guint64 seen_in_tail, seen_out_head;  /* for the progress watch */
  guint64 watch_ns;

  GMutex fold_lock;             /* device counters folded into the kernel's */
  guint64 folded_processed, folded_flushed;
  guint64 host_messages;
};

static inline guint64
load_acquire (const guint64 * p)
{
  return __atomic_load_n (p, __ATOMIC_ACQUIRE);
}

static inline void
store_release (guint64 * p, guint64 v)
{
  __atomic_store_n (p, v, __ATOMIC_RELEASE);
}

static void
device_notify (GstRkVulkanRing * r)
{
  gst_rk_wakeup_notify (gst_rk_kernel_get_device_wakeup (r->kernel));
}

/* ---- Counters ---- */

/* Adds what the device counted since last time to the kernel's counters. */
static void
fold_counters (GstRkVulkanRing * r)
{
  guint64 p, f;

  g_mutex_lock (&r->fold_lock);
  p = __atomic_load_n (CTRL_U64 (r, RK_CTRL_OFF_PROCESSED), __ATOMIC_ACQUIRE);
  f = __atomic_load_n (CTRL_U64 (r, RKV_CTRL_OFF_FLUSHED), __ATOMIC_ACQUIRE);
  if (p != r->folded_processed)
    gst_rk_kernel_count_processed (r->kernel, p - r->folded_processed);
  if (f != r->folded_flushed)
    gst_rk_kernel_count_flushed (r->kernel, f - r->folded_flushed);
  r->folded_processed = p;
  r->folded_flushed = f;
  g_mutex_unlock (&r->fold_lock);
}

/* ---- Launch ---- */

static void
write_descriptors (GstRkVulkanRing * r)
{
  GstRkVulkanDevice *dev = r->device;
  VkDescriptorBufferInfo info[4] = {
    {r->shared.handle, 0, RKV_CTRL_SIZE},
    {r->shared.handle, r->in_offset, r->in_size},
    {r->shared.handle, r->out_offset, r->out_size},
    {r->ctx->state.handle, 0, VK_WHOLE_SIZE},
  };
  VkWriteDescriptorSet w[4];

  for (guint i = 0; i < 4; i++) {
    VkWriteDescriptorSet wi = { VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET };

    wi.dstSet = r->set;
    wi.dstBinding = i;
    wi.descriptorCount = 1;
    wi.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    wi.pBufferInfo = &info[i];
    w[i] = wi;
  }
  dev->vk.vkUpdateDescriptorSets (dev->handle, 4, w, 0, NULL);
}

/* Records the dispatch: one workgroup of one subgroup, with the
 * parameters of @config. Reused until the configuration changes. */
static gboolean
record (GstRkVulkanRing * r, GstRkConfig * config, GError ** error)
{
  GstRkVulkanDevice *dev = r->device;
  GstRkVulkanContext *ctx = r->ctx;
  VkCommandBufferBeginInfo bi = {
    VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO
  };
  const VkPipelineStageFlags cs = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT;
  const VkAccessFlags rw = VK_ACCESS_SHADER_READ_BIT |
      VK_ACCESS_SHADER_WRITE_BIT;
  gboolean changed;
  VkResult res;

  if (!gst_rk_vulkan_context_ensure_state (ctx, config, &changed, error))
    return FALSE;
  if (changed || r->recorded == NULL)
    write_descriptors (r);

  res = dev->vk.vkResetCommandBuffer (r->cb, 0);
  if (res == VK_SUCCESS)
    res = dev->vk.vkBeginCommandBuffer (r->cb, &bi);
  if (!gst_rk_vulkan_device_check (dev, res, "recording commands", error))
    return FALSE;
  gst_rk_vulkan_context_barrier (ctx, r->cb, cs, rw, cs, rw);
  dev->vk.vkCmdBindPipeline (r->cb, VK_PIPELINE_BIND_POINT_COMPUTE,
      r->pipeline);
  dev->vk.vkCmdBindDescriptorSets (r->cb, VK_PIPELINE_BIND_POINT_COMPUTE,
      dev->ring_layout, 0, 1, &r->set, 0, NULL);
  dev->vk.vkCmdPushConstants (r->cb, dev->ring_layout,
      VK_SHADER_STAGE_COMPUTE_BIT, 0, RK_PARAMS_SIZE, &config->params);
  dev->vk.vkCmdDispatch (r->cb, 1, 1, 1);
  gst_rk_vulkan_context_barrier (ctx, r->cb, cs, VK_ACCESS_SHADER_WRITE_BIT,
      VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
  res = dev->vk.vkEndCommandBuffer (r->cb);
  if (!gst_rk_vulkan_device_check (dev, res, "recording commands", error))
    return FALSE;

  g_mutex_lock (&r->limit_lock);
  g_clear_pointer (&r->recorded, gst_rk_config_unref);
  r->recorded = gst_rk_config_ref (config);
  g_mutex_unlock (&r->limit_lock);
  return TRUE;
}

static guint poll_budget = RKV_POLL_BUDGET_MAX;

/**
 * gst_rk_vulkan_set_poll_budget:
 * @polls: polls per persistent dispatch, or 0 for the default (the most,
 *   RKV_POLL_BUDGET_MAX)
 *
 * For kernels launched from now on. Tests make dispatches short with it,
 * to have them end and start again often.
 */
void
gst_rk_vulkan_set_poll_budget (guint polls)
{
  if (polls == 0 || polls > RKV_POLL_BUDGET_MAX)
    polls = RKV_POLL_BUDGET_MAX;
  g_atomic_int_set (&poll_budget, MAX (polls, 16 * RKV_PASS_COST));
}

static gpointer ring_main (gpointer data);
static void ring_dispose (gpointer data);

static gboolean
alloc_rings (GstRkVulkanRing * r, GError ** error)
{
  const GstRkLaunchOptions *opts = gst_rk_kernel_get_options (r->kernel);
  VkDeviceSize align = MAX (r->device->props.limits.
      minStorageBufferOffsetAlignment, RK_RING_SLOT_ALIGN);

  r->in_size = gst_rk_ring_memory_size (opts->input_queue_capacity,
      SLOT_SIZE);
  r->out_size = gst_rk_ring_memory_size (opts->output_queue_capacity,
      SLOT_SIZE);
  r->in_offset = (RKV_CTRL_SIZE + align - 1) / align * align;
  r->out_offset = (r->in_offset + r->in_size + align - 1) / align * align;
  if (!gst_rk_vulkan_buffer_alloc (r->device, &r->shared,
          r->out_offset + r->out_size, GST_RK_VULKAN_MEMORY_SHARED,
          r->ctx->impl->name, error))
    return FALSE;

  memset (r->shared.map, 0, r->out_offset + r->out_size);
  r->ctrl = r->shared.map;
  r->in_mem = r->shared.map + r->in_offset;
  r->out_mem = r->shared.map + r->out_offset;
  *CTRL_U32 (r, RK_CTRL_OFF_COMMAND) = RK_CMD_PAUSE;
  if (!gst_rk_ring_format (r->in_mem, r->in_size,
          opts->input_queue_capacity, SLOT_SIZE, error) ||
      !gst_rk_ring_format (r->out_mem, r->out_size,
          opts->output_queue_capacity, SLOT_SIZE, error) ||
      !gst_rk_kernel_attach_rings (r->kernel, r->in_mem, r->in_size,
          r->out_mem, r->out_size, error))
    return FALSE;
  r->in_head = (guint64 *) (r->in_mem + RK_RING_OFF_HEAD);
  r->in_tail = (guint64 *) (r->in_mem + RK_RING_OFF_TAIL);
  r->out_head = (guint64 *) (r->out_mem + RK_RING_OFF_HEAD);
  r->out_tail = (guint64 *) (r->out_mem + RK_RING_OFF_TAIL);
  r->in_mask = opts->input_queue_capacity - 1;
  r->out_mask = opts->output_queue_capacity - 1;
  r->out_capacity = opts->output_queue_capacity;
  /* The shader cannot wake the host: a receiver spins while its inputs are
   * on the device, so a reply reaches it in the shader's time, not the
   * watcher's. */
  gst_rk_kernel_set_receiver_spin (r->kernel, RECEIVER_SPIN_US);
  return TRUE;
}

static void
ring_free (GstRkVulkanRing * r)
{
  if (r->device && r->shared.handle)
    gst_rk_vulkan_buffer_free (r->device, &r->shared);
  g_clear_pointer (&r->recorded, gst_rk_config_unref);
  g_mutex_clear (&r->fold_lock);
  g_mutex_clear (&r->limit_lock);
  g_free (r);
}

/**
 * gst_rk_vulkan_ring_launch:
 *
 * Sets a kernel up in persistent mode and starts its host thread, paused.
 */
GstRkVulkanRing *
gst_rk_vulkan_ring_launch (GstRkVulkanContext * ctx, GError ** error)
{
  GstRkVulkanDevice *dev = ctx->device;
  const GstRkVulkanShader *shader = dev->memory_model ?
      &ctx->impl->ring_memory_model : &ctx->impl->ring_coherent;
  GstRkVulkanRing *r;
  GstRkConfig *config;
  gboolean ok;
  gchar *name;

  if (shader->code == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel %s has no persistent Vulkan shader: a frame spans many "
        "workgroups, which a spinning dispatch must not (use "
        "mode=event-driven or auto)", ctx->impl->name);
    return NULL;
  }
  if (dev->ring_unsupported) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "%s cannot run persistent kernels: %s (use mode=event-driven)",
        dev->parent.name, dev->ring_unsupported);
    return NULL;
  }

  r = g_new0 (GstRkVulkanRing, 1);
  g_mutex_init (&r->fold_lock);
  g_mutex_init (&r->limit_lock);
  gst_rk_wakeup_init (&r->ack);
  r->ctx = ctx;
  r->kernel = ctx->kernel;
  r->device = dev;
  r->budget = (guint) g_atomic_int_get (&poll_budget);
  r->command = RK_CMD_PAUSE;
  r->status = RK_STATUS_PAUSED;

  r->pipeline = gst_rk_vulkan_device_get_pipeline (dev, shader, TRUE,
      ctx->impl->name, error);
  if (r->pipeline == VK_NULL_HANDLE ||
      !gst_rk_vulkan_context_check_features (ctx, error) ||
      !alloc_rings (r, error))
    goto fail;
  {
    VkDescriptorSetAllocateInfo dsai = {
      VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO
    };
    VkCommandBufferAllocateInfo cbai = {
      VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO
    };
    VkResult res;

    dsai.descriptorPool = ctx->descriptors;
    dsai.descriptorSetCount = 1;
    dsai.pSetLayouts = &dev->ring_set_layout;
    res = gst_rk_fault_strikes (GST_RK_FAULT_PIPELINE, ctx->impl->name) ?
        VK_ERROR_OUT_OF_POOL_MEMORY :
        dev->vk.vkAllocateDescriptorSets (dev->handle, &dsai, &r->set);
    if (res == VK_SUCCESS) {
      cbai.commandPool = ctx->pool;
      cbai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
      cbai.commandBufferCount = 1;
      res = dev->vk.vkAllocateCommandBuffers (dev->handle, &cbai, &r->cb);
    }
    if (!gst_rk_vulkan_device_check (dev, res, "setting up a kernel", error))
      goto fail;
  }
  config = gst_rk_kernel_get_config (r->kernel);
  ok = record (r, config, error);
  gst_rk_config_unref (config);
  /* Drivers that compile lazily do it at the first submission (lavapipe:
   * over a second on a cold shader cache, on a busy machine more than the
   * terminate grace). Paid here, at launch, the grace bounds only a
   * dispatch that runs. With the budget still 0 the shader returns at once. */
  if (!ok || !gst_rk_vulkan_context_run (ctx, r->cb, NULL, NULL, error))
    goto fail;

  name = g_strdup_printf ("rkvk-%.10s", GST_OBJECT_NAME (r->kernel));
  r->thread = g_thread_new (name, ring_main, r);
  g_free (name);
  return r;

fail:
  if (ctx->abandoned)
    gst_rk_vulkan_device_abandon (dev, ring_dispose, r);
  else
    ring_free (r);
  return NULL;
}

/* ---- The host thread ---- */

static void
set_status (GstRkVulkanRing * r, guint32 status)
{
  if (g_atomic_int_get (&r->status) != (gint) status) {
    g_atomic_int_set (&r->status, status);
    gst_rk_wakeup_notify (&r->ack);
  }
}

static guint32
command_of (GstRkVulkanRing * r)
{
  return (guint32) g_atomic_int_get (&r->command);
}

static void
fail (GstRkVulkanRing * r, GError * error)
{
  if (command_of (r) == RK_CMD_TERMINATE) {
    g_clear_error (&error);     /* expected while stopping */
    return;
  }
  r->failed = TRUE;
  gst_rk_kernel_post_error (r->kernel, error);
}

/* While a dispatch runs: wakes host threads when the device moved the
 * rings (it cannot wake them itself). Looks often while one sleeps on the
 * kernel and just after a submission, then less and less often: a
 * spinning receiver needs no help, and on two cores the watcher would take
 * time from it or from the shader. */
static guint64
watch (gpointer data)
{
  GstRkVulkanRing *r = data;
  guint64 tail = load_acquire (r->in_tail), head = load_acquire (r->out_head);

  if (tail != r->seen_in_tail || head != r->seen_out_head) {
    r->seen_in_tail = tail;
    r->seen_out_head = head;
    gst_rk_kernel_notify_host (r->kernel);
  }
  if (gst_rk_kernel_is_host_waiting (r->kernel))
    r->watch_ns = WATCH_MIN_NS;
  else
    r->watch_ns = MIN (r->watch_ns * 2, WATCH_MAX_NS);
  return r->watch_ns;
}

/* Releases @n inputs the host thread consumed itself. */
static void
host_release (GstRkVulkanRing * r, guint64 tail, guint n)
{
  store_release (r->in_tail, tail + n);
  gst_rk_kernel_notify_host (r->kernel);
}

static void
clear_sidecar (GstRkSidecar * side)
{
  gst_clear_buffer (&side->payload);
  g_clear_pointer (&side->config, gst_rk_config_unref);
}

typedef struct
{
  GstRkVulkanRing *r;
  guint64 head;
} SpaceWait;

static gboolean
output_space (gpointer data)
{
  SpaceWait *w = data;

  return w->head - load_acquire (w->r->out_tail) < w->r->out_capacity ||
      command_of (w->r) == RK_CMD_TERMINATE;
}

/* Publishes one output of @origin as the producer of the output ring
 * (the device is not running). Waits for room. */
static gboolean
host_emit (GstRkVulkanRing * r, const GstRkEnvelope * origin, guint32 type,
    GstBuffer * payload, GError ** error)
{
  SpaceWait w = { r, __atomic_load_n (r->out_head, __ATOMIC_RELAXED) };
  GstRkEnvelope *env;
  GstRkSidecar *side;

  if (!output_space (&w))
    gst_rk_wakeup_wait (gst_rk_kernel_get_device_wakeup (r->kernel),
        output_space, &w, 0, GST_RK_WAIT_FOREVER);
  if (command_of (r) == RK_CMD_TERMINATE) {
    gst_clear_buffer (&payload);
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_FLUSHING,
        "kernel %s is terminating", GST_OBJECT_NAME (r->kernel));
    return FALSE;
  }

  env = (GstRkEnvelope *) (r->out_mem + RK_RING_HEADER_SIZE +
      (gsize) (w.head & r->out_mask) * SLOT_SIZE);
  gst_rk_envelope_init (env, type);
  env->message_id = origin->message_id;
  env->correlation_id = origin->correlation_id;
  env->source = gst_rk_kernel_get_id (r->kernel);
  if (payload) {
    env->flags = RK_FLAG_HOST;
    env->payload_size = (guint32) MIN (gst_buffer_get_size (payload),
        GST_RK_ENVELOPE_MAX_PAYLOAD);
    env->payload_ref = w.head;
  }
  side = gst_rk_kernel_get_output_sidecar (r->kernel, w.head);
  side->payload = payload;
  store_release (r->out_head, w.head + 1);
  gst_rk_kernel_notify_host (r->kernel);
  return TRUE;
}

static GstRkEnvelope *
input_slot (GstRkVulkanRing * r, guint64 pos)
{
  return (GstRkEnvelope *) (r->in_mem + RK_RING_HEADER_SIZE +
      (gsize) (pos & r->in_mask) * SLOT_SIZE);
}

/* State sized for @config; a new state buffer means the ring dispatch
 * must be recorded again. */
static gboolean
ensure_state (GstRkVulkanRing * r, GstRkConfig * config, GError ** error)
{
  gboolean changed;

  if (!gst_rk_vulkan_context_ensure_state (r->ctx, config, &changed, error))
    return FALSE;
  if (changed) {
    g_mutex_lock (&r->limit_lock);
    g_clear_pointer (&r->recorded, gst_rk_config_unref);
    g_mutex_unlock (&r->limit_lock);
  }
  return TRUE;
}

/* A control message: only RK_CONTROL_RESET_STATE exists. */
static gboolean
host_control (GstRkVulkanRing * r, guint64 pos, GError ** error)
{
  GstRkEnvelope *env = input_slot (r, pos);
  GstRkSidecar *side = gst_rk_kernel_get_input_sidecar (r->kernel, pos);
  guint64 what = 0;

  if (env->flags & RK_FLAG_INLINE)
    memcpy (&what, (guint8 *) env + RK_ENVELOPE_SIZE,
        MIN (env->payload_size, sizeof (what)));
  else if (side->payload)
    gst_buffer_extract (side->payload, 0, &what, sizeof (what));
  if (!ensure_state (r, side->config, error))
    return FALSE;
  if (what == RK_CONTROL_RESET_STATE &&
      !gst_rk_vulkan_context_reset_state (r->ctx, error))
    return FALSE;
  clear_sidecar (side);
  gst_rk_kernel_count_processed (r->kernel, 1);
  host_release (r, pos, 1);
  return TRUE;
}

/* Runs up to HOST_BATCH consecutive host-buffer messages of one config as
 * bulk dispatches, publishes their outputs, then releases them. */
static gboolean
host_bulk (GstRkVulkanRing * r, guint64 pos, guint64 head, GError ** error)
{
  GstRkMessage msgs[HOST_BATCH];
  GstRkConfig *config = NULL;
  GArray *outs = NULL;
  guint n = 0;
  gboolean ok;

  while (n < HOST_BATCH && pos + n < head) {
    GstRkEnvelope *env = input_slot (r, pos + n);
    GstRkSidecar *side = gst_rk_kernel_get_input_sidecar (r->kernel, pos + n);

    if (!(env->flags & RK_FLAG_HOST) || env->type == RK_MSG_CONTROL ||
        (n > 0 && side->config != config))
      break;
    config = side->config;
    msgs[n].env = *env;
    msgs[n].payload = side->payload;
    n++;
  }

  ok = ensure_state (r, config, error) &&
      (outs = gst_rk_vulkan_bulk_run (r->ctx, msgs, n, config, NULL,
          error));
  /* Counted before the outputs show, as the device does */
  if (ok)
    gst_rk_kernel_count_processed (r->kernel, n);
  for (guint i = 0; ok && i < outs->len; i++) {
    GstRkVulkanOutput *o = &g_array_index (outs, GstRkVulkanOutput, i);

    ok = host_emit (r, &msgs[o->index].env, o->type, o->payload, error);
    o->payload = NULL;
  }
  if (outs)
    gst_rk_vulkan_outputs_free (outs);
  if (!ok)
    return FALSE;
  for (guint i = 0; i < n; i++)
    clear_sidecar (gst_rk_kernel_get_input_sidecar (r->kernel, pos + i));
  r->host_messages += n;
  host_release (r, pos, n);
  return TRUE;
}

/* What the shader leaves to the host, at the front of the input queue
 * (the device is not running). Stops at a message for the device. */
static gboolean
host_step (GstRkVulkanRing * r, GError ** error)
{
  for (;;) {
    guint64 pos = __atomic_load_n (r->in_tail, __ATOMIC_RELAXED);
    guint64 head = load_acquire (r->in_head);
    GstRkEnvelope *env;

    if (pos == head)
      return TRUE;
    env = input_slot (r, pos);
    if (pos < gst_rk_kernel_get_flush_target (r->kernel)) {
      clear_sidecar (gst_rk_kernel_get_input_sidecar (r->kernel, pos));
      gst_rk_kernel_count_flushed (r->kernel, 1);
      host_release (r, pos, 1);
      continue;
    }
    /* Read afresh: a deactivation stops us after the message in hand. */
    if (command_of (r) != RK_CMD_RUN)
      return TRUE;
    if (env->type == RK_MSG_CONTROL) {
      if (!host_control (r, pos, error))
        return FALSE;
      r->hot = TRUE;
    } else if (env->flags & RK_FLAG_HOST) {
      if (!host_bulk (r, pos, head, error))
        return FALSE;
      r->hot = TRUE;
    } else {
      return TRUE;
    }
  }
}

static gboolean
output_has_room (GstRkVulkanRing * r)
{
  return __atomic_load_n (r->out_head, __ATOMIC_RELAXED) -
      load_acquire (r->out_tail) < r->out_capacity;
}

/* Whether to dispatch now: an input for the device is waiting (and the
 * output queue has room, if the last dispatch found it full), or the last
 * dispatch did work and may find more. */
static gboolean
should_dispatch (GstRkVulkanRing * r, guint32 command)
{
  if (command != RK_CMD_RUN || r->failed)
    return FALSE;
  if (load_acquire (r->in_head) != __atomic_load_n (r->in_tail,
          __ATOMIC_RELAXED))
    return !r->out_blocked || output_has_room (r);
  return r->hot;
}

/* Raises the limit over the inputs published since, up to the first sent
 * under another configuration than the dispatch's. limit_lock held. */
static void
approve_locked (GstRkVulkanRing * r)
{
  guint64 *limit = CTRL_U64 (r, RKV_CTRL_OFF_LIMIT);
  guint64 pos = *limit, head;

  if (pos & LIMIT_BREAK)
    return;                     /* until the next dispatch */
  head = load_acquire (r->in_head);
  while (pos < head) {
    if (gst_rk_kernel_get_input_sidecar (r->kernel, pos)->config !=
        r->recorded) {
      store_release (limit, pos | LIMIT_BREAK);
      return;
    }
    pos++;
  }
  store_release (limit, pos);
}

static gboolean
dispatch (GstRkVulkanRing * r, GError ** error)
{
  guint64 tail = __atomic_load_n (r->in_tail, __ATOMIC_RELAXED);
  GstRkConfig *config = r->recorded;
  guint32 stop, done, err;
  gboolean ok;

  /* The configuration of the first input, read from its sidecar (the
   * device is not running; the sender may hold the kernel's send lock) */
  if (tail < load_acquire (r->in_head))
    config = gst_rk_kernel_get_input_sidecar (r->kernel, tail)->config;
  if (config == NULL || (config != r->recorded && !record (r, config, error)))
    return FALSE;

  g_mutex_lock (&r->limit_lock);
  store_release (CTRL_U64 (r, RKV_CTRL_OFF_LIMIT), tail);
  approve_locked (r);
  g_mutex_unlock (&r->limit_lock);

  *CTRL_U32 (r, RKV_CTRL_OFF_BUDGET) = r->budget;
  *CTRL_U32 (r, RKV_CTRL_OFF_STOP) = 0;
  __atomic_store_n (CTRL_U64 (r, RK_CTRL_OFF_FLUSH_TARGET),
      gst_rk_kernel_get_flush_target (r->kernel), __ATOMIC_RELEASE);
  r->seen_in_tail = load_acquire (r->in_tail);
  r->seen_out_head = load_acquire (r->out_head);
  r->watch_ns = WATCH_MIN_NS / 2;

  ok = gst_rk_vulkan_context_run (r->ctx, r->cb, watch, r, error);
  fold_counters (r);
  watch (r);
  if (!ok)
    return FALSE;

  stop = __atomic_load_n (CTRL_U32 (r, RKV_CTRL_OFF_STOP), __ATOMIC_ACQUIRE);
  done = *CTRL_U32 (r, RKV_CTRL_OFF_DONE);
  err = *CTRL_U32 (r, RK_CTRL_OFF_ERROR);
  GST_LOG ("%s: dispatch ended (stop %u) after %u messages",
      GST_OBJECT_NAME (r->kernel), stop, done);
  if (stop == RKV_STOP_ERROR) {
    guint64 at = *CTRL_U64 (r, RKV_CTRL_OFF_ERROR_POS);

    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "Vulkan kernel %s failed on message %" G_GUINT64_FORMAT ": %s",
        r->ctx->impl->name, at + 1, err == RKV_ERROR_MALFORMED ?
        "its payload is larger than its queue slot" : err == RKV_ERROR_OUTPUT
        ? "its output is larger than a queue slot" :
        "the shader iteration limit cut its dispatch short");
    return FALSE;
  }
  r->hot = done > 0;
  r->out_blocked = stop == RKV_STOP_OUTPUT_FULL;
  return TRUE;
}

typedef struct
{
  GstRkVulkanRing *r;
  guint32 command;
} IdleWait;

/* Something to do: a new command, input to discard or (when running) to
 * run, or room in the output queue the last dispatch found full. */
static gboolean
idle_ready (gpointer data)
{
  IdleWait *w = data;
  GstRkVulkanRing *r = w->r;
  guint64 tail, head;

  if (command_of (r) != w->command)
    return TRUE;
  if (r->failed)
    return FALSE;
  tail = __atomic_load_n (r->in_tail, __ATOMIC_RELAXED);
  head = load_acquire (r->in_head);
  if (tail == head)
    return FALSE;
  return tail < gst_rk_kernel_get_flush_target (r->kernel) ||
      (w->command == RK_CMD_RUN && (!r->out_blocked || output_has_room (r)));
}

static gpointer
ring_main (gpointer data)
{
  GstRkVulkanRing *r = data;

  for (;;) {
    guint32 command = command_of (r);
    IdleWait w = { r, command };
    GError *err = NULL;

    if (command == RK_CMD_TERMINATE)
      break;
    /* No dispatch is running: the command is obeyed. */
    set_status (r, command == RK_CMD_RUN ? RK_STATUS_RUNNING :
        RK_STATUS_PAUSED);

    if (!r->failed && !host_step (r, &err)) {
      fail (r, err);
      continue;
    }
    if (should_dispatch (r, command)) {
      if (!dispatch (r, &err))
        fail (r, err);
      continue;
    }
    r->hot = FALSE;
    gst_rk_wakeup_wait (gst_rk_kernel_get_device_wakeup (r->kernel),
        idle_ready, &w, 0, GST_RK_WAIT_FOREVER);
  }
  fold_counters (r);
  set_status (r, RK_STATUS_EXITED);
  return NULL;
}

/* ---- Host-side control ---- */

typedef struct
{
  GstRkVulkanRing *r;
  guint32 want;
} AckWait;

static gboolean
acked (gpointer data)
{
  AckWait *w = data;

  return (guint32) g_atomic_int_get (&w->r->status) == w->want;
}

/**
 * gst_rk_vulkan_ring_command:
 * @command: RK_CMD_RUN or RK_CMD_PAUSE
 *
 * Tells the device and the host thread, and waits until no dispatch runs
 * under the old command (after the message in hand).
 */
gboolean
gst_rk_vulkan_ring_command (GstRkVulkanRing * r, guint32 command,
    GError ** error)
{
  AckWait w = { r, command == RK_CMD_RUN ? RK_STATUS_RUNNING :
    RK_STATUS_PAUSED
  };

  g_atomic_int_set (&r->command, command);
  __atomic_store_n (CTRL_U32 (r, RK_CTRL_OFF_COMMAND), command,
      __ATOMIC_RELEASE);
  device_notify (r);
  if (!gst_rk_wakeup_wait (&r->ack, acked, &w, 0,
          g_get_monotonic_time () + COMMAND_TIMEOUT_US)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
        "Vulkan kernel %s did not acknowledge the command within %d s",
        GST_OBJECT_NAME (r->kernel),
        (gint) (COMMAND_TIMEOUT_US / G_USEC_PER_SEC));
    return FALSE;
  }
  return TRUE;
}

/* New input was published (on the sending thread, right after): the
 * device may take it at once. */
void
gst_rk_vulkan_ring_kick (GstRkVulkanRing * r)
{
  g_mutex_lock (&r->limit_lock);
  approve_locked (r);
  g_mutex_unlock (&r->limit_lock);
  device_notify (r);
}

/* The flush target moved: the device (if running) or the host thread
 * discards what is below it. Discarding needs no configuration, so the
 * limit goes up to the target. */
void
gst_rk_vulkan_ring_flush (GstRkVulkanRing * r)
{
  guint64 target = gst_rk_kernel_get_flush_target (r->kernel);
  guint64 *limit = CTRL_U64 (r, RKV_CTRL_OFF_LIMIT);

  __atomic_store_n (CTRL_U64 (r, RK_CTRL_OFF_FLUSH_TARGET), target,
      __ATOMIC_RELEASE);
  g_mutex_lock (&r->limit_lock);
  if ((*limit & ~LIMIT_BREAK) < target)
    store_release (limit, target);
  approve_locked (r);
  g_mutex_unlock (&r->limit_lock);
  device_notify (r);
}

static void
ring_dispose (gpointer data)
{
  GstRkVulkanRing *r = data;

  ring_free (r);
}

/**
 * gst_rk_vulkan_ring_terminate:
 *
 * Stops the shader and the host thread within a bounded time (a dispatch
 * that does not stop is given up on) and frees the kernel.
 */
gboolean
gst_rk_vulkan_ring_terminate (GstRkVulkanRing * r, GError ** error)
{
  GstRkVulkanContext *ctx = r->ctx;
  gboolean ok = TRUE;

  gst_rk_vulkan_context_stop (ctx, TERMINATE_GRACE_US);
  g_atomic_int_set (&r->command, RK_CMD_TERMINATE);
  __atomic_store_n (CTRL_U32 (r, RK_CTRL_OFF_COMMAND), RK_CMD_TERMINATE,
      __ATOMIC_RELEASE);
  device_notify (r);
  g_thread_join (r->thread);

  if (ctx->abandoned) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
        "the persistent dispatch of kernel %s did not stop within %d ms; "
        "its memory is kept until the device closes",
        GST_OBJECT_NAME (r->kernel), (gint) (TERMINATE_GRACE_US / 1000));
    ok = FALSE;
    /* The kernel object outlives us: its ring views must stay valid. */
    gst_rk_vulkan_device_abandon (r->device, ring_dispose, r);
  } else {
    ring_free (r);
  }
  gst_rk_vulkan_context_dispose (ctx);
  return ok;
}

void
gst_rk_vulkan_ring_fill_stats (GstRkVulkanRing * r, GstStructure * s)
{
  fold_counters (r);
  gst_structure_set (s,
      "dispatches", G_TYPE_UINT64, r->ctx->dispatches,
      "host-messages", G_TYPE_UINT64, r->host_messages,
      "polls", G_TYPE_UINT64,
      __atomic_load_n (CTRL_U64 (r, RK_CTRL_OFF_HEARTBEAT), __ATOMIC_RELAXED),
      "atomics", G_TYPE_STRING,
      r->device->memory_model ? "memory-model" : "coherent",
      "device-memory", G_TYPE_INT64,
      gst_rk_vulkan_context_memory (r->ctx) + (gint64) r->shared.size, NULL);
}
