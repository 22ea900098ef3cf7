/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkvulkankernel.h"
#include "gstrkerrorprivate.h"
#include "gstrkframe.h"

/* kernels/gray.comp: a frame kernel, event-driven only */
static const guint32 gray_bulk[] =
#include "gray-bulk.spv.h"
    ;

/* The CPU reference's checks, with its words: the conformance suite
 * compares the errors too. */
static gboolean
gray_check (GstRkConfig * config, GstBuffer * in, GError ** error)
{
  const GstRkParams *p = &config->params;

  if (p->out_format != RK_FORMAT_GRAY8) {
    gst_rk_error_not_negotiated (error, "gray");
    return FALSE;
  }
  if (!gst_rk_frame_check_input (p, in ? gst_buffer_get_size (in) : 0,
          error))
    return FALSE;
  return TRUE;
}

const GstRkVulkanKernel gst_rk_vulkan_kernel_gray = {
  .name = "gray",
  .bulk = GST_RK_VULKAN_SHADER (gray_bulk),
  .check = gray_check,
  .output_size = gst_rk_vulkan_frame_output_size,
  .grid = gst_rk_vulkan_grid_output_words,
};
