/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Bulk dispatches: messages whose payloads live in host buffers (frames),
 * one dispatch each (or a few passes, see RKV_INFO), as many workgroups as
 * the kernel asks for, several messages per submission (coalescing).
 * Payloads are staged in the kernel's arena:
 *
 *   [ info 0 | info 1 | ... ][ aux 0 | ... ][ input 0 | ... ]
 *   [ output 0 | ... ][ scratch ]
 *
 * each region aligned for dynamic storage buffer offsets, so one
 * descriptor set serves every message of a batch. The host writes info,
 * aux (zeroed) and inputs; the device writes info, aux and outputs, and
 * uses the scratch (one for the whole submission) for itself. Consecutive
 * dispatches are ordered by barriers: kernels keep device state from one
 * message to the next. The configuration's blob is bound beside the
 * state.
 *
 * After the submission the kernel's collect hook turns what each message
 * left into its outputs: the DATA output of the info block, NOTIFY
 * payloads from the aux region, or the input passed on unchanged.
 *
 * Frames that stay on the device (GstRkDeviceMemory, see
 * gstrkvulkanpayload.c) skip the host: an input already on this device is
 * copied into its input region on the device, and when the kernel's
 * outputs stay on the device each output region is copied into a payload
 * buffer of its own, which becomes the output. Both copies are device
 * to device; only host memory counts as an upload or a download.
 */

#include <string.h>

#include "gstrkvulkanbulk.h"
#include "gstrkvulkanabi.h"
#include "gstrkvulkanpayload.h"
#include "gstrkdevicememoryprivate.h"
#include "gstrkerror.h"

/* Bytes one submission stages at most (more when a single message needs
 * it): bounds the arena for long batches of frames. */
#define MAX_BATCH_BYTES (64u << 20)

static inline VkDeviceSize
round_up (VkDeviceSize v, VkDeviceSize align)
{
  return (v + align - 1) / align * align;
}

static VkDeviceSize
alignment (GstRkVulkanDevice * dev)
{
  return MAX (dev->props.limits.minStorageBufferOffsetAlignment, 64);
}

typedef struct
{
  gsize in_size;
  gsize out_capacity;
  gsize aux_size;
  gsize scratch_size;
  guint passes;
  VkBuffer in_device;           /* the input, already on the device */
  GstMemory *out_memory;        /* where the output stays on the device */
} Sizes;

/* The arena for n messages, given the largest of each region. */
typedef struct
{
  VkDeviceSize info_stride, aux_stride, in_stride, out_stride;
  VkDeviceSize aux_base, in_base, out_base, scratch_base, scratch_size;
  VkDeviceSize total;
} Layout;

static void
layout_for (GstRkVulkanDevice * dev, guint n, const Sizes * max, Layout * l)
{
  VkDeviceSize align = alignment (dev);

  l->info_stride = round_up (RKV_INFO_SIZE, align);
  l->aux_stride = round_up (MAX (max->aux_size, 16), align);
  l->in_stride = round_up (MAX (max->in_size, 16), align);
  l->out_stride = round_up (MAX (max->out_capacity, 16), align);
  l->scratch_size = round_up (MAX (max->scratch_size, 16), align);
  l->aux_base = l->info_stride * n;
  l->in_base = l->aux_base + l->aux_stride * n;
  l->out_base = l->in_base + l->in_stride * n;
  l->scratch_base = l->out_base + l->out_stride * n;
  l->total = l->scratch_base + l->scratch_size;
}

static void
update_descriptors (GstRkVulkanContext * ctx, const Layout * l)
{
  GstRkVulkanDevice *dev = ctx->device;
  VkBuffer buf = gst_rk_vulkan_arena_get_shader_buffer (&ctx->arena);
  VkDescriptorBufferInfo info[RKV_BULK_BINDINGS] = {
    [RKV_BINDING_BULK_IN] = {buf, 0, l->in_stride},
    [RKV_BINDING_BULK_OUT] = {buf, 0, l->out_stride},
    [RKV_BINDING_BULK_INFO] = {buf, 0, RKV_INFO_SIZE},
    [RKV_BINDING_STATE] = {ctx->state.handle, 0, VK_WHOLE_SIZE},
    [RKV_BINDING_BLOB] = {ctx->blob.handle, 0, VK_WHOLE_SIZE},
    [RKV_BINDING_BULK_AUX] = {buf, 0, l->aux_stride},
    [RKV_BINDING_SCRATCH] = {buf, l->scratch_base, l->scratch_size},
  };
  VkWriteDescriptorSet w[RKV_BULK_BINDINGS];

  if (!ctx->bulk_set_stale && ctx->bound_in == l->in_stride &&
      ctx->bound_out == l->out_stride && ctx->bound_aux == l->aux_stride &&
      ctx->bound_scratch == l->scratch_base + l->scratch_size)
    return;
  /* the scratch lies behind the last output: its offset is part of the key */
  for (guint i = 0; i < RKV_BULK_BINDINGS; i++) {
    VkWriteDescriptorSet wi = { VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET };

    wi.dstSet = ctx->bulk_set;
    wi.dstBinding = i;
    wi.descriptorCount = 1;
    wi.descriptorType = (i == RKV_BINDING_STATE || i == RKV_BINDING_BLOB ||
        i == RKV_BINDING_SCRATCH) ? VK_DESCRIPTOR_TYPE_STORAGE_BUFFER :
        VK_DESCRIPTOR_TYPE_STORAGE_BUFFER_DYNAMIC;
    wi.pBufferInfo = &info[i];
    w[i] = wi;
  }
  dev->vk.vkUpdateDescriptorSets (dev->handle, RKV_BULK_BINDINGS, w, 0, NULL);
  ctx->bound_in = l->in_stride;
  ctx->bound_out = l->out_stride;
  ctx->bound_aux = l->aux_stride;
  ctx->bound_scratch = l->scratch_base + l->scratch_size;
  ctx->bulk_set_stale = FALSE;
}

/* Dispatches @groups workgroups as pass @pass (the base of z), in pieces
 * when a dimension exceeds the device's limit (gl_WorkGroupID counts on
 * across pieces). */
static void
dispatch_grid (GstRkVulkanDevice * dev, VkCommandBuffer cb,
    const guint32 groups[3], guint pass)
{
  const guint32 *lim = dev->props.limits.maxComputeWorkGroupCount;

  for (guint32 z = 0; z < groups[2]; z += lim[2])
    for (guint32 y = 0; y < groups[1]; y += lim[1])
      for (guint32 x = 0; x < groups[0]; x += lim[0])
        dev->vk.vkCmdDispatchBase (cb, x, y, z + pass,
            MIN (lim[0], groups[0] - x), MIN (lim[1], groups[1] - y),
            MIN (lim[2], groups[2] - z));
}

/* Inputs already on this device: copied into their input regions on the
 * device. Returns whether there were any. */
static gboolean
copy_inputs (GstRkVulkanContext * ctx, VkCommandBuffer cb,
    const Sizes * sizes, guint n, const Layout * l)
{
  GstRkVulkanDevice *dev = ctx->device;
  VkBuffer arena = gst_rk_vulkan_arena_get_shader_buffer (&ctx->arena);
  gboolean any = FALSE;

  for (guint i = 0; i < n; i++) {
    VkBufferCopy region = { 0, l->in_base + i * l->in_stride,
      sizes[i].in_size
    };

    if (sizes[i].in_device == VK_NULL_HANDLE || sizes[i].in_size == 0)
      continue;
    dev->vk.vkCmdCopyBuffer (cb, sizes[i].in_device, arena, 1, &region);
    any = TRUE;
  }
  return any;
}

/* Outputs that stay on the device: each output region copied into its
 * payload buffer. Returns whether every message's output stays. */
static gboolean
copy_outputs (GstRkVulkanContext * ctx, VkCommandBuffer cb,
    const Sizes * sizes, guint n, const Layout * l)
{
  GstRkVulkanDevice *dev = ctx->device;
  VkBuffer arena = gst_rk_vulkan_arena_get_shader_buffer (&ctx->arena);
  guint copied = 0;

  for (guint i = 0; i < n; i++) {
    VkBufferCopy region = { l->out_base + i * l->out_stride, 0,
      sizes[i].out_capacity
    };
    GstMemory *mem = sizes[i].out_memory;
    gpointer handle;

    if (mem == NULL)
      continue;
    if (copied++ == 0)
      gst_rk_vulkan_context_barrier (ctx, cb,
          VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
          VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT);
    handle = gst_rk_device_memory_get_handle_of (mem);
    dev->vk.vkCmdCopyBuffer (cb, arena,
        gst_rk_vulkan_payload_get_buffer (handle), 1, &region);
  }
  if (copied > 0)
    /* for the host's map, and for the next kernel's copy in */
    gst_rk_vulkan_context_barrier (ctx, cb, VK_PIPELINE_STAGE_TRANSFER_BIT,
        VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_HOST_BIT |
        VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_HOST_READ_BIT |
        VK_ACCESS_TRANSFER_READ_BIT);
  return n > 0 && copied == n;
}

static gboolean
record (GstRkVulkanContext * ctx, GstRkConfig * config, const Sizes * sizes,
    guint n, const Layout * l, GError ** error)
{
  GstRkVulkanDevice *dev = ctx->device;
  const GstRkVulkanKernel *impl = ctx->impl;
  const VkPipelineStageFlags cs = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT;
  const VkAccessFlags rw = VK_ACCESS_SHADER_READ_BIT |
      VK_ACCESS_SHADER_WRITE_BIT;
  VkCommandBuffer cb = gst_rk_vulkan_context_begin (ctx, error);
  gboolean all_on_device;

  if (cb == VK_NULL_HANDLE)
    return FALSE;

  if (dev->staging_copy) {
    VkBufferCopy up = { 0, 0, l->out_base };

    dev->vk.vkCmdCopyBuffer (cb, ctx->arena.staging.handle,
        ctx->arena.device.handle, 1, &up);
    gst_rk_vulkan_context_barrier (ctx, cb, VK_PIPELINE_STAGE_TRANSFER_BIT,
        VK_ACCESS_TRANSFER_WRITE_BIT, cs | VK_PIPELINE_STAGE_TRANSFER_BIT,
        rw | VK_ACCESS_TRANSFER_WRITE_BIT);
  }
  if (copy_inputs (ctx, cb, sizes, n, l))
    gst_rk_vulkan_context_barrier (ctx, cb, VK_PIPELINE_STAGE_TRANSFER_BIT,
        VK_ACCESS_TRANSFER_WRITE_BIT, cs, rw);
  /* After the previous submission's use of the state and the arena */
  gst_rk_vulkan_context_barrier (ctx, cb, cs, rw, cs, rw);
  dev->vk.vkCmdBindPipeline (cb, VK_PIPELINE_BIND_POINT_COMPUTE,
      ctx->bulk_pipeline);
  dev->vk.vkCmdPushConstants (cb, dev->bulk_layout,
      VK_SHADER_STAGE_COMPUTE_BIT, 0, RK_PARAMS_SIZE, &config->params);
  for (guint i = 0; i < n; i++) {
    /* in binding order: input, output, info, aux */
    guint32 offsets[4] = {
      (guint32) (l->in_base + i * l->in_stride),
      (guint32) (l->out_base + i * l->out_stride),
      (guint32) (i * l->info_stride),
      (guint32) (l->aux_base + i * l->aux_stride),
    };

    dev->vk.vkCmdBindDescriptorSets (cb, VK_PIPELINE_BIND_POINT_COMPUTE,
        dev->bulk_layout, 0, 1, &ctx->bulk_set, 4, offsets);
    for (guint pass = 0; pass < sizes[i].passes; pass++) {
      guint32 groups[3] = { 1, 1, 1 };

      if (impl->pass_grid)
        impl->pass_grid (config, sizes[i].in_size, pass, groups);
      else if (impl->grid)
        impl->grid (&config->params, sizes[i].in_size, groups);
      for (guint d = 0; d < 3; d++)
        groups[d] = MAX (groups[d], 1);
      if (i > 0 || pass > 0)
        gst_rk_vulkan_context_barrier (ctx, cb, cs, rw, cs, rw);
      dispatch_grid (dev, cb, groups, pass);
    }
  }

  all_on_device = copy_outputs (ctx, cb, sizes, n, l);
  if (dev->staging_copy) {
    VkBufferCopy down[2] = {
      {0, 0, l->in_base},
      {l->out_base, l->out_base, l->scratch_base - l->out_base},
    };
    gst_rk_vulkan_context_barrier (ctx, cb, cs, VK_ACCESS_SHADER_WRITE_BIT,
        VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT);
    /* outputs that stay on the device are not read back */
    dev->vk.vkCmdCopyBuffer (cb, ctx->arena.device.handle,
        ctx->arena.staging.handle, all_on_device ? 1 : 2, down);
    gst_rk_vulkan_context_barrier (ctx, cb, VK_PIPELINE_STAGE_TRANSFER_BIT,
        VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_HOST_BIT,
        VK_ACCESS_HOST_READ_BIT);
  } else {
    gst_rk_vulkan_context_barrier (ctx, cb, cs, VK_ACCESS_SHADER_WRITE_BIT,
        VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
  }
  return gst_rk_vulkan_device_check (dev, dev->vk.vkEndCommandBuffer (cb),
      "recording commands", error);
}

static void
stage (GstRkVulkanContext * ctx, const GstRkMessage * msgs,
    const Sizes * sizes, guint n, const Layout * l)
{
  guint8 *base = ctx->arena.staging.map;

  for (guint i = 0; i < n; i++) {
    guint32 *info = (guint32 *) (base + i * l->info_stride);
    guint64 pts = msgs[i].payload ? GST_BUFFER_PTS (msgs[i].payload) :
        GST_CLOCK_TIME_NONE;

    memset (info, 0, RKV_INFO_SIZE);
    info[RKV_INFO_OFF_IN_SIZE / 4] = (guint32) sizes[i].in_size;
    info[RKV_INFO_OFF_TYPE / 4] = msgs[i].env.type;
    info[RKV_INFO_OFF_OUT_CAPACITY / 4] = (guint32) sizes[i].out_capacity;
    memcpy (&info[RKV_INFO_OFF_PTS / 4], &pts, sizeof (pts));
    memset (base + l->aux_base + i * l->aux_stride, 0, sizes[i].aux_size);
    if (msgs[i].payload && sizes[i].in_device == VK_NULL_HANDLE) {
      gst_buffer_extract (msgs[i].payload, 0, base + l->in_base +
          i * l->in_stride, sizes[i].in_size);
      gst_rk_kernel_count_upload (ctx->kernel, sizes[i].in_size);
    }
  }
}

/**
 * gst_rk_vulkan_collect_push:
 * @payload: (transfer full) (nullable): the output
 *
 * Appends an output of the message being collected.
 */
void
gst_rk_vulkan_collect_push (GstRkVulkanCollect * c, guint32 type,
    GstBuffer * payload)
{
  GstRkVulkanOutput o = { c->index, type, payload };

  g_array_append_val (c->outputs, o);
}

/**
 * gst_rk_vulkan_collect_push_input:
 *
 * Passes the input on unchanged as the message's DATA output (kernels
 * whose data only goes through, such as rkspectrum): the host's buffer,
 * not a copy read back from the device.
 */
void
gst_rk_vulkan_collect_push_input (GstRkVulkanCollect * c)
{
  gst_rk_vulkan_collect_push (c, RK_MSG_DATA, c->msg->payload ?
      gst_buffer_ref (c->msg->payload) : NULL);
}

/**
 * gst_rk_vulkan_collect_default:
 *
 * The output the info block describes (type and size, 0: none), with the
 * input's timestamps and flags; a frame of the configuration's output size
 * comes from the kernel's buffer pool.
 */
gboolean
gst_rk_vulkan_collect_default (GstRkVulkanCollect * c, GError ** error)
{
  guint32 size = c->info[RKV_INFO_OFF_OUT_SIZE / 4];
  guint32 type = c->info[RKV_INFO_OFF_OUT_TYPE / 4];
  GstBuffer *out;

  if (type == 0)
    return TRUE;
  /* A message without a payload may yield none, like on the CPU. */
  if (size == 0 && c->msg->payload == NULL) {
    gst_rk_vulkan_collect_push (c, type, NULL);
    return TRUE;
  }
  if (c->out_memory && size == c->out_memory->size) {
    out = gst_buffer_new ();
    gst_buffer_append_memory (out, gst_memory_ref (c->out_memory));
  } else {
    const guint8 *from = c->out;
    GstMapInfo map = GST_MAP_INFO_INIT;

    if (size > 0 && size == c->config->params.out_size)
      out = gst_rk_kernel_alloc_output (c->kernel, size, error);
    else
      out = gst_buffer_new_allocate (NULL, size, NULL);
    if (out == NULL)
      return FALSE;
    /* an output region not read back: its copy on the device */
    if (c->out_memory && gst_memory_map (c->out_memory, &map, GST_MAP_READ))
      from = map.data;
    gst_buffer_fill (out, 0, from, size);
    if (map.memory)
      gst_memory_unmap (c->out_memory, &map);
    gst_rk_kernel_count_download (c->kernel, size);
  }
  if (c->msg->payload)
    gst_buffer_copy_into (out, c->msg->payload, GST_BUFFER_COPY_FLAGS |
        GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
  gst_rk_vulkan_collect_push (c, type, out);
  return TRUE;
}

/* Reads the outputs of a finished submission. */
static gboolean
collect (GstRkVulkanContext * ctx, const GstRkMessage * msgs,
    const Sizes * sizes, guint n, GstRkConfig * config, const Layout * l,
    guint first, GArray * outputs, GError ** error)
{
  const guint8 *base = ctx->arena.staging.map;

  for (guint i = 0; i < n; i++) {
    const guint32 *info = (const guint32 *) (base + i * l->info_stride);
    guint32 size = info[RKV_INFO_OFF_OUT_SIZE / 4];
    GstRkVulkanCollect c = {
      ctx->kernel, ctx->impl, config, &msgs[i], first + i, info,
      base + l->out_base + i * l->out_stride, sizes[i].out_capacity,
      base + l->aux_base + i * l->aux_stride, sizes[i].aux_size, outputs,
      sizes[i].out_memory
    };

    if (info[RKV_INFO_OFF_ERROR / 4] != 0 || size > sizes[i].out_capacity) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
          "Vulkan kernel %s failed on message %" G_GUINT64_FORMAT
          ": %s", ctx->impl->name, msgs[i].env.message_id,
          size > sizes[i].out_capacity ? "its output overran the room for "
          "it" : "the device reported an error");
      return FALSE;
    }
    if (!(ctx->impl->collect ? ctx->impl->collect (&c, error) :
            gst_rk_vulkan_collect_default (&c, error)))
      return FALSE;
  }
  return TRUE;
}

/* Payload memory for each frame output that stays on the device (the
 * kernel's outputs are to stay there, and this message makes a frame). */
static gboolean
alloc_device_outputs (GstRkVulkanContext * ctx, const GstRkMessage * msgs,
    Sizes * sizes, guint n, GstRkConfig * config, GError ** error)
{
  if (!gst_rk_kernel_get_device_outputs (ctx->kernel))
    return TRUE;
  for (guint i = 0; i < n; i++) {
    if (msgs[i].payload == NULL || sizes[i].out_capacity == 0 ||
        sizes[i].out_capacity != config->params.out_size)
      continue;
    sizes[i].out_memory = gst_rk_device_memory_new (&ctx->device->parent,
        sizes[i].out_capacity, error);
    if (sizes[i].out_memory == NULL)
      return FALSE;
  }
  return TRUE;
}

static gboolean
run_chunk (GstRkVulkanContext * ctx, const GstRkMessage * msgs,
    Sizes * sizes, guint n, GstRkConfig * config, guint first,
    GArray * outputs, GError ** error)
{
  Sizes max = { 0, };
  gboolean moved, ok;
  Layout l;

  for (guint i = 0; i < n; i++) {
    max.in_size = MAX (max.in_size, sizes[i].in_size);
    max.out_capacity = MAX (max.out_capacity, sizes[i].out_capacity);
    max.aux_size = MAX (max.aux_size, sizes[i].aux_size);
    max.scratch_size = MAX (max.scratch_size, sizes[i].scratch_size);
  }
  layout_for (ctx->device, n, &max, &l);
  if (!gst_rk_vulkan_arena_ensure (ctx->device, &ctx->arena, l.total, &moved,
          ctx->impl->name, error))
    return FALSE;
  if (moved)
    ctx->bulk_set_stale = TRUE;
  update_descriptors (ctx, &l);
  stage (ctx, msgs, sizes, n, &l);
  ok = alloc_device_outputs (ctx, msgs, sizes, n, config, error) &&
      record (ctx, config, sizes, n, &l, error) &&
      gst_rk_vulkan_context_run (ctx, ctx->cb, NULL, NULL, error) &&
      collect (ctx, msgs, sizes, n, config, &l, first, outputs, error);
  for (guint i = 0; i < n; i++)
    if (sizes[i].out_memory)
      gst_memory_unref (g_steal_pointer (&sizes[i].out_memory));
  return ok;
}

/**
 * gst_rk_vulkan_bulk_prepare:
 *
 * Makes the kernel's bulk pipeline now (its compilation is a launch's
 * cost, and a shader the driver refuses fails the launch).
 */
gboolean
gst_rk_vulkan_bulk_prepare (GstRkVulkanContext * ctx, GError ** error)
{
  if (ctx->bulk_pipeline == VK_NULL_HANDLE)
    ctx->bulk_pipeline = gst_rk_vulkan_device_get_pipeline (ctx->device,
        &ctx->impl->bulk, FALSE, ctx->impl->name, error);
  return ctx->bulk_pipeline != VK_NULL_HANDLE;
}

/**
 * gst_rk_vulkan_outputs_free:
 *
 * Frees an array of outputs from gst_rk_vulkan_bulk_run() with the
 * payloads nobody took.
 */
void
gst_rk_vulkan_outputs_free (GArray * outputs)
{
  for (guint i = 0; i < outputs->len; i++)
    gst_clear_buffer (&g_array_index (outputs, GstRkVulkanOutput, i).payload);
  g_array_free (outputs, TRUE);
}

/**
 * gst_rk_vulkan_bulk_run:
 * @msgs: (array length=n): consecutive inputs, all sent under @config
 * @refused: (out) (optional): when a message after the first fails the
 *   kernel's check, the run ends before it and this says why (the outputs
 *   returned are those of the messages before it); without @refused the
 *   whole run fails
 *
 * Runs the kernel's bulk shader on each message, in order, as few
 * submissions as the arena allows. The device state must be in place
 * (gst_rk_vulkan_context_ensure_state()); the blob is put in place here.
 *
 * Returns: (transfer full) (element-type GstRkVulkanOutput): every output,
 * in order (free with gst_rk_vulkan_outputs_free()), or %NULL with @error:
 * then no output is kept.
 */
GArray *
gst_rk_vulkan_bulk_run (GstRkVulkanContext * ctx, const GstRkMessage * msgs,
    guint n, GstRkConfig * config, GError ** refused, GError ** error)
{
  static GstRkConfig no_config;
  GstRkVulkanDevice *dev = ctx->device;
  const GstRkVulkanKernel *impl = ctx->impl;
  VkDeviceSize range = dev->props.limits.maxStorageBufferRange;
  GArray *outputs = g_array_new (FALSE, FALSE, sizeof (GstRkVulkanOutput));
  Sizes *sizes = g_new0 (Sizes, n);
  gboolean ok;
  guint first = 0;

  if (config == NULL)
    config = &no_config;
  ok = gst_rk_vulkan_bulk_prepare (ctx, error) &&
      gst_rk_vulkan_context_ensure_blob (ctx, config, error);

  for (guint i = 0; ok && i < n; i++) {
    Sizes *s = &sizes[i];
    GError *err = NULL;
    gpointer handle;

    if (impl->check && !impl->check (config, msgs[i].payload, &err)) {
      /* The messages before a refused one are good: they still run, so
       * that the refusal loses nothing but the refused message. */
      if (refused && i > 0) {
        g_propagate_error (refused, err);
        n = i;
      } else {
        g_propagate_error (error, err);
        ok = FALSE;
      }
      break;
    }
    s->in_size = msgs[i].payload ? gst_buffer_get_size (msgs[i].payload) : 0;
    handle = gst_rk_device_memory_get_handle (msgs[i].payload, &dev->parent);
    s->in_device = handle ? gst_rk_vulkan_payload_get_buffer (handle) :
        VK_NULL_HANDLE;
    s->out_capacity = impl->output_size (&config->params, s->in_size);
    s->aux_size = impl->aux_size ? impl->aux_size (config, s->in_size) : 0;
    s->scratch_size = impl->scratch_size ?
        impl->scratch_size (config, s->in_size) : 0;
    s->passes = impl->passes ? impl->passes (config, s->in_size) : 1;
    if (MAX (MAX (s->in_size, s->out_capacity), MAX (s->aux_size,
                s->scratch_size)) > range) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
          "a %" G_GSIZE_FORMAT "-byte message of kernel %s needs more "
          "memory than a shader on %s may use in one buffer (%"
          G_GUINT64_FORMAT " bytes)", s->in_size, impl->name,
          dev->parent.name, (guint64) range);
      ok = FALSE;
    }
  }

  /* Chunks that fit MAX_BATCH_BYTES, at least one message each */
  while (ok && first < n) {
    VkDeviceSize bytes = 0;
    guint end = first;

#define MESSAGE_BYTES(s) ((s).in_size + (s).out_capacity + (s).aux_size)
    do {
      bytes += MESSAGE_BYTES (sizes[end]);
      end++;
    } while (end < n && bytes + MESSAGE_BYTES (sizes[end]) <= MAX_BATCH_BYTES);
#undef MESSAGE_BYTES
    ok = run_chunk (ctx, msgs + first, sizes + first, end - first, config,
        first, outputs, error);
    first = end;
  }

  g_free (sizes);
  if (!ok) {
    gst_rk_vulkan_outputs_free (outputs);
    return NULL;
  }
  return outputs;
}

/**
 * gst_rk_vulkan_frame_output_size:
 *
 * The output of a frame kernel: one frame of the negotiated output layout,
 * whatever the input's size.
 */
gsize
gst_rk_vulkan_frame_output_size (const GstRkParams * p, gsize in_size)
{
  return p->out_size;
}

/**
 * gst_rk_vulkan_grid_output_words:
 *
 * One invocation per 4 bytes of an output row, 64 per workgroup, and a row
 * of workgroups per image row: the grid of the kernels that write one
 * 32-bit word of output each.
 */
void
gst_rk_vulkan_grid_output_words (const GstRkParams * p, gsize in_size,
    guint32 groups[3])
{
  groups[0] = (p->out_stride[0] / 4 + 63) / 64;
  groups[1] = p->height;
}
