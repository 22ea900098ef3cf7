/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_VULKAN_KERNEL_H__
#define __GST_RK_VULKAN_KERNEL_H__

#include "gstrkbackend.h"

G_BEGIN_DECLS

/**
 * GstRkVulkanShader:
 * @code: SPIR-V, embedded at build time (glslc -mfmt=c)
 * @size: bytes of @code
 */
typedef struct
{
  const guint32 *code;
  gsize size;
} GstRkVulkanShader;

#define GST_RK_VULKAN_SHADER(array) { (array), sizeof (array) }

/**
 * GstRkVulkanKernel:
 * @name: the kernel's registry name
 * @ring_memory_model: persistent ring shader, memory model atomics build
 *   (empty for kernels that cannot run persistent: frame kernels)
 * @ring_coherent: the same, coherent/volatile build
 * @bulk: one message per dispatch (event-driven mode; in persistent mode,
 *   messages whose payload does not fit a ring slot)
 * @check: (nullable): refuses an input before it is dispatched, with the
 *   same error as the CPU reference
 * @output_size: most bytes one input of @in_size bytes may yield
 * @grid: workgroups for one input; the shader's workgroup size is its own
 *
 * How a kernel runs on the Vulkan backend: GLSL files (one per kernel)
 * built by glslc in the variants it has, and a few host-side callbacks.
 * Each input yields at most one output.
 */
typedef struct
{
  const gchar *name;
  GstRkVulkanShader ring_memory_model;
  GstRkVulkanShader ring_coherent;
  GstRkVulkanShader bulk;
  gboolean (*check) (const GstRkParams * params, GstBuffer * payload,
      GError ** error);
  gsize (*output_size) (const GstRkParams * params, gsize in_size);
  void (*grid) (const GstRkParams * params, gsize in_size, guint32 groups[3]);
} GstRkVulkanKernel;

/* Built-in kernels (backends/vulkan/kernels/) */
extern const GstRkVulkanKernel gst_rk_vulkan_kernel_echo;
extern const GstRkVulkanKernel gst_rk_vulkan_kernel_gray;

G_END_DECLS

#endif /* __GST_RK_VULKAN_KERNEL_H__ */
