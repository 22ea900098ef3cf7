/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_VULKAN_BULK_H__
#define __GST_RK_VULKAN_BULK_H__

#include "gstrkvulkancontext.h"

G_BEGIN_DECLS

/**
 * GstRkVulkanOutput:
 * @type: RK_MSG_* of the output, 0 when the input yielded none
 * @payload: (nullable): the output
 */
typedef struct
{
  guint32 type;
  GstBuffer *payload;
} GstRkVulkanOutput;

gboolean gst_rk_vulkan_bulk_run (GstRkVulkanContext * ctx,
    const GstRkMessage * msgs, guint n, GstRkConfig * config,
    GstRkVulkanOutput * outputs, GError ** error);

G_END_DECLS

#endif /* __GST_RK_VULKAN_BULK_H__ */
