/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_VULKAN_BULK_H__
#define __GST_RK_VULKAN_BULK_H__

#include "gstrkvulkancontext.h"

G_BEGIN_DECLS

gboolean gst_rk_vulkan_bulk_prepare (GstRkVulkanContext * ctx,
    GError ** error);
GArray *gst_rk_vulkan_bulk_run (GstRkVulkanContext * ctx,
    const GstRkMessage * msgs, guint n, GstRkConfig * config,
    GError ** refused, GError ** error);
void gst_rk_vulkan_outputs_free (GArray * outputs);

G_END_DECLS

#endif /* __GST_RK_VULKAN_BULK_H__ */
