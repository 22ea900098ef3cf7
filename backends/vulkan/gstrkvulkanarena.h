/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_VULKAN_ARENA_H__
#define __GST_RK_VULKAN_ARENA_H__

#include "gstrkvulkandevice.h"

G_BEGIN_DECLS

/**
 * GstRkVulkanArena:
 * @staging: host-visible memory the host writes inputs to and reads
 *   outputs from
 * @device: device-local mirror of @staging, when the device stages
 *   (dev->staging_copy); the shaders then use it and the command buffer
 *   copies between the two
 *
 * Where a kernel's payloads (frames) live on their way through a dispatch.
 * It is allocated once and grows when a batch needs more, so a stream of
 * frames allocates nothing per buffer.
 */
typedef struct
{
  GstRkVulkanBuffer staging;
  GstRkVulkanBuffer device;
} GstRkVulkanArena;

gboolean gst_rk_vulkan_arena_ensure (GstRkVulkanDevice * dev,
    GstRkVulkanArena * arena, VkDeviceSize size, gboolean * moved,
    const gchar * kernel, GError ** error);
void gst_rk_vulkan_arena_free (GstRkVulkanDevice * dev,
    GstRkVulkanArena * arena);
VkBuffer gst_rk_vulkan_arena_get_shader_buffer (GstRkVulkanArena * arena);

G_END_DECLS

#endif /* __GST_RK_VULKAN_ARENA_H__ */
