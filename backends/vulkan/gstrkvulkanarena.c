/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkvulkanarena.h"

/* Growth step: a 1080p RGBA frame and its GRAY8 output fit the first. */
#define ARENA_GRANULE (4u << 20)

/**
 * gst_rk_vulkan_arena_ensure:
 * @moved: (out): set when the buffers changed (descriptors must follow)
 *
 * Makes the arena hold at least @size bytes. Call only while no dispatch
 * uses it.
 */
gboolean
gst_rk_vulkan_arena_ensure (GstRkVulkanDevice * dev, GstRkVulkanArena * arena,
    VkDeviceSize size, gboolean * moved, const gchar * kernel,
    GError ** error)
{
  VkDeviceSize want;

  *moved = FALSE;
  if (arena->staging.handle && arena->staging.size >= size)
    return TRUE;

  /* Grow by half again at least, so a slowly growing stream reallocates
   * rarely. */
  want = MAX (size, arena->staging.size + arena->staging.size / 2);
  want = (want + ARENA_GRANULE - 1) / ARENA_GRANULE * ARENA_GRANULE;
  gst_rk_vulkan_arena_free (dev, arena);
  *moved = TRUE;
  if (!gst_rk_vulkan_buffer_alloc (dev, &arena->staging, want,
          GST_RK_VULKAN_MEMORY_SHARED, kernel, error))
    return FALSE;
  if (dev->staging_copy && !gst_rk_vulkan_buffer_alloc (dev, &arena->device,
          want, GST_RK_VULKAN_MEMORY_DEVICE, kernel, error)) {
    gst_rk_vulkan_buffer_free (dev, &arena->staging);
    return FALSE;
  }
  return TRUE;
}

void
gst_rk_vulkan_arena_free (GstRkVulkanDevice * dev, GstRkVulkanArena * arena)
{
  gst_rk_vulkan_buffer_free (dev, &arena->device);
  gst_rk_vulkan_buffer_free (dev, &arena->staging);
}

/* The buffer shaders read and write. */
VkBuffer
gst_rk_vulkan_arena_get_shader_buffer (GstRkVulkanArena * arena)
{
  return arena->device.handle ? arena->device.handle : arena->staging.handle;
}
