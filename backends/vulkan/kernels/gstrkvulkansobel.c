/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkvulkankernel.h"
#include "gstrkerror.h"
#include "gstrkframe.h"

/* kernels/sobel.comp: a frame kernel, event-driven only */
static const guint32 sobel_bulk[] =
#include "sobel-bulk.spv.h"
    ;

static gboolean
sobel_check (GstRkConfig * config, GstBuffer * in, GError ** error)
{
  const GstRkParams *p = &config->params;

  if (p->out_format != RK_FORMAT_GRAY8) {
    gst_rk_error_not_negotiated (error, "sobel");
    return FALSE;
  }
  return gst_rk_frame_check_input (p, in ? gst_buffer_get_size (in) : 0,
      error);
}

static gsize
sobel_output_size (const GstRkParams * p, gsize in_size)
{
  return p->out_size;
}

/* One invocation per 4 output bytes, 64 per workgroup; one row of
 * workgroups per image row */
static void
sobel_grid (const GstRkParams * p, gsize in_size, guint32 groups[3])
{
  groups[0] = (p->out_stride[0] / 4 + 63) / 64;
  groups[1] = p->height;
}

const GstRkVulkanKernel gst_rk_vulkan_kernel_sobel = {
  .name = "sobel",
  .bulk = GST_RK_VULKAN_SHADER (sobel_bulk),
  .check = sobel_check,
  .output_size = sobel_output_size,
  .grid = sobel_grid,
};
