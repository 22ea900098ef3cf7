/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Frames that stay on a Vulkan device between two ring kernels
 * (GstRkDeviceMemory's Vulkan side). Each is a storage buffer of its own
 * in device-local memory that the host can also map (lavapipe, integrated
 * GPUs, discrete GPUs with a resizable BAR): kernels copy into and out of
 * it on the device, and the rare host reader maps it as it is. A device
 * without such memory keeps frames on the host (device_payloads is FALSE
 * there, so no element negotiates them).
 */

#include "gstrkvulkanpayload.h"

static gpointer
payload_alloc (GstRkDevice * device, gsize size, guint8 ** host,
    GError ** error)
{
  GstRkVulkanDevice *dev = (GstRkVulkanDevice *) device;
  GstRkVulkanBuffer *buf = g_new0 (GstRkVulkanBuffer, 1);

  if (!gst_rk_vulkan_buffer_alloc (dev, buf, MAX (size, 16),
          GST_RK_VULKAN_MEMORY_PAYLOAD, NULL, error)) {
    g_free (buf);
    return NULL;
  }
  *host = buf->map;
  return buf;
}

static void
payload_free (GstRkDevice * device, gpointer handle)
{
  gst_rk_vulkan_buffer_free ((GstRkVulkanDevice *) device, handle);
  g_free (handle);
}

const GstRkDeviceMemoryOps gst_rk_vulkan_payload_ops = {
  .alloc = payload_alloc,
  .free = payload_free,
  /* always mapped: no read or write through the queue */
};

VkBuffer
gst_rk_vulkan_payload_get_buffer (gpointer handle)
{
  return ((GstRkVulkanBuffer *) handle)->handle;
}
