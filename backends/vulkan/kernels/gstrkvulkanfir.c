/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkvulkankernel.h"
#include "gstrkaudio.h"
#include "gstrkerrorprivate.h"
#include "gstrkkernellayouts.h"

/* kernels/fir.comp: event-driven only, one pass per segment of the buffer
 * (a block of GST_RK_FIR_BLOCK frames or part of one), then one that
 * advances the positions. */
static const guint32 fir_bulk[] =
#include "fir-bulk.spv.h"
    ;

G_STATIC_ASSERT (GST_RK_FIR_BLOCK == 64);       /* fir.comp's P */

static gboolean
fir_check (GstRkConfig * config, GstBuffer * in, GError ** error)
{
  const GstRkParams *p = &config->params;
  const GstRkFirBlob *blob;

  if (config->blob == NULL || p->in_format != RK_FORMAT_F32LE) {
    gst_rk_error_not_negotiated (error, "fir");
    return FALSE;
  }
  blob = g_bytes_get_data (config->blob, NULL);
  if (blob->block != GST_RK_FIR_BLOCK) {
    gst_rk_error_not_negotiated (error, "fir");
    return FALSE;
  }
  if (in == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "rkfir received a message without audio");
    return FALSE;
  }
  return gst_rk_audio_check_input (p, gst_buffer_get_size (in), error);
}

static gsize
fir_output_size (const GstRkParams * p, gsize in_size)
{
  return in_size;
}

static guint
fir_frames (GstRkConfig * config, gsize in_size)
{
  return (guint) (in_size / ((gsize) config->params.channels * 4));
}

/* Segments: at most frames / P + 2 whatever the position in the block */
static guint
fir_passes (GstRkConfig * config, gsize in_size)
{
  return fir_frames (config, in_size) / GST_RK_FIR_BLOCK + 3;
}

static void
fir_pass_grid (GstRkConfig * config, gsize in_size, guint pass,
    guint32 groups[3])
{
  if (pass + 1 < fir_passes (config, in_size))
    groups[0] = (config->params.channels + 1) / 2;
}

/* An empty buffer goes through as it is, as on the CPU */
static gboolean
fir_collect (GstRkVulkanCollect * c, GError ** error)
{
  if (gst_buffer_get_size (c->msg->payload) == 0) {
    gst_rk_vulkan_collect_push_input (c);
    return TRUE;
  }
  return gst_rk_vulkan_collect_default (c, error);
}

const GstRkVulkanKernel gst_rk_vulkan_kernel_fir = {
  .name = "fir",
  .bulk = GST_RK_VULKAN_SHADER (fir_bulk),
  .check = fir_check,
  .output_size = fir_output_size,
  .passes = fir_passes,
  .pass_grid = fir_pass_grid,
  .collect = fir_collect,
};
