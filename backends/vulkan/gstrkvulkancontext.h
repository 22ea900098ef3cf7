/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_VULKAN_CONTEXT_H__
#define __GST_RK_VULKAN_CONTEXT_H__

#include "gstrkvulkanarena.h"

G_BEGIN_DECLS

/**
 * GstRkVulkanWatchFunc:
 *
 * Called while a submission runs, to look at what the device did.
 *
 * Returns: how long to wait before looking again, in nanoseconds.
 */
typedef guint64 (*GstRkVulkanWatchFunc) (gpointer user_data);

/**
 * GstRkVulkanContext:
 *
 * What one launched kernel holds on a Vulkan device, whichever mode it
 * runs in: its queue, command buffer and fence, its device state, the
 * arena for its payloads and the bulk pipeline with its descriptor set.
 */
typedef struct
{
  GstRkVulkanDevice *device;
  GstRkKernel *kernel;
  const GstRkVulkanKernel *impl;

  GstRkVulkanQueue *queue;
  gboolean ring;                /* for a persistent kernel (its queue's rings) */
  VkCommandPool pool;
  VkCommandBuffer cb;
  VkFence fence;
  VkDescriptorPool descriptors;

  /* Device state: kept across messages, dispatches and deactivation */
  GstRkVulkanBuffer state;
  gsize state_size;

  /* Bulk dispatches */
  VkPipeline bulk_pipeline;
  VkDescriptorSet bulk_set;
  GstRkVulkanArena arena;
  VkDeviceSize bound_in, bound_out;     /* descriptor ranges in bulk_set */
  VkDeviceSize bound_aux, bound_scratch;
  gboolean bulk_set_stale;

  /* The configuration's blob (a 16-byte placeholder without one), uploaded
   * when a configuration with other bytes arrives: the messages of one
   * submission share a configuration. */
  GstRkVulkanBuffer blob;
  GBytes *blob_bytes;           /* what it holds */

  /* Stopping: after terminate_deadline a submission is given up on */
  gint terminating;
  gint64 terminate_deadline;
  gboolean abandoned;

  guint64 dispatches;           /* submissions that ran */
} GstRkVulkanContext;

GstRkVulkanContext *gst_rk_vulkan_context_new (GstRkVulkanDevice * dev,
    GstRkKernel * kernel, GError ** error);
void gst_rk_vulkan_context_free (GstRkVulkanContext * ctx);
void gst_rk_vulkan_context_dispose (GstRkVulkanContext * ctx);

gboolean gst_rk_vulkan_context_run (GstRkVulkanContext * ctx,
    VkCommandBuffer cb, GstRkVulkanWatchFunc watch, gpointer user_data,
    GError ** error);

gboolean gst_rk_vulkan_context_ensure_state (GstRkVulkanContext * ctx,
    GstRkConfig * config, gboolean * changed, GError ** error);
gboolean gst_rk_vulkan_context_reset_state (GstRkVulkanContext * ctx,
    GError ** error);
gboolean gst_rk_vulkan_context_ensure_blob (GstRkVulkanContext * ctx,
    GstRkConfig * config, GError ** error);
gboolean gst_rk_vulkan_context_check_features (GstRkVulkanContext * ctx,
    GError ** error);

void gst_rk_vulkan_context_stop (GstRkVulkanContext * ctx, gint64 grace_us);
gint64 gst_rk_vulkan_context_memory (GstRkVulkanContext * ctx);

VkCommandBuffer gst_rk_vulkan_context_begin (GstRkVulkanContext * ctx,
    GError ** error);
void gst_rk_vulkan_context_barrier (GstRkVulkanContext * ctx,
    VkCommandBuffer cb, VkPipelineStageFlags src, VkAccessFlags src_access,
    VkPipelineStageFlags dst, VkAccessFlags dst_access);

G_END_DECLS

#endif /* __GST_RK_VULKAN_CONTEXT_H__ */
