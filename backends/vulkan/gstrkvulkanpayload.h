/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_VULKAN_PAYLOAD_H__
#define __GST_RK_VULKAN_PAYLOAD_H__

#include "gstrkvulkandevice.h"

G_BEGIN_DECLS

extern const GstRkDeviceMemoryOps gst_rk_vulkan_payload_ops;

VkBuffer gst_rk_vulkan_payload_get_buffer (gpointer handle);

G_END_DECLS

#endif /* __GST_RK_VULKAN_PAYLOAD_H__ */
