/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_VULKAN_EVENT_H__
#define __GST_RK_VULKAN_EVENT_H__

#include "gstrkvulkancontext.h"

G_BEGIN_DECLS

typedef struct _GstRkVulkanEvent GstRkVulkanEvent;

GstRkVulkanEvent *gst_rk_vulkan_event_launch (GstRkVulkanContext * ctx,
    GError ** error);
gboolean gst_rk_vulkan_event_command (GstRkVulkanEvent * ev, guint32 command,
    GError ** error);
void gst_rk_vulkan_event_kick (GstRkVulkanEvent * ev);
gboolean gst_rk_vulkan_event_terminate (GstRkVulkanEvent * ev,
    GError ** error);
void gst_rk_vulkan_event_fill_stats (GstRkVulkanEvent * ev,
    GstStructure * s);

G_END_DECLS

#endif /* __GST_RK_VULKAN_EVENT_H__ */
