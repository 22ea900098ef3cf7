/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gstrkvulkancontext.h"
#include "gstrkvulkanabi.h"
#include "gstrkerror.h"
#include "gstrkfault.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rk_vulkan_debug);
#define GST_CAT_DEFAULT gst_rk_vulkan_debug

/* A submission that runs this long without being stopped is taken for a
 * hung device. Persistent dispatches end after 60,000 polls (a few ms on
 * lavapipe), frames take milliseconds. */
#define HANG_TIMEOUT_US (20 * G_USEC_PER_SEC)

/* Fence wait slices without a watcher: only to look at the deadlines. */
#define SLICE_QUIET_NS 50000000

GstRkVulkanContext *
gst_rk_vulkan_context_new (GstRkVulkanDevice * dev, GstRkKernel * kernel,
    GError ** error)
{
  GstRkVulkanContext *ctx = g_new0 (GstRkVulkanContext, 1);
  VkCommandPoolCreateInfo cpci = {
    VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO
  };
  VkCommandBufferAllocateInfo cbai = {
    VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO
  };
  VkFenceCreateInfo fci = { VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };
  /* one ring set (4 plain), one bulk set (3 plain, 4 dynamic) */
  VkDescriptorPoolSize sizes[2] = {
    {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 7},
    {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER_DYNAMIC, 4},
  };
  VkDescriptorPoolCreateInfo dpci = {
    VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO
  };
  VkResult r;

  ctx->device = dev;
  ctx->kernel = kernel;
  ctx->impl = gst_rk_kernel_get_implementation (kernel);
  /* A persistent kernel's dispatches spin: a queue of their own where
   * there are several */
  ctx->ring = gst_rk_kernel_get_mode (kernel) == GST_RK_KERNEL_MODE_PERSISTENT;
  ctx->queue = gst_rk_vulkan_device_take_queue (dev, ctx->ring);

  cpci.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  cpci.queueFamilyIndex = dev->family;
  r = dev->vk.vkCreateCommandPool (dev->handle, &cpci, NULL, &ctx->pool);
  if (r == VK_SUCCESS) {
    cbai.commandPool = ctx->pool;
    cbai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    cbai.commandBufferCount = 1;
    r = dev->vk.vkAllocateCommandBuffers (dev->handle, &cbai, &ctx->cb);
  }
  if (r == VK_SUCCESS)
    r = dev->vk.vkCreateFence (dev->handle, &fci, NULL, &ctx->fence);
  if (r == VK_SUCCESS) {
    /* one ring set, one bulk set */
    dpci.maxSets = 2;
    dpci.poolSizeCount = 2;
    dpci.pPoolSizes = sizes;
    r = dev->vk.vkCreateDescriptorPool (dev->handle, &dpci, NULL,
        &ctx->descriptors);
  }
  if (r == VK_SUCCESS) {
    VkDescriptorSetAllocateInfo dsai = {
      VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO
    };
    dsai.descriptorPool = ctx->descriptors;
    dsai.descriptorSetCount = 1;
    dsai.pSetLayouts = &dev->bulk_set_layout;
    r = gst_rk_fault_strikes (GST_RK_FAULT_PIPELINE, ctx->impl->name) ?
        VK_ERROR_OUT_OF_POOL_MEMORY :
        dev->vk.vkAllocateDescriptorSets (dev->handle, &dsai, &ctx->bulk_set);
  }
  if (!gst_rk_vulkan_device_check (dev, r, "setting up a kernel", error)) {
    gst_rk_vulkan_context_free (ctx);
    return NULL;
  }
  ctx->bulk_set_stale = TRUE;
  return ctx;
}

/* Frees what the context holds; the device must not be using it. */
void
gst_rk_vulkan_context_free (GstRkVulkanContext * ctx)
{
  GstRkVulkanDevice *dev = ctx->device;

  gst_rk_vulkan_arena_free (dev, &ctx->arena);
  gst_rk_vulkan_buffer_free (dev, &ctx->state);
  gst_rk_vulkan_buffer_free (dev, &ctx->blob);
  g_clear_pointer (&ctx->blob_bytes, g_bytes_unref);
  if (ctx->descriptors)
    dev->vk.vkDestroyDescriptorPool (dev->handle, ctx->descriptors, NULL);
  if (ctx->fence)
    dev->vk.vkDestroyFence (dev->handle, ctx->fence, NULL);
  if (ctx->pool)
    dev->vk.vkDestroyCommandPool (dev->handle, ctx->pool, NULL);
  gst_rk_vulkan_device_release_queue (dev, ctx->queue, ctx->ring);
  g_free (ctx);
}

/**
 * gst_rk_vulkan_context_dispose:
 *
 * Frees the context now, or, if a submission of it was given up on (it
 * may still run), when the device closes.
 */
void
gst_rk_vulkan_context_dispose (GstRkVulkanContext * ctx)
{
  ctx->kernel = NULL;
  if (ctx->abandoned)
    gst_rk_vulkan_device_abandon (ctx->device,
        (GDestroyNotify) gst_rk_vulkan_context_free, ctx);
  else
    gst_rk_vulkan_context_free (ctx);
}

/**
 * gst_rk_vulkan_context_stop:
 * @grace_us: how long a running submission may still take
 *
 * The kernel is terminating: a submission still running after the grace
 * period is given up on, so that terminate takes a bounded time.
 */
void
gst_rk_vulkan_context_stop (GstRkVulkanContext * ctx, gint64 grace_us)
{
  ctx->terminate_deadline = g_get_monotonic_time () + grace_us;
  g_atomic_int_set (&ctx->terminating, 1);
}

gint64
gst_rk_vulkan_context_memory (GstRkVulkanContext * ctx)
{
  return (gint64) (ctx->state.size + ctx->blob.size +
      ctx->arena.staging.size + ctx->arena.device.size);
}

/**
 * gst_rk_vulkan_context_run:
 * @cb: a recorded command buffer
 * @watch: (nullable): called while it runs
 *
 * Submits @cb and waits for it. Fails on a device error, when the device
 * seems hung, or when the kernel is terminating and the submission
 * outlives its grace period; in the last two cases the context is marked
 * abandoned, since the device may still be using it.
 */
gboolean
gst_rk_vulkan_context_run (GstRkVulkanContext * ctx, VkCommandBuffer cb,
    GstRkVulkanWatchFunc watch, gpointer user_data, GError ** error)
{
  GstRkVulkanDevice *dev = ctx->device;
  gint64 start = g_get_monotonic_time ();
  guint64 slice = watch ? watch (user_data) : SLICE_QUIET_NS;
  gboolean hang;
  VkResult r;

  r = gst_rk_vulkan_device_submit (dev, ctx->queue, cb, ctx->fence, &hang);
  if (!gst_rk_vulkan_device_check (dev, r, "submitting work", error))
    return FALSE;
  ctx->dispatches++;

  for (;;) {
    gint64 now;

    if (hang) {
      g_usleep (slice / 1000);
      r = VK_TIMEOUT;
    } else {
      r = dev->vk.vkWaitForFences (dev->handle, 1, &ctx->fence, VK_TRUE,
          slice);
    }
    if (r == VK_SUCCESS)
      break;
    if (r != VK_TIMEOUT)
      return gst_rk_vulkan_device_check (dev, r, "waiting for a dispatch",
          error);

    if (watch)
      slice = watch (user_data);

    now = g_get_monotonic_time ();
    if (g_atomic_int_get (&ctx->terminating) &&
        now >= ctx->terminate_deadline) {
      ctx->abandoned = TRUE;
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
          "a dispatch of kernel %s on %s did not stop in time; its "
          "resources are kept until the device closes",
          ctx->impl->name, dev->parent.name);
      return FALSE;
    }
    if (now - start >= HANG_TIMEOUT_US) {
      ctx->abandoned = TRUE;
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
          "a dispatch of kernel %s on %s did not finish within %d s",
          ctx->impl->name, dev->parent.name,
          (gint) (HANG_TIMEOUT_US / G_USEC_PER_SEC));
      return FALSE;
    }
  }
  r = dev->vk.vkResetFences (dev->handle, 1, &ctx->fence);
  return gst_rk_vulkan_device_check (dev, r, "resetting a fence", error);
}

/* ---- Recording helpers ---- */

VkCommandBuffer
gst_rk_vulkan_context_begin (GstRkVulkanContext * ctx, GError ** error)
{
  VkCommandBufferBeginInfo bi = {
    VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO
  };
  VkResult r;

  bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  r = ctx->device->vk.vkBeginCommandBuffer (ctx->cb, &bi);
  if (!gst_rk_vulkan_device_check (ctx->device, r, "recording commands",
          error))
    return VK_NULL_HANDLE;
  return ctx->cb;
}

void
gst_rk_vulkan_context_barrier (GstRkVulkanContext * ctx, VkCommandBuffer cb,
    VkPipelineStageFlags src, VkAccessFlags src_access,
    VkPipelineStageFlags dst, VkAccessFlags dst_access)
{
  VkMemoryBarrier mb = { VK_STRUCTURE_TYPE_MEMORY_BARRIER };

  mb.srcAccessMask = src_access;
  mb.dstAccessMask = dst_access;
  ctx->device->vk.vkCmdPipelineBarrier (cb, src, dst, 0, 1, &mb, 0, NULL, 0,
      NULL);
}

/* ---- Device state ---- */

static gboolean
fill_state (GstRkVulkanContext * ctx, GError ** error)
{
  GstRkVulkanDevice *dev = ctx->device;
  VkCommandBuffer cb = gst_rk_vulkan_context_begin (ctx, error);

  if (cb == VK_NULL_HANDLE)
    return FALSE;
  /* after whatever used the state before */
  gst_rk_vulkan_context_barrier (ctx, cb,
      VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
      VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT,
      VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
  dev->vk.vkCmdFillBuffer (cb, ctx->state.handle, 0, VK_WHOLE_SIZE, 0);
  gst_rk_vulkan_context_barrier (ctx, cb, VK_PIPELINE_STAGE_TRANSFER_BIT,
      VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
      VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
  if (!gst_rk_vulkan_device_check (dev, dev->vk.vkEndCommandBuffer (cb),
          "recording commands", error))
    return FALSE;
  return gst_rk_vulkan_context_run (ctx, cb, NULL, NULL, error);
}

/**
 * gst_rk_vulkan_context_ensure_state:
 * @changed: (out) (optional): set when the state buffer was replaced
 *
 * Gives the kernel device state of config->state_size bytes, zeroed, unless
 * it has that much already: state lives on across messages, and a
 * configuration that needs another size starts afresh. A buffer is always
 * there (16 bytes at least) for the state binding.
 */
gboolean
gst_rk_vulkan_context_ensure_state (GstRkVulkanContext * ctx,
    GstRkConfig * config, gboolean * changed, GError ** error)
{
  gsize size = config ? config->state_size : 0;

  if (changed)
    *changed = FALSE;
  if (ctx->state.handle && size == ctx->state_size)
    return TRUE;

  gst_rk_vulkan_buffer_free (ctx->device, &ctx->state);
  ctx->state_size = size;
  ctx->bulk_set_stale = TRUE;
  if (changed)
    *changed = TRUE;
  if (!gst_rk_vulkan_buffer_alloc (ctx->device, &ctx->state,
          MAX ((size + 15) / 16 * 16, 16), GST_RK_VULKAN_MEMORY_DEVICE,
          ctx->impl->name, error))
    return FALSE;
  return fill_state (ctx, error);
}

/* RK_CONTROL_RESET_STATE: zeroes the state, in order with the messages. */
gboolean
gst_rk_vulkan_context_reset_state (GstRkVulkanContext * ctx, GError ** error)
{
  return ctx->state.handle == VK_NULL_HANDLE || fill_state (ctx, error);
}

/* ---- The configuration's blob ---- */

/* Copies @size bytes to @buf through a host-visible buffer and a copy on
 * the device (for memory the host cannot map). */
static gboolean
upload_staged (GstRkVulkanContext * ctx, GstRkVulkanBuffer * buf,
    gconstpointer data, gsize size, GError ** error)
{
  GstRkVulkanDevice *dev = ctx->device;
  GstRkVulkanBuffer staging;
  VkBufferCopy region = { 0, 0, size };
  VkCommandBuffer cb;
  gboolean ok;

  if (!gst_rk_vulkan_buffer_alloc (dev, &staging, size,
          GST_RK_VULKAN_MEMORY_SHARED, ctx->impl->name, error))
    return FALSE;
  memcpy (staging.map, data, size);
  cb = gst_rk_vulkan_context_begin (ctx, error);
  ok = cb != VK_NULL_HANDLE;
  if (ok) {
    /* after the last submission's reads */
    gst_rk_vulkan_context_barrier (ctx, cb,
        VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT,
        VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
    dev->vk.vkCmdCopyBuffer (cb, staging.handle, buf->handle, 1, &region);
    gst_rk_vulkan_context_barrier (ctx, cb, VK_PIPELINE_STAGE_TRANSFER_BIT,
        VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
        VK_ACCESS_SHADER_READ_BIT);
    ok = gst_rk_vulkan_device_check (dev, dev->vk.vkEndCommandBuffer (cb),
        "recording commands", error) &&
        gst_rk_vulkan_context_run (ctx, cb, NULL, NULL, error);
  }
  gst_rk_vulkan_buffer_free (dev, &staging);
  return ok;
}

/**
 * gst_rk_vulkan_context_ensure_blob:
 *
 * Puts config->blob in the blob buffer, unless it holds those bytes
 * already: a blob is uploaded once per configuration (the buffer grows
 * only for a larger one), before the first submission that uses it. Call
 * only while no submission of the kernel runs.
 */
gboolean
gst_rk_vulkan_context_ensure_blob (GstRkVulkanContext * ctx,
    GstRkConfig * config, GError ** error)
{
  GBytes *bytes = config ? config->blob : NULL;
  gconstpointer data;
  gsize size = 0;

  if (ctx->blob.handle && (bytes == ctx->blob_bytes || (bytes &&
              ctx->blob_bytes && g_bytes_equal (bytes, ctx->blob_bytes))))
    return TRUE;
  data = bytes ? g_bytes_get_data (bytes, &size) : NULL;
  if (ctx->blob.handle == VK_NULL_HANDLE || ctx->blob.size < size) {
    gst_rk_vulkan_buffer_free (ctx->device, &ctx->blob);
    ctx->bulk_set_stale = TRUE;
    if (!gst_rk_vulkan_buffer_alloc (ctx->device, &ctx->blob,
            MAX ((size + 15) / 16 * 16, 16), GST_RK_VULKAN_MEMORY_DEVICE,
            ctx->impl->name, error))
      return FALSE;
  }
  g_clear_pointer (&ctx->blob_bytes, g_bytes_unref);
  if (size > 0) {
    if (ctx->blob.map)
      memcpy (ctx->blob.map, data, size);
    else if (!upload_staged (ctx, &ctx->blob, data, size, error))
      return FALSE;
  }
  ctx->blob_bytes = bytes ? g_bytes_ref (bytes) : NULL;
  return TRUE;
}

/**
 * gst_rk_vulkan_context_check_features:
 *
 * Fails with what is missing when the device lacks a feature the kernel's
 * shaders need.
 */
gboolean
gst_rk_vulkan_context_check_features (GstRkVulkanContext * ctx,
    GError ** error)
{
  GstRkVulkanDevice *dev = ctx->device;
  const gchar *missing = NULL;

  if ((ctx->impl->features & GST_RK_VULKAN_NEEDS_FLOAT64) && !dev->has_float64)
    missing = "64-bit floats in shaders (shaderFloat64)";
  else if ((ctx->impl->features & GST_RK_VULKAN_NEEDS_INT64) &&
      !dev->has_int64)
    missing = "64-bit integers in shaders (shaderInt64)";
  if (missing == NULL)
    return TRUE;
  g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
      "kernel %s needs %s, which %s does not have (use backend=cpu)",
      ctx->impl->name, missing, dev->parent.name);
  return FALSE;
}
