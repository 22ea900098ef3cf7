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
 * @entry: (nullable): its entry point; %NULL for "main" (user kernels
 *   name theirs)
 */
typedef struct
{
  const guint32 *code;
  gsize size;
  const gchar *entry;
} GstRkVulkanShader;

#define GST_RK_VULKAN_SHADER(array) { (array), sizeof (array) }

typedef struct _GstRkVulkanCollect GstRkVulkanCollect;

/**
 * GstRkVulkanFeatures:
 * @GST_RK_VULKAN_NEEDS_FLOAT64: the shader uses doubles (shaderFloat64)
 * @GST_RK_VULKAN_NEEDS_INT64: the shader uses 64-bit integers (shaderInt64)
 *
 * Optional device features a kernel's shaders need; launching it on a
 * device without them fails with what is missing.
 */
typedef enum
{
  GST_RK_VULKAN_NEEDS_FLOAT64 = 1 << 0,
  GST_RK_VULKAN_NEEDS_INT64 = 1 << 1,
} GstRkVulkanFeatures;

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
 * @output_size: most bytes of the DATA output one input of @in_size bytes
 *   may yield (the region the shader writes it to)
 * @grid: (nullable): workgroups for one input (kernels with @pass_grid
 *   need none); the shader's workgroup size is its own
 * @features: what the shaders need of the device
 * @passes: (nullable): dispatches per message (NULL: one)
 * @pass_grid: (nullable): workgroups of each pass, when there are several
 *   (groups[2] must stay 1: gl_WorkGroupID.z is the pass)
 * @aux_size: (nullable): bytes of the message's auxiliary region (extra
 *   outputs such as NOTIFY payloads, zeroed before the dispatch)
 * @scratch_size: (nullable): bytes of device scratch a message needs
 * @collect: (nullable): turns what the device left for one message into
 *   its outputs, in order (NULL: gst_rk_vulkan_collect_default(), the one
 *   output the info block describes)
 * @user_data: for the implementation (user kernels keep their own)
 *
 * How a kernel runs on the Vulkan backend: GLSL files (one per kernel)
 * built by glslc in the variants it has, and a few host-side callbacks.
 * A ring shader yields at most one output per input; bulk dispatches yield
 * what @collect makes of them.
 */
typedef struct
{
  const gchar *name;
  GstRkVulkanShader ring_memory_model;
  GstRkVulkanShader ring_coherent;
  GstRkVulkanShader bulk;
  gboolean (*check) (GstRkConfig * config, GstBuffer * payload,
      GError ** error);
  gsize (*output_size) (const GstRkParams * params, gsize in_size);
  void (*grid) (const GstRkParams * params, gsize in_size, guint32 groups[3]);

  guint32 features;
  guint (*passes) (GstRkConfig * config, gsize in_size);
  void (*pass_grid) (GstRkConfig * config, gsize in_size, guint pass,
      guint32 groups[3]);
  gsize (*aux_size) (GstRkConfig * config, gsize in_size);
  gsize (*scratch_size) (GstRkConfig * config, gsize in_size);
  gboolean (*collect) (GstRkVulkanCollect * c, GError ** error);
  gconstpointer user_data;
} GstRkVulkanKernel;

/**
 * GstRkVulkanOutput:
 * @index: the input it comes from (index in the batch)
 * @type: RK_MSG_* of the output
 * @payload: (nullable): the output
 */
typedef struct
{
  guint index;
  guint32 type;
  GstBuffer *payload;
} GstRkVulkanOutput;

/**
 * GstRkVulkanCollect:
 * @kernel: the kernel (for output buffers from its pool)
 * @impl: its implementation
 * @config: the configuration the input ran under
 * @msg: the input
 * @index: its index in the batch
 * @info: its info block (RKV_INFO_*), completed by the device
 * @out: the DATA output region
 * @out_capacity: its size
 * @aux: the auxiliary region (@aux_size bytes)
 * @aux_size: its size
 * @outputs: (element-type GstRkVulkanOutput): where the outputs go, in
 *   order
 * @out_memory: (nullable): payload memory on the device holding a copy of
 *   @out (the kernel's outputs stay on the device); @out itself is then
 *   not read back from a staging device
 *
 * What a bulk dispatch left for one message, read after the submission.
 */
struct _GstRkVulkanCollect
{
  GstRkKernel *kernel;
  const GstRkVulkanKernel *impl;
  GstRkConfig *config;
  const GstRkMessage *msg;
  guint index;
  const guint32 *info;
  const guint8 *out;
  gsize out_capacity;
  const guint8 *aux;
  gsize aux_size;
  GArray *outputs;
  GstMemory *out_memory;
};

void gst_rk_vulkan_collect_push (GstRkVulkanCollect * c, guint32 type,
    GstBuffer * payload);
void gst_rk_vulkan_collect_push_input (GstRkVulkanCollect * c);
gboolean gst_rk_vulkan_collect_default (GstRkVulkanCollect * c,
    GError ** error);

/* Shared by the frame kernels */
gsize gst_rk_vulkan_frame_output_size (const GstRkParams * p, gsize in_size);
void gst_rk_vulkan_grid_output_words (const GstRkParams * p, gsize in_size,
    guint32 groups[3]);

/* Built-in kernels (backends/vulkan/kernels/) */
extern const GstRkVulkanKernel gst_rk_vulkan_kernel_echo;
extern const GstRkVulkanKernel gst_rk_vulkan_kernel_gray;
extern const GstRkVulkanKernel gst_rk_vulkan_kernel_blur;
extern const GstRkVulkanKernel gst_rk_vulkan_kernel_sobel;
extern const GstRkVulkanKernel gst_rk_vulkan_kernel_bgsub;
extern const GstRkVulkanKernel gst_rk_vulkan_kernel_fir;
extern const GstRkVulkanKernel gst_rk_vulkan_kernel_spectrum;
extern const GstRkVulkanKernel gst_rk_vulkan_kernel_anomaly;

G_END_DECLS

#endif /* __GST_RK_VULKAN_KERNEL_H__ */
