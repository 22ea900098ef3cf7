/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkvulkankernel.h"
#include "gstrkerrorprivate.h"
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

const GstRkVulkanKernel gst_rk_vulkan_kernel_sobel = {
  .name = "sobel",
  .bulk = GST_RK_VULKAN_SHADER (sobel_bulk),
  .check = sobel_check,
  .output_size = gst_rk_vulkan_frame_output_size,
  .grid = gst_rk_vulkan_grid_output_words,
};
