/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_VULKAN_RING_H__
#define __GST_RK_VULKAN_RING_H__

#include "gstrkvulkancontext.h"

G_BEGIN_DECLS

typedef struct _GstRkVulkanRing GstRkVulkanRing;

GstRkVulkanRing *gst_rk_vulkan_ring_launch (GstRkVulkanContext * ctx,
    GError ** error);
gboolean gst_rk_vulkan_ring_command (GstRkVulkanRing * ring, guint32 command,
    GError ** error);
void gst_rk_vulkan_ring_kick (GstRkVulkanRing * ring);
void gst_rk_vulkan_ring_flush (GstRkVulkanRing * ring);
gboolean gst_rk_vulkan_ring_terminate (GstRkVulkanRing * ring,
    GError ** error);
void gst_rk_vulkan_ring_fill_stats (GstRkVulkanRing * ring, GstStructure * s);

G_END_DECLS

#endif /* __GST_RK_VULKAN_RING_H__ */
