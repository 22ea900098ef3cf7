/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkvulkankernel.h"
#include "gstrkerror.h"
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
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "rkgray received a buffer before its caps were negotiated");
    return FALSE;
  }
  if (in == NULL || gst_buffer_get_size (in) < p->in_size) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "buffer of %" G_GSIZE_FORMAT " bytes is smaller than a %ux%u %s "
        "frame (%u bytes)", in ? gst_buffer_get_size (in) : 0, p->width,
        p->height, gst_rk_format_to_string (p->in_format), p->in_size);
    return FALSE;
  }
  return TRUE;
}

static gsize
gray_output_size (const GstRkParams * p, gsize in_size)
{
  return p->out_size;
}

/* One invocation per 4 output bytes, 64 per workgroup; one row of
 * workgroups per image row */
static void
gray_grid (const GstRkParams * p, gsize in_size, guint32 groups[3])
{
  groups[0] = (p->out_stride[0] / 4 + 63) / 64;
  groups[1] = p->height;
}

const GstRkVulkanKernel gst_rk_vulkan_kernel_gray = {
  .name = "gray",
  .bulk = GST_RK_VULKAN_SHADER (gray_bulk),
  .check = gray_check,
  .output_size = gray_output_size,
  .grid = gray_grid,
};
