/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Bulk dispatches: messages whose payloads live in host buffers (frames),
 * one dispatch each, as many workgroups as the kernel asks for, several
 * messages per submission (coalescing). Payloads are staged in the
 * kernel's arena:
 *
 *   [ info 0 | info 1 | ... ][ input 0 | input 1 | ... ][ output 0 | ... ]
 *
 * each region aligned for dynamic storage buffer offsets, so one
 * descriptor set serves every message of a batch. Consecutive dispatches
 * are ordered by barriers: kernels keep device state from one message to
 * the next.
 */

#include <string.h>

#include "gstrkvulkanbulk.h"
#include "gstrkvulkanabi.h"
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
} Sizes;

/* The arena for n messages, given the largest of each region. */
typedef struct
{
  VkDeviceSize info_stride, in_stride, out_stride;
  VkDeviceSize in_base, out_base, total;
} Layout;

static void
layout_for (GstRkVulkanDevice * dev, guint n, VkDeviceSize max_in,
    VkDeviceSize max_out, Layout * l)
{
  VkDeviceSize align = alignment (dev);

  l->info_stride = round_up (RKV_INFO_SIZE, align);
  l->in_stride = round_up (MAX (max_in, 16), align);
  l->out_stride = round_up (MAX (max_out, 16), align);
  l->in_base = l->info_stride * n;
  l->out_base = l->in_base + l->in_stride * n;
  l->total = l->out_base + l->out_stride * n;
}

static gboolean
update_descriptors (GstRkVulkanContext * ctx, const Layout * l)
{
  GstRkVulkanDevice *dev = ctx->device;
  VkBuffer buf = gst_rk_vulkan_arena_get_shader_buffer (&ctx->arena);
  VkDescriptorBufferInfo info[4] = {
    {buf, 0, l->in_stride},
    {buf, 0, l->out_stride},
    {buf, 0, RKV_INFO_SIZE},
    {ctx->state.handle, 0, VK_WHOLE_SIZE},
  };
  VkWriteDescriptorSet w[4];

  if (!ctx->bulk_set_stale && ctx->bound_in == l->in_stride &&
      ctx->bound_out == l->out_stride)
    return TRUE;
  for (guint i = 0; i < 4; i++) {
    VkWriteDescriptorSet wi = { VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET };

    wi.dstSet = ctx->bulk_set;
    wi.dstBinding = i;
    wi.descriptorCount = 1;
    wi.descriptorType = i == RKV_BINDING_STATE ?
        VK_DESCRIPTOR_TYPE_STORAGE_BUFFER :
        VK_DESCRIPTOR_TYPE_STORAGE_BUFFER_DYNAMIC;
    wi.pBufferInfo = &info[i];
    w[i] = wi;
  }
  dev->vk.vkUpdateDescriptorSets (dev->handle, 4, w, 0, NULL);
  ctx->bound_in = l->in_stride;
  ctx->bound_out = l->out_stride;
  ctx->bulk_set_stale = FALSE;
  return TRUE;
}

/* Dispatches @groups workgroups, in pieces when a dimension exceeds the
 * device's limit (gl_WorkGroupID counts on across pieces). */
static void
dispatch_grid (GstRkVulkanDevice * dev, VkCommandBuffer cb,
    const guint32 groups[3])
{
  const guint32 *lim = dev->props.limits.maxComputeWorkGroupCount;

  for (guint32 z = 0; z < groups[2]; z += lim[2])
    for (guint32 y = 0; y < groups[1]; y += lim[1])
      for (guint32 x = 0; x < groups[0]; x += lim[0])
        dev->vk.vkCmdDispatchBase (cb, x, y, z, MIN (lim[0], groups[0] - x),
            MIN (lim[1], groups[1] - y), MIN (lim[2], groups[2] - z));
}

static gboolean
record (GstRkVulkanContext * ctx, const GstRkMessage * msgs,
    const Sizes * sizes, guint n, const GstRkParams * params,
    const Layout * l, GError ** error)
{
  GstRkVulkanDevice *dev = ctx->device;
  const VkPipelineStageFlags cs = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT;
  const VkAccessFlags rw = VK_ACCESS_SHADER_READ_BIT |
      VK_ACCESS_SHADER_WRITE_BIT;
  VkCommandBuffer cb = gst_rk_vulkan_context_begin (ctx, error);

  if (cb == VK_NULL_HANDLE)
    return FALSE;

  if (dev->staging_copy) {
    VkBufferCopy up = { 0, 0, l->out_base };

    dev->vk.vkCmdCopyBuffer (cb, ctx->arena.staging.handle,
        ctx->arena.device.handle, 1, &up);
    gst_rk_vulkan_context_barrier (ctx, cb, VK_PIPELINE_STAGE_TRANSFER_BIT,
        VK_ACCESS_TRANSFER_WRITE_BIT, cs, rw);
  }
  /* After the previous submission's use of the state and the arena */
  gst_rk_vulkan_context_barrier (ctx, cb, cs, rw, cs, rw);
  dev->vk.vkCmdBindPipeline (cb, VK_PIPELINE_BIND_POINT_COMPUTE,
      ctx->bulk_pipeline);
  dev->vk.vkCmdPushConstants (cb, dev->bulk_layout,
      VK_SHADER_STAGE_COMPUTE_BIT, 0, RK_PARAMS_SIZE, params);
  for (guint i = 0; i < n; i++) {
    guint32 offsets[3] = {
      (guint32) (l->in_base + i * l->in_stride),
      (guint32) (l->out_base + i * l->out_stride),
      (guint32) (i * l->info_stride),
    };
    guint32 groups[3] = { 1, 1, 1 };

    ctx->impl->grid (params, sizes[i].in_size, groups);
    for (guint d = 0; d < 3; d++)
      groups[d] = MAX (groups[d], 1);
    if (i > 0)
      gst_rk_vulkan_context_barrier (ctx, cb, cs, rw, cs, rw);
    dev->vk.vkCmdBindDescriptorSets (cb, VK_PIPELINE_BIND_POINT_COMPUTE,
        dev->bulk_layout, 0, 1, &ctx->bulk_set, 3, offsets);
    dispatch_grid (dev, cb, groups);
  }

  if (dev->staging_copy) {
    VkBufferCopy down[2] = {
      {0, 0, l->in_base},
      {l->out_base, l->out_base, l->total - l->out_base},
    };
    gst_rk_vulkan_context_barrier (ctx, cb, cs, VK_ACCESS_SHADER_WRITE_BIT,
        VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT);
    dev->vk.vkCmdCopyBuffer (cb, ctx->arena.device.handle,
        ctx->arena.staging.handle, 2, down);
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

    memset (info, 0, RKV_INFO_SIZE);
    info[RKV_INFO_OFF_IN_SIZE / 4] = (guint32) sizes[i].in_size;
    info[RKV_INFO_OFF_TYPE / 4] = msgs[i].env.type;
    info[RKV_INFO_OFF_OUT_CAPACITY / 4] = (guint32) sizes[i].out_capacity;
    if (msgs[i].payload)
      gst_buffer_extract (msgs[i].payload, 0, base + l->in_base +
          i * l->in_stride, sizes[i].in_size);
  }
}

/* Reads the outputs of a finished submission. */
static gboolean
collect (GstRkVulkanContext * ctx, const GstRkMessage * msgs,
    const Sizes * sizes, guint n, const GstRkParams * params,
    const Layout * l, GstRkVulkanOutput * outputs, GError ** error)
{
  const guint8 *base = ctx->arena.staging.map;

  for (guint i = 0; i < n; i++) {
    const guint32 *info = (const guint32 *) (base + i * l->info_stride);
    guint32 size = info[RKV_INFO_OFF_OUT_SIZE / 4];
    guint32 type = info[RKV_INFO_OFF_OUT_TYPE / 4];
    GstBuffer *out = NULL;

    if (info[RKV_INFO_OFF_ERROR / 4] != 0 || size > sizes[i].out_capacity) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
          "Vulkan kernel %s failed on message %" G_GUINT64_FORMAT
          ": %s", ctx->impl->name, msgs[i].env.message_id,
          size > sizes[i].out_capacity ? "its output overran the room for "
          "it" : "the device reported an error");
      return FALSE;
    }
    outputs[i].type = type;
    if (type == 0)
      continue;
    /* A message without a payload may yield none, like on the CPU. */
    if (size == 0 && msgs[i].payload == NULL)
      continue;
    if (size > 0 && size == params->out_size)
      out = gst_rk_kernel_alloc_output (ctx->kernel, size, error);
    else
      out = gst_buffer_new_allocate (NULL, size, NULL);
    if (out == NULL)
      return FALSE;
    gst_buffer_fill (out, 0, base + l->out_base + i * l->out_stride, size);
    if (msgs[i].payload)
      gst_buffer_copy_into (out, msgs[i].payload, GST_BUFFER_COPY_FLAGS |
          GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
    outputs[i].payload = out;
  }
  return TRUE;
}

static gboolean
run_chunk (GstRkVulkanContext * ctx, const GstRkMessage * msgs,
    const Sizes * sizes, guint n, const GstRkParams * params,
    GstRkVulkanOutput * outputs, GError ** error)
{
  VkDeviceSize max_in = 0, max_out = 0;
  gboolean moved;
  Layout l;

  for (guint i = 0; i < n; i++) {
    max_in = MAX (max_in, sizes[i].in_size);
    max_out = MAX (max_out, sizes[i].out_capacity);
  }
  layout_for (ctx->device, n, max_in, max_out, &l);
  if (!gst_rk_vulkan_arena_ensure (ctx->device, &ctx->arena, l.total, &moved,
          error))
    return FALSE;
  if (moved)
    ctx->bulk_set_stale = TRUE;
  update_descriptors (ctx, &l);
  stage (ctx, msgs, sizes, n, &l);
  if (!record (ctx, msgs, sizes, n, params, &l, error) ||
      !gst_rk_vulkan_context_run (ctx, ctx->cb, NULL, NULL, error))
    return FALSE;
  return collect (ctx, msgs, sizes, n, params, &l, outputs, error);
}

/**
 * gst_rk_vulkan_bulk_run:
 * @msgs: (array length=n): consecutive inputs, all sent under @config
 * @outputs: (array length=n) (out caller-allocates): what each yielded
 *
 * Runs the kernel's bulk shader on each message, in order, as few
 * submissions as the arena allows. The device state must be in place
 * (gst_rk_vulkan_context_ensure_state()). On failure no output is kept.
 */
gboolean
gst_rk_vulkan_bulk_run (GstRkVulkanContext * ctx, const GstRkMessage * msgs,
    guint n, GstRkConfig * config, GstRkVulkanOutput * outputs,
    GError ** error)
{
  static const GstRkParams no_params;
  GstRkVulkanDevice *dev = ctx->device;
  const GstRkParams *params = config ? &config->params : &no_params;
  VkDeviceSize range = dev->props.limits.maxStorageBufferRange;
  Sizes *sizes = g_new0 (Sizes, n);
  gboolean ok = TRUE;
  guint first = 0;

  memset (outputs, 0, n * sizeof (GstRkVulkanOutput));
  if (ctx->bulk_pipeline == VK_NULL_HANDLE)
    ctx->bulk_pipeline = gst_rk_vulkan_device_get_pipeline (dev,
        &ctx->impl->bulk, FALSE, error);
  ok = ctx->bulk_pipeline != VK_NULL_HANDLE;

  for (guint i = 0; ok && i < n; i++) {
    if (ctx->impl->check && !ctx->impl->check (params, msgs[i].payload,
            error)) {
      ok = FALSE;
      break;
    }
    sizes[i].in_size = msgs[i].payload ? gst_buffer_get_size
        (msgs[i].payload) : 0;
    sizes[i].out_capacity = ctx->impl->output_size (params,
        sizes[i].in_size);
    if (sizes[i].in_size > range || sizes[i].out_capacity > range) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
          "a %" G_GSIZE_FORMAT "-byte message is larger than the largest "
          "buffer a shader on %s may use (%" G_GUINT64_FORMAT " bytes)",
          MAX (sizes[i].in_size, sizes[i].out_capacity), dev->parent.name,
          (guint64) range);
      ok = FALSE;
    }
  }

  /* Chunks that fit MAX_BATCH_BYTES, at least one message each */
  while (ok && first < n) {
    VkDeviceSize bytes = 0;
    guint end = first;

    do {
      bytes += sizes[end].in_size + sizes[end].out_capacity;
      end++;
    } while (end < n && bytes + sizes[end].in_size +
        sizes[end].out_capacity <= MAX_BATCH_BYTES);
    ok = run_chunk (ctx, msgs + first, sizes + first, end - first, params,
        outputs + first, error);
    first = end;
  }

  if (!ok)
    for (guint i = 0; i < n; i++)
      gst_clear_buffer (&outputs[i].payload);
  g_free (sizes);
  return ok;
}
