/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_VULKAN_DEVICE_H__
#define __GST_RK_VULKAN_DEVICE_H__

#include "gstrkbackend.h"
#include "gstrkvulkaninstance.h"
#include "gstrkvulkankernel.h"

G_BEGIN_DECLS

/* One queue; vkQueueSubmit needs it to be used by one thread at a time.
 * rings: persistent kernels submitting to it (the device's lock). */
typedef struct
{
  VkQueue handle;
  GMutex lock;
  guint rings;
} GstRkVulkanQueue;

/**
 * GstRkVulkanMemory:
 * @GST_RK_VULKAN_MEMORY_SHARED: host-visible and coherent, mapped: rings,
 *   control blocks, staging
 * @GST_RK_VULKAN_MEMORY_DEVICE: device-local where there is such memory
 *   (mapped only if it happens to be host-visible)
 * @GST_RK_VULKAN_MEMORY_PAYLOAD: device-local, host-visible and coherent,
 *   mapped: frames that stay on the device between kernels
 *   (gstrkvulkanpayload.c), which the host can still read if it must
 */
typedef enum
{
  GST_RK_VULKAN_MEMORY_SHARED,
  GST_RK_VULKAN_MEMORY_DEVICE,
  GST_RK_VULKAN_MEMORY_PAYLOAD,
} GstRkVulkanMemory;

typedef struct
{
  VkBuffer handle;
  VkDeviceMemory memory;
  VkDeviceSize size;
  guint8 *map;
  gboolean device_heap;         /* counted as device memory */
} GstRkVulkanBuffer;

/**
 * GstRkVulkanDevice:
 *
 * An opened Vulkan device: its function table (volkLoadDeviceTable, no
 * loader trampoline), queues, the pipeline cache and the pipelines made
 * from it, and what its shaders may use.
 */
typedef struct
{
  GstRkDevice parent;

  VkPhysicalDevice physical;
  VkDevice handle;
  struct VolkDeviceTable vk;
  VkPhysicalDeviceProperties props;
  VkPhysicalDeviceMemoryProperties memory;
  guint32 family;
  GstRkVulkanQueue *queues;
  guint n_queues;

  guint32 subgroup_size;
  gchar *ring_unsupported;      /* why persistent kernels cannot run, or NULL */
  gboolean memory_model;        /* ring shaders use memory model atomics */
  gboolean staging_copy;        /* payloads go through device-local memory */
  gboolean payload_memory;      /* has GST_RK_VULKAN_MEMORY_PAYLOAD */
  gboolean has_float64;         /* shaderFloat64 (enabled) */
  gboolean has_int64;           /* shaderInt64 (enabled) */

  VkDescriptorSetLayout ring_set_layout;
  VkDescriptorSetLayout bulk_set_layout;
  VkPipelineLayout ring_layout;
  VkPipelineLayout bulk_layout;

  GMutex lock;
  VkPipelineCache cache;
  GHashTable *pipelines;        /* shader code → VkPipeline */
  guint next_queue;
  GSList *abandoned;            /* (GDestroyNotify, data) pairs, see abandon */
  gint lost;
} GstRkVulkanDevice;

GstRkVulkanDevice *gst_rk_vulkan_device_open (const GstRkBackend * backend,
    gint device_id, GError ** error);
void gst_rk_vulkan_device_close (GstRkVulkanDevice * dev);

gboolean gst_rk_vulkan_device_check (GstRkVulkanDevice * dev, VkResult result,
    const gchar * what, GError ** error);

gboolean gst_rk_vulkan_buffer_alloc (GstRkVulkanDevice * dev,
    GstRkVulkanBuffer * buf, VkDeviceSize size, GstRkVulkanMemory kind,
    const gchar * kernel, GError ** error);
void gst_rk_vulkan_buffer_free (GstRkVulkanDevice * dev,
    GstRkVulkanBuffer * buf);

VkPipeline gst_rk_vulkan_device_get_pipeline (GstRkVulkanDevice * dev,
    const GstRkVulkanShader * shader, gboolean ring, const gchar * kernel,
    GError ** error);

GstRkVulkanQueue *gst_rk_vulkan_device_take_queue (GstRkVulkanDevice * dev,
    gboolean ring);
void gst_rk_vulkan_device_release_queue (GstRkVulkanDevice * dev,
    GstRkVulkanQueue * queue, gboolean ring);
VkResult gst_rk_vulkan_device_submit (GstRkVulkanDevice * dev,
    GstRkVulkanQueue * queue, VkCommandBuffer cb, VkFence fence,
    gboolean * hang);

void gst_rk_vulkan_device_abandon (GstRkVulkanDevice * dev,
    GDestroyNotify free_func, gpointer data);

G_END_DECLS

#endif /* __GST_RK_VULKAN_DEVICE_H__ */
