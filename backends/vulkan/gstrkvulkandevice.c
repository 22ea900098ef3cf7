/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A Vulkan device opened for kernels. Device entry points come from a
 * volk device table (straight into the driver, not through the loader's
 * trampolines). Pipelines are made once per device and shader, through
 * one pipeline cache per device.
 *
 * GST_RK_VULKAN_MEMORY_MODEL=0 makes persistent kernels use the
 * coherent/volatile build even where the memory model is supported;
 * GST_RK_VULKAN_STAGING=copy|direct forces payloads through a device-local
 * copy, or not (by default they are copied unless host-cached memory is
 * also device-local). Tests use both to cover every path on lavapipe.
 */

#include <string.h>

#include "gstrkvulkandevice.h"
#include "gstrkvulkanabi.h"
#include "gstrkerror.h"
#include "gstrkfault.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rk_vulkan_debug);
#define GST_CAT_DEFAULT gst_rk_vulkan_debug

/* Queues a device spreads its kernels over (real GPUs run them at once;
 * lavapipe has one). */
#define MAX_QUEUES 4

typedef struct
{
  GDestroyNotify free_func;
  gpointer data;
} Abandoned;

/* ---- Fault injection (tests) ---- */

static gint fault_kind = GST_RK_VULKAN_FAULT_NONE;
static gint fault_countdown;

/**
 * gst_rk_vulkan_inject_fault:
 * @after_submits: submissions that still succeed before the fault
 *
 * Makes a later queue submission (of any Vulkan kernel in the process)
 * fail as @fault says. For tests of error paths.
 */
void
gst_rk_vulkan_inject_fault (GstRkVulkanFault fault, guint after_submits)
{
  g_atomic_int_set (&fault_countdown, (gint) after_submits + 1);
  g_atomic_int_set (&fault_kind, fault);
}

/**
 * gst_rk_vulkan_fault_pending:
 *
 * Returns: whether an injected fault has not struck yet, so that a test
 * can wait for the submission that takes it instead of sleeping.
 */
gboolean
gst_rk_vulkan_fault_pending (void)
{
  return g_atomic_int_get (&fault_kind) != GST_RK_VULKAN_FAULT_NONE;
}

static GstRkVulkanFault
take_fault (void)
{
  if (g_atomic_int_get (&fault_kind) == GST_RK_VULKAN_FAULT_NONE ||
      !g_atomic_int_dec_and_test (&fault_countdown))
    return GST_RK_VULKAN_FAULT_NONE;
  return g_atomic_int_exchange (&fault_kind, GST_RK_VULKAN_FAULT_NONE);
}

/* ---- Opening ---- */

static const GstRkVulkanPhysical *
choose (gint device_id, gint * index, GError ** error)
{
  const GArray *list;
  GstRkVulkanDeviceClass *classes;
  GError *err = NULL;
  gint chosen;
  guint i;

  list = gst_rk_vulkan_get_devices (&err);
  if (list == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "Vulkan unavailable: %s", err->message);
    g_error_free (err);
    return NULL;
  }
  classes = g_new (GstRkVulkanDeviceClass, list->len);
  for (i = 0; i < list->len; i++)
    classes[i] = g_array_index (list, GstRkVulkanPhysical, i).klass;
  chosen = gst_rk_vulkan_choose_device (classes, list->len, device_id);
  g_free (classes);

  *index = chosen;
  if (chosen >= 0)
    return &g_array_index (list, GstRkVulkanPhysical, chosen);
  if (device_id >= (gint) list->len)
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "Vulkan unavailable: no device %d (%u found)", device_id, list->len);
  else if (device_id >= 0)
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "Vulkan unavailable: device %d cannot run kernels: %s", device_id,
        g_array_index (list, GstRkVulkanPhysical, device_id).why_unusable);
  else
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "Vulkan unavailable: no device can run kernels (%s)",
        g_array_index (list, GstRkVulkanPhysical, 0).why_unusable);
  return NULL;
}

/* What persistent (ring) shaders need, or why the device cannot run them. */
static gchar *
ring_support (const GstRkVulkanPhysical * p,
    const VkPhysicalDeviceFeatures2 * f2,
    const VkPhysicalDeviceVulkan12Features * f12,
    const VkPhysicalDeviceSubgroupProperties * sg)
{
  if (p->props.apiVersion < VK_API_VERSION_1_2)
    return g_strdup ("it supports Vulkan 1.1, and 1.2 is needed");
  if (!f2->features.shaderInt64)
    return g_strdup ("it has no 64-bit integers in shaders (shaderInt64)");
  if (!f12->shaderBufferInt64Atomics)
    return g_strdup ("it has no 64-bit buffer atomics "
        "(shaderBufferInt64Atomics)");
  if (!(sg->supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) ||
      !(sg->supportedOperations & VK_SUBGROUP_FEATURE_BALLOT_BIT))
    return g_strdup ("it has no subgroup ballot operations in compute "
        "shaders");
  return NULL;
}

static gboolean
has_memory_type (const VkPhysicalDeviceMemoryProperties * m,
    VkMemoryPropertyFlags flags)
{
  for (guint32 i = 0; i < m->memoryTypeCount; i++)
    if ((m->memoryTypes[i].propertyFlags & flags) == flags)
      return TRUE;
  return FALSE;
}

static gboolean
make_layouts (GstRkVulkanDevice * dev, GError ** error)
{
  VkDescriptorSetLayoutBinding ring[4], bulk[RKV_BULK_BINDINGS];
  VkDescriptorSetLayoutCreateInfo dl = {
    VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO
  };
  VkPushConstantRange push = { VK_SHADER_STAGE_COMPUTE_BIT, 0,
    RK_PARAMS_SIZE
  };
  VkPipelineLayoutCreateInfo pl = {
    VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO
  };
  VkResult r;

  /* Bulk bindings with a dynamic offset per message: payloads, info and
   * auxiliary region; the state, the blob and the scratch are one each. */
  for (guint i = 0; i < RKV_BULK_BINDINGS; i++) {
    VkDescriptorSetLayoutBinding b = { i, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
      1, VK_SHADER_STAGE_COMPUTE_BIT, NULL
    };
    if (i < 4)
      ring[i] = b;
    if (i == RKV_BINDING_BULK_IN || i == RKV_BINDING_BULK_OUT ||
        i == RKV_BINDING_BULK_INFO || i == RKV_BINDING_BULK_AUX)
      b.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER_DYNAMIC;
    bulk[i] = b;
  }
  dl.bindingCount = 4;
  dl.pBindings = ring;
  r = dev->vk.vkCreateDescriptorSetLayout (dev->handle, &dl, NULL,
      &dev->ring_set_layout);
  if (r == VK_SUCCESS) {
    dl.bindingCount = RKV_BULK_BINDINGS;
    dl.pBindings = bulk;
    r = dev->vk.vkCreateDescriptorSetLayout (dev->handle, &dl, NULL,
        &dev->bulk_set_layout);
  }
  pl.setLayoutCount = 1;
  pl.pushConstantRangeCount = 1;
  pl.pPushConstantRanges = &push;
  if (r == VK_SUCCESS) {
    pl.pSetLayouts = &dev->ring_set_layout;
    r = dev->vk.vkCreatePipelineLayout (dev->handle, &pl, NULL,
        &dev->ring_layout);
  }
  if (r == VK_SUCCESS) {
    pl.pSetLayouts = &dev->bulk_set_layout;
    r = dev->vk.vkCreatePipelineLayout (dev->handle, &pl, NULL,
        &dev->bulk_layout);
  }
  if (r == VK_SUCCESS) {
    VkPipelineCacheCreateInfo ci = {
      VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO
    };
    r = dev->vk.vkCreatePipelineCache (dev->handle, &ci, NULL, &dev->cache);
  }
  return gst_rk_vulkan_device_check (dev, r, "creating pipeline layouts",
      error);
}

/**
 * gst_rk_vulkan_device_open:
 * @device_id: a device index, or -1 for the best device
 *
 * Returns: the device, or %NULL with @error ("Vulkan unavailable: ...")
 */
GstRkVulkanDevice *
gst_rk_vulkan_device_open (const GstRkBackend * backend, gint device_id,
    GError ** error)
{
  gint index = -1;
  const GstRkVulkanPhysical *p = choose (device_id, &index, error);
  VkPhysicalDeviceVulkan12Features f12 = {
    VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES
  };
  VkPhysicalDeviceFeatures2 f2 = {
    VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2
  };
  VkPhysicalDeviceSubgroupProperties sg = {
    VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES
  };
  VkPhysicalDeviceProperties2 p2 = {
    VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2
  };
  VkPhysicalDeviceVulkan12Features on12 = {
    VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES
  };
  VkPhysicalDeviceFeatures2 on = {
    VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2
  };
  VkDeviceQueueCreateInfo qci = {
    VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO
  };
  VkDeviceCreateInfo dci = { VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO };
  VkQueueFamilyProperties *families;
  float priorities[MAX_QUEUES] = { 1.0f, 1.0f, 1.0f, 1.0f };
  const gchar *env;
  GstRkVulkanDevice *dev;
  guint32 n_families = 0;
  VkResult r;

  if (p == NULL)
    return NULL;

  if (p->props.apiVersion >= VK_API_VERSION_1_2)
    f2.pNext = &f12;
  vkGetPhysicalDeviceFeatures2 (p->handle, &f2);
  p2.pNext = &sg;
  vkGetPhysicalDeviceProperties2 (p->handle, &p2);

  dev = g_new0 (GstRkVulkanDevice, 1);
  g_mutex_init (&dev->lock);
  dev->physical = p->handle;
  dev->props = p->props;
  dev->family = (guint32) p->family;
  dev->subgroup_size = MAX (sg.subgroupSize, 1);
  dev->ring_unsupported = ring_support (p, &f2, &f12, &sg);
  dev->has_float64 = f2.features.shaderFloat64;
  dev->has_int64 = f2.features.shaderInt64;
  env = g_getenv ("GST_RK_VULKAN_MEMORY_MODEL");
  dev->memory_model = dev->ring_unsupported == NULL &&
      f12.vulkanMemoryModel && f12.vulkanMemoryModelDeviceScope &&
      g_strcmp0 (env, "0") != 0;
  vkGetPhysicalDeviceMemoryProperties (p->handle, &dev->memory);
  env = g_getenv ("GST_RK_VULKAN_STAGING");
  if (g_strcmp0 (env, "copy") == 0 || g_strcmp0 (env, "direct") == 0)
    dev->staging_copy = g_strcmp0 (env, "copy") == 0;
  else
    dev->staging_copy = !has_memory_type (&dev->memory,
        VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT |
        VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
        VK_MEMORY_PROPERTY_HOST_COHERENT_BIT |
        VK_MEMORY_PROPERTY_HOST_CACHED_BIT);
  dev->payload_memory = has_memory_type (&dev->memory,
      VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT |
      VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
      VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);

  vkGetPhysicalDeviceQueueFamilyProperties (p->handle, &n_families, NULL);
  families = g_new0 (VkQueueFamilyProperties, n_families);
  vkGetPhysicalDeviceQueueFamilyProperties (p->handle, &n_families, families);
  dev->n_queues = MIN (families[dev->family].queueCount, MAX_QUEUES);
  g_free (families);

  /* Enable only what the shaders use: 64-bit integers (ring shaders,
   * timestamps) and doubles (rkanomaly's statistics). */
  on.features.shaderInt64 = f2.features.shaderInt64;
  on.features.shaderFloat64 = f2.features.shaderFloat64;
  if (f2.pNext) {
    on.pNext = &on12;
    on12.shaderBufferInt64Atomics = f12.shaderBufferInt64Atomics;
    on12.vulkanMemoryModel = f12.vulkanMemoryModel;
    on12.vulkanMemoryModelDeviceScope = f12.vulkanMemoryModelDeviceScope;
  }
  qci.queueFamilyIndex = dev->family;
  qci.queueCount = dev->n_queues;
  qci.pQueuePriorities = priorities;
  dci.pNext = &on;
  dci.queueCreateInfoCount = 1;
  dci.pQueueCreateInfos = &qci;
  r = vkCreateDevice (p->handle, &dci, NULL, &dev->handle);
  if (r != VK_SUCCESS) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "Vulkan unavailable: cannot create a device on %s (%s)",
        p->props.deviceName, gst_rk_vulkan_result_to_string (r));
    g_free (dev->ring_unsupported);
    g_mutex_clear (&dev->lock);
    g_free (dev);
    return NULL;
  }
  volkLoadDeviceTable (&dev->vk, dev->handle);

  dev->queues = g_new0 (GstRkVulkanQueue, dev->n_queues);
  for (guint i = 0; i < dev->n_queues; i++) {
    dev->vk.vkGetDeviceQueue (dev->handle, dev->family, i,
        &dev->queues[i].handle);
    g_mutex_init (&dev->queues[i].lock);
  }
  dev->pipelines = g_hash_table_new (NULL, NULL);

  gst_rk_device_init (&dev->parent, backend, index, p->props.deviceName,
      p->props.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU);

  if (!make_layouts (dev, error)) {
    gst_rk_vulkan_device_close (dev);
    return NULL;
  }
  GST_INFO ("opened %s: subgroup %u, persistent kernels: %s, %s atomics, "
      "%s payloads, %u queues", p->props.deviceName, dev->subgroup_size,
      dev->ring_unsupported ? dev->ring_unsupported : "yes",
      dev->memory_model ? "memory model" : "coherent",
      dev->staging_copy ? "staged" : "direct", dev->n_queues);
  return dev;
}

void
gst_rk_vulkan_device_close (GstRkVulkanDevice * dev)
{
  GHashTableIter it;
  gpointer pipeline;

  /* Kernels given up on may still be running: wait, then free them. */
  dev->vk.vkDeviceWaitIdle (dev->handle);
  while (dev->abandoned) {
    Abandoned *a = dev->abandoned->data;

    a->free_func (a->data);
    g_free (a);
    dev->abandoned = g_slist_delete_link (dev->abandoned, dev->abandoned);
  }

  g_hash_table_iter_init (&it, dev->pipelines);
  while (g_hash_table_iter_next (&it, NULL, &pipeline))
    dev->vk.vkDestroyPipeline (dev->handle, pipeline, NULL);
  g_hash_table_destroy (dev->pipelines);
  if (dev->cache)
    dev->vk.vkDestroyPipelineCache (dev->handle, dev->cache, NULL);
  if (dev->ring_layout)
    dev->vk.vkDestroyPipelineLayout (dev->handle, dev->ring_layout, NULL);
  if (dev->bulk_layout)
    dev->vk.vkDestroyPipelineLayout (dev->handle, dev->bulk_layout, NULL);
  if (dev->ring_set_layout)
    dev->vk.vkDestroyDescriptorSetLayout (dev->handle, dev->ring_set_layout,
        NULL);
  if (dev->bulk_set_layout)
    dev->vk.vkDestroyDescriptorSetLayout (dev->handle, dev->bulk_set_layout,
        NULL);
  dev->vk.vkDestroyDevice (dev->handle, NULL);

  for (guint i = 0; i < dev->n_queues; i++)
    g_mutex_clear (&dev->queues[i].lock);
  g_free (dev->queues);
  g_free (dev->ring_unsupported);
  g_mutex_clear (&dev->lock);
  gst_rk_device_clear (&dev->parent);
  g_free (dev);
}

/**
 * gst_rk_vulkan_device_check:
 * @what: what was being done, for the message
 *
 * Returns: %TRUE for VK_SUCCESS; otherwise %FALSE with @error. A lost
 * device stays lost: every later submission fails at once.
 */
gboolean
gst_rk_vulkan_device_check (GstRkVulkanDevice * dev, VkResult result,
    const gchar * what, GError ** error)
{
  if (result == VK_SUCCESS)
    return TRUE;
  if (result == VK_ERROR_DEVICE_LOST) {
    g_atomic_int_set (&dev->lost, 1);
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "the Vulkan device %s was lost (VK_ERROR_DEVICE_LOST while %s)",
        dev->parent.name, what);
  } else {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "Vulkan error %s while %s on %s",
        gst_rk_vulkan_result_to_string (result), what, dev->parent.name);
  }
  return FALSE;
}

/* ---- Memory ---- */

static gint
pick_memory_type (GstRkVulkanDevice * dev, guint32 allowed,
    VkMemoryPropertyFlags required, VkMemoryPropertyFlags preferred)
{
  for (guint pass = 0; pass < 2; pass++) {
    VkMemoryPropertyFlags want = pass == 0 ? required | preferred : required;

    for (guint32 i = 0; i < dev->memory.memoryTypeCount; i++)
      if ((allowed & (1u << i)) &&
          (dev->memory.memoryTypes[i].propertyFlags & want) == want)
        return (gint) i;
  }
  return -1;
}

/**
 * gst_rk_vulkan_buffer_alloc:
 * @kernel: (nullable): the registry name of the kernel it is for; %NULL for
 *   payload memory, which belongs to the device (for GST_RK_FAULT)
 *
 * Makes a storage buffer of @size bytes with memory of its own, counted in
 * the device's memory metrics (device or host heap).
 */
gboolean
gst_rk_vulkan_buffer_alloc (GstRkVulkanDevice * dev, GstRkVulkanBuffer * buf,
    VkDeviceSize size, GstRkVulkanMemory kind, const gchar * kernel,
    GError ** error)
{
  VkBufferCreateInfo bci = { VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO };
  VkMemoryAllocateInfo mai = { VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO };
  VkMemoryRequirements req;
  VkMemoryPropertyFlags flags;
  gint type;
  VkResult r;

  memset (buf, 0, sizeof (*buf));
  bci.size = size;
  bci.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
      VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  bci.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  r = dev->vk.vkCreateBuffer (dev->handle, &bci, NULL, &buf->handle);
  if (!gst_rk_vulkan_device_check (dev, r, "creating a buffer", error))
    return FALSE;
  dev->vk.vkGetBufferMemoryRequirements (dev->handle, buf->handle, &req);

  if (kind == GST_RK_VULKAN_MEMORY_SHARED)
    type = pick_memory_type (dev, req.memoryTypeBits,
        VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
        VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
        VK_MEMORY_PROPERTY_HOST_CACHED_BIT);
  else if (kind == GST_RK_VULKAN_MEMORY_PAYLOAD)
    type = pick_memory_type (dev, req.memoryTypeBits,
        VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT |
        VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
        VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, 0);
  else
    type = pick_memory_type (dev, req.memoryTypeBits, 0,
        VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  if (type < 0) {
    dev->vk.vkDestroyBuffer (dev->handle, buf->handle, NULL);
    buf->handle = VK_NULL_HANDLE;
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "%s has no %shost-visible coherent memory", dev->parent.name,
        kind == GST_RK_VULKAN_MEMORY_PAYLOAD ? "device-local " : "");
    return FALSE;
  }
  mai.allocationSize = req.size;
  mai.memoryTypeIndex = (guint32) type;
  if (gst_rk_fault_strikes (kernel ? GST_RK_FAULT_ALLOC : GST_RK_FAULT_MEMORY,
          kernel))
    r = VK_ERROR_OUT_OF_DEVICE_MEMORY;
  else
    r = dev->vk.vkAllocateMemory (dev->handle, &mai, NULL, &buf->memory);
  if (r == VK_SUCCESS)
    r = dev->vk.vkBindBufferMemory (dev->handle, buf->handle, buf->memory, 0);
  flags = dev->memory.memoryTypes[type].propertyFlags;
  if (r == VK_SUCCESS && (flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT))
    r = dev->vk.vkMapMemory (dev->handle, buf->memory, 0, VK_WHOLE_SIZE, 0,
        (void **) &buf->map);
  if (!gst_rk_vulkan_device_check (dev, r, "allocating memory", error)) {
    if (buf->memory)
      dev->vk.vkFreeMemory (dev->handle, buf->memory, NULL);
    dev->vk.vkDestroyBuffer (dev->handle, buf->handle, NULL);
    memset (buf, 0, sizeof (*buf));
    return FALSE;
  }
  buf->size = req.size;
  buf->device_heap = (dev->memory.memoryHeaps[dev->memory.memoryTypes[type].
          heapIndex].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0;
  gst_rk_device_add_memory (&dev->parent,
      buf->device_heap ? (gint64) buf->size : 0,
      buf->device_heap ? 0 : (gint64) buf->size);
  return TRUE;
}

void
gst_rk_vulkan_buffer_free (GstRkVulkanDevice * dev, GstRkVulkanBuffer * buf)
{
  if (buf->handle == VK_NULL_HANDLE)
    return;
  gst_rk_device_add_memory (&dev->parent,
      buf->device_heap ? -(gint64) buf->size : 0,
      buf->device_heap ? 0 : -(gint64) buf->size);
  dev->vk.vkDestroyBuffer (dev->handle, buf->handle, NULL);
  dev->vk.vkFreeMemory (dev->handle, buf->memory, NULL);
  memset (buf, 0, sizeof (*buf));
}

/* ---- Pipelines ---- */

/**
 * gst_rk_vulkan_device_get_pipeline:
 * @ring: a persistent ring shader (workgroup = one subgroup) rather than a
 *   bulk shader
 *
 * Returns: (transfer none): the pipeline of @shader, made on first use
 * through the device's pipeline cache and kept until the device closes.
 */
VkPipeline
gst_rk_vulkan_device_get_pipeline (GstRkVulkanDevice * dev,
    const GstRkVulkanShader * shader, gboolean ring, const gchar * kernel,
    GError ** error)
{
  VkShaderModuleCreateInfo smci = {
    VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO
  };
  VkComputePipelineCreateInfo cpci = {
    VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO
  };
  VkSpecializationMapEntry entry = { RKV_SPEC_SUBGROUP_SIZE, 0,
    sizeof (guint32)
  };
  VkSpecializationInfo spec = { 1, &entry, sizeof (guint32),
    &dev->subgroup_size
  };
  VkShaderModule module = VK_NULL_HANDLE;
  VkPipeline pipeline;
  VkResult r;

  g_mutex_lock (&dev->lock);
  pipeline = g_hash_table_lookup (dev->pipelines, shader->code);
  if (pipeline) {
    g_mutex_unlock (&dev->lock);
    return pipeline;
  }

  smci.codeSize = shader->size;
  smci.pCode = shader->code;
  r = dev->vk.vkCreateShaderModule (dev->handle, &smci, NULL, &module);
  if (r == VK_SUCCESS) {
    cpci.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    cpci.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    cpci.stage.module = module;
    cpci.stage.pName = shader->entry ? shader->entry : "main";
    if (ring) {
      cpci.stage.pSpecializationInfo = &spec;
      cpci.layout = dev->ring_layout;
    } else {
      cpci.flags = VK_PIPELINE_CREATE_DISPATCH_BASE_BIT;
      cpci.layout = dev->bulk_layout;
    }
    if (gst_rk_fault_strikes (GST_RK_FAULT_PIPELINE, kernel))
      r = VK_ERROR_OUT_OF_HOST_MEMORY;
    else
      r = dev->vk.vkCreateComputePipelines (dev->handle, dev->cache, 1,
          &cpci, NULL, &pipeline);
    dev->vk.vkDestroyShaderModule (dev->handle, module, NULL);
  }
  if (r == VK_SUCCESS)
    g_hash_table_insert (dev->pipelines, (gpointer) shader->code, pipeline);
  g_mutex_unlock (&dev->lock);

  if (!gst_rk_vulkan_device_check (dev, r, "making a compute pipeline",
          error))
    return VK_NULL_HANDLE;
  return pipeline;
}

/* ---- Queues ---- */

/**
 * gst_rk_vulkan_queue_pick:
 * @rings: how many persistent kernels use each queue
 * @ring: for a persistent kernel's dispatches
 * @next: (inout): where the round robin of other work goes on
 *
 * A persistent kernel's dispatch spins for as long as its budget lasts,
 * and work submitted behind it on the same queue waits that long (on a
 * discrete GPU, each time, for milliseconds). So where the device has
 * several queues, queue 0 never takes a ring: rings spread over the others,
 * the least used first, and other work (event-driven kernels, bulk
 * dispatches) goes round robin over the queues that hold no ring, queue 0
 * at least. A single queue is shared by all.
 *
 * Returns: the index of the queue to use
 */
guint
gst_rk_vulkan_queue_pick (const guint * rings, guint n_queues, gboolean ring,
    guint * next)
{
  guint best = 1, i;

  if (n_queues <= 1)
    return 0;
  if (ring) {
    for (i = 2; i < n_queues; i++)
      if (rings[i] < rings[best])
        best = i;
    return best;
  }
  for (i = 0; i < n_queues; i++) {
    guint q = (*next + i) % n_queues;

    if (rings[q] == 0) {
      *next = q + 1;
      return q;
    }
  }
  return 0;
}

/**
 * gst_rk_vulkan_device_take_queue:
 * @ring: for a persistent kernel's dispatches
 *
 * The queue a new kernel submits to (gst_rk_vulkan_queue_pick()); give it
 * back with gst_rk_vulkan_device_release_queue().
 */
GstRkVulkanQueue *
gst_rk_vulkan_device_take_queue (GstRkVulkanDevice * dev, gboolean ring)
{
  guint rings[MAX_QUEUES], q;

  g_mutex_lock (&dev->lock);
  for (guint i = 0; i < dev->n_queues; i++)
    rings[i] = dev->queues[i].rings;
  q = gst_rk_vulkan_queue_pick (rings, dev->n_queues, ring, &dev->next_queue);
  if (ring) {
    if (dev->queues[q].rings > 0 || dev->n_queues == 1)
      GST_INFO ("%s: a persistent kernel shares queue %u of %u with %s",
          dev->parent.name, q, dev->n_queues, dev->n_queues == 1 ?
          "all other work (the device has one)" : "another one");
    dev->queues[q].rings++;
  }
  g_mutex_unlock (&dev->lock);
  return &dev->queues[q];
}

void
gst_rk_vulkan_device_release_queue (GstRkVulkanDevice * dev,
    GstRkVulkanQueue * queue, gboolean ring)
{
  if (!ring)
    return;
  g_mutex_lock (&dev->lock);
  g_assert (queue->rings > 0);
  queue->rings--;
  g_mutex_unlock (&dev->lock);
}

/**
 * gst_rk_vulkan_device_submit:
 * @hang: (out): set when an injected fault says the fence never signals
 *
 * Submits one command buffer. A lost device refuses at once.
 */
VkResult
gst_rk_vulkan_device_submit (GstRkVulkanDevice * dev, GstRkVulkanQueue * queue,
    VkCommandBuffer cb, VkFence fence, gboolean * hang)
{
  VkSubmitInfo si = { VK_STRUCTURE_TYPE_SUBMIT_INFO };
  VkResult r;

  *hang = FALSE;
  if (g_atomic_int_get (&dev->lost))
    return VK_ERROR_DEVICE_LOST;
  switch (take_fault ()) {
    case GST_RK_VULKAN_FAULT_DEVICE_LOST:
      GST_WARNING ("injected fault: device lost");
      g_atomic_int_set (&dev->lost, 1);
      return VK_ERROR_DEVICE_LOST;
    case GST_RK_VULKAN_FAULT_HANG:
      GST_WARNING ("injected fault: dispatch hangs");
      *hang = TRUE;
      break;
    default:
      break;
  }

  si.commandBufferCount = 1;
  si.pCommandBuffers = &cb;
  g_mutex_lock (&queue->lock);
  r = dev->vk.vkQueueSubmit (queue->handle, 1, &si, fence);
  g_mutex_unlock (&queue->lock);
  return r;
}

/**
 * gst_rk_vulkan_device_abandon:
 *
 * Keeps resources that a dispatch which did not stop may still use: they
 * are freed with @free_func when the device closes, after it is idle.
 */
void
gst_rk_vulkan_device_abandon (GstRkVulkanDevice * dev,
    GDestroyNotify free_func, gpointer data)
{
  Abandoned *a = g_new (Abandoned, 1);

  a->free_func = free_func;
  a->data = data;
  g_mutex_lock (&dev->lock);
  dev->abandoned = g_slist_prepend (dev->abandoned, a);
  g_mutex_unlock (&dev->lock);
}
