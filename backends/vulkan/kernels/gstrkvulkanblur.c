/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkvulkankernel.h"
#include "gstrkerrorprivate.h"
#include "gstrkframe.h"

/* kernels/blur.comp: a frame kernel, event-driven only, two passes */
static const guint32 blur_bulk[] =
#include "blur-bulk.spv.h"
    ;

static gboolean
blur_check (GstRkConfig * config, GstBuffer * in, GError ** error)
{
  const GstRkParams *p = &config->params;

  if (config->blob == NULL || p->in_format == RK_FORMAT_BYTES) {
    gst_rk_error_not_negotiated (error, "blur");
    return FALSE;
  }
  return gst_rk_frame_check_input (p, in ? gst_buffer_get_size (in) : 0,
      error);
}

static guint
blur_bpp (const GstRkParams * p)
{
  return p->in_format == RK_FORMAT_GRAY8 ? 1 : 4;
}

static guint
blur_passes (GstRkConfig * config, gsize in_size)
{
  return 2;
}

/* Pass 0: one invocation per two bytes of a row; pass 1: per output word */
static void
blur_pass_grid (GstRkConfig * config, gsize in_size, guint pass,
    guint32 groups[3])
{
  const GstRkParams *p = &config->params;
  guint words = pass == 0 ? (p->width * blur_bpp (p) + 1) / 2 :
      p->out_stride[0] / 4;

  groups[0] = (words + 63) / 64;
  groups[1] = p->height;
}

/* The horizontal pass's 16-bit rows */
static gsize
blur_scratch_size (GstRkConfig * config, gsize in_size)
{
  const GstRkParams *p = &config->params;

  return (gsize) (p->width * blur_bpp (p) + 1) / 2 * 4 * p->height;
}

const GstRkVulkanKernel gst_rk_vulkan_kernel_blur = {
  .name = "blur",
  .bulk = GST_RK_VULKAN_SHADER (blur_bulk),
  .check = blur_check,
  .output_size = gst_rk_vulkan_frame_output_size,
  .passes = blur_passes,
  .pass_grid = blur_pass_grid,
  .scratch_size = blur_scratch_size,
};
