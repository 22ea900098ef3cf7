/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gstrkvulkankernel.h"
#include "gstrkerrorprivate.h"
#include "gstrkframe.h"
#include "gstrkkernellayouts.h"

/* kernels/bgsub.comp: a frame kernel, event-driven only, two passes; the
 * aux region says whether the frame crossed the motion threshold. */
static const guint32 bgsub_bulk[] =
#include "bgsub-bulk.spv.h"
    ;

#define AUX_WORDS 8

static gboolean
bgsub_check (GstRkConfig * config, GstBuffer * in, GError ** error)
{
  const GstRkParams *p = &config->params;

  if (config->blob == NULL || p->out_format != RK_FORMAT_GRAY8 ||
      config->state_size < sizeof (GstRkBgsubState) +
      (gsize) p->width * p->height * 2) {
    gst_rk_error_not_negotiated (error, "bgsub");
    return FALSE;
  }
  return gst_rk_frame_check_input (p, in ? gst_buffer_get_size (in) : 0,
      error);
}

static guint
bgsub_passes (GstRkConfig * config, gsize in_size)
{
  return 2;
}

/* Pass 0: one invocation per 4 output bytes, a row of workgroups per
 * image row; pass 1: one workgroup */
static void
bgsub_pass_grid (GstRkConfig * config, gsize in_size, guint pass,
    guint32 groups[3])
{
  const GstRkParams *p = &config->params;

  if (pass == 0)
    gst_rk_vulkan_grid_output_words (p, in_size, groups);
}

static gsize
bgsub_aux_size (GstRkConfig * config, gsize in_size)
{
  return AUX_WORDS * 4;
}

/* The motion event first, then the mask, as on the CPU */
static gboolean
bgsub_collect (GstRkVulkanCollect * c, GError ** error)
{
  const GstRkParams *p = &c->config->params;
  guint32 aux[AUX_WORDS];

  memcpy (aux, c->aux, sizeof (aux));
  if (aux[1]) {
    GstRkMotionEvent ev = { 0, };

    ev.frame = aux[4] | (guint64) aux[5] << 32;
    ev.foreground = aux[0];
    ev.pixels = (guint64) p->width * p->height;
    ev.timestamp = GST_BUFFER_PTS (c->msg->payload);
    ev.active = aux[2];
    gst_rk_vulkan_collect_push (c, RK_MSG_NOTIFY,
        gst_buffer_new_memdup (&ev, sizeof (ev)));
  }
  return gst_rk_vulkan_collect_default (c, error);
}

const GstRkVulkanKernel gst_rk_vulkan_kernel_bgsub = {
  .name = "bgsub",
  .bulk = GST_RK_VULKAN_SHADER (bgsub_bulk),
  .check = bgsub_check,
  .output_size = gst_rk_vulkan_frame_output_size,
  .passes = bgsub_passes,
  .pass_grid = bgsub_pass_grid,
  .aux_size = bgsub_aux_size,
  .collect = bgsub_collect,
};
