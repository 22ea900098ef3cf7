/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkvulkankernel.h"

/* kernels/echo.comp, built by glslc (backends/vulkan/meson.build) */
static const guint32 echo_ring_mm[] =
#include "echo-ring-mm.spv.h"
    ;
static const guint32 echo_ring_coherent[] =
#include "echo-ring-coherent.spv.h"
    ;
static const guint32 echo_bulk[] =
#include "echo-bulk.spv.h"
    ;

static gsize
echo_output_size (const GstRkParams * params, gsize in_size)
{
  return in_size;
}

/* 64 invocations of 16 bytes each per workgroup */
static void
echo_grid (const GstRkParams * params, gsize in_size, guint32 groups[3])
{
  groups[0] = (guint32) ((in_size + 1023) / 1024);
}

const GstRkVulkanKernel gst_rk_vulkan_kernel_echo = {
  .name = "echo",
  .ring_memory_model = GST_RK_VULKAN_SHADER (echo_ring_mm),
  .ring_coherent = GST_RK_VULKAN_SHADER (echo_ring_coherent),
  .bulk = GST_RK_VULKAN_SHADER (echo_bulk),
  .output_size = echo_output_size,
  .grid = echo_grid,
};
