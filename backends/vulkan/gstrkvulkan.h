/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_VULKAN_H__
#define __GST_RK_VULKAN_H__

#include <glib.h>

G_BEGIN_DECLS

/*
 * What the Vulkan backend offers beyond the GstRkBackend table: its device
 * ranking (for tests and tools), and fault injection and a shorter
 * persistent dispatch (for tests).
 */

/**
 * GstRkVulkanDeviceClass:
 *
 * How a device ranks for device-id=-1: hardware GPUs first, software
 * renderers (lavapipe) last.
 */
typedef enum
{
  GST_RK_VULKAN_DEVICE_DISCRETE,
  GST_RK_VULKAN_DEVICE_INTEGRATED,
  GST_RK_VULKAN_DEVICE_VIRTUAL,
  GST_RK_VULKAN_DEVICE_OTHER,
  GST_RK_VULKAN_DEVICE_CPU,
  GST_RK_VULKAN_DEVICE_UNUSABLE,        /* no compute queue, or too old */
} GstRkVulkanDeviceClass;

gint gst_rk_vulkan_choose_device (const GstRkVulkanDeviceClass * classes,
    guint n_devices, gint requested);
guint gst_rk_vulkan_device_count (void);
guint gst_rk_vulkan_queue_pick (const guint * rings, guint n_queues,
    gboolean ring, guint * next);

/**
 * GstRkVulkanFault:
 * @GST_RK_VULKAN_FAULT_NONE: no fault
 * @GST_RK_VULKAN_FAULT_DEVICE_LOST: the submission fails with
 *   VK_ERROR_DEVICE_LOST (and the device counts as lost)
 * @GST_RK_VULKAN_FAULT_HANG: the submission runs, but its fence is never
 *   seen to signal, as if the dispatch never finished
 *
 * Faults a test can inject into the next queue submissions.
 */
typedef enum
{
  GST_RK_VULKAN_FAULT_NONE,
  GST_RK_VULKAN_FAULT_DEVICE_LOST,
  GST_RK_VULKAN_FAULT_HANG,
} GstRkVulkanFault;

void gst_rk_vulkan_inject_fault (GstRkVulkanFault fault, guint after_submits);
gboolean gst_rk_vulkan_fault_pending (void);

void gst_rk_vulkan_set_poll_budget (guint polls);

G_END_DECLS

#endif /* __GST_RK_VULKAN_H__ */
