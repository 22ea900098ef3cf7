/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_VULKAN_INSTANCE_H__
#define __GST_RK_VULKAN_INSTANCE_H__

#include <gst/gst.h>
#include "gstrkvulkanvolk.h"
#include "gstrkvulkan.h"

G_BEGIN_DECLS

/**
 * GstRkVulkanPhysical:
 * @handle: the physical device
 * @props: its properties
 * @klass: how it ranks
 * @family: queue family with compute, or -1
 * @why_unusable: (nullable): why it cannot run kernels
 *
 * One device of the process-wide instance, in enumeration order (the
 * order device-id counts in).
 */
typedef struct
{
  VkPhysicalDevice handle;
  VkPhysicalDeviceProperties props;
  GstRkVulkanDeviceClass klass;
  gint family;
  gchar *why_unusable;
} GstRkVulkanPhysical;

const GArray *gst_rk_vulkan_get_devices (GError ** error);

const gchar *gst_rk_vulkan_result_to_string (VkResult result);

G_END_DECLS

#endif /* __GST_RK_VULKAN_INSTANCE_H__ */
