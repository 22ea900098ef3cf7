/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gstrkvulkankernel.h"
#include "gstrkaudio.h"
#include "gstrkerrorprivate.h"
#include "gstrkkernellayouts.h"

/* kernels/spectrum.comp: event-driven only, two passes per block of the
 * CPU's framing; the interval messages come back in the aux region. */
static const guint32 spectrum_bulk[] =
#include "spectrum-bulk.spv.h"
    ;

#define AUX_HEADER 16

static gboolean
spectrum_check (GstRkConfig * config, GstBuffer * in, GError ** error)
{
  const GstRkParams *p = &config->params;

  if (config->blob == NULL || p->in_format != RK_FORMAT_F32LE) {
    gst_rk_error_not_negotiated (error, "spectrum");
    return FALSE;
  }
  if (in == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "rkspectrum received a message without audio");
    return FALSE;
  }
  return gst_rk_audio_check_input (p, gst_buffer_get_size (in), error);
}

static gsize
spectrum_output_size (const GstRkParams * p, gsize in_size)
{
  return 0;
}

static const GstRkSpectrumBlob *
spectrum_blob (GstRkConfig * config)
{
  return g_bytes_get_data (config->blob, NULL);
}

static guint64
spectrum_frames (GstRkConfig * config, gsize in_size)
{
  return in_size / ((gsize) config->params.channels * 4);
}

/* Blocks: each ends at an FFT, an interval's end or the buffer's end */
static guint
spectrum_passes (GstRkConfig * config, gsize in_size)
{
  const GstRkSpectrumBlob *b = spectrum_blob (config);
  guint64 f = spectrum_frames (config, in_size);

  return (guint) (2 * (f / b->nfft + f / b->frames_per_interval + 3));
}

static void
spectrum_pass_grid (GstRkConfig * config, gsize in_size, guint pass,
    guint32 groups[3])
{
  if (pass % 2 == 0)
    groups[0] = spectrum_blob (config)->out_channels;
}

static gsize
spectrum_record_size (const GstRkSpectrumBlob * b)
{
  return sizeof (GstRkSpectrumEvent) + (gsize) b->out_channels * b->bands * 4;
}

/* Intervals that may end in one buffer */
static gsize
spectrum_aux_size (GstRkConfig * config, gsize in_size)
{
  const GstRkSpectrumBlob *b = spectrum_blob (config);
  guint64 f = spectrum_frames (config, in_size);

  return AUX_HEADER + (f / b->frames_per_interval + 2) *
      spectrum_record_size (b);
}

/* The FFT's re and im per output channel */
static gsize
spectrum_scratch_size (GstRkConfig * config, gsize in_size)
{
  const GstRkSpectrumBlob *b = spectrum_blob (config);

  return (gsize) b->out_channels * 2 * (b->m ? b->m : b->nfft) * 4;
}

/* The interval messages in order, then the audio */
static gboolean
spectrum_collect (GstRkVulkanCollect * c, GError ** error)
{
  gsize size = spectrum_record_size (spectrum_blob (c->config));
  guint32 n;

  memcpy (&n, c->aux + 4, sizeof (n));
  for (guint i = 0; i < n; i++)
    gst_rk_vulkan_collect_push (c, RK_MSG_NOTIFY,
        gst_buffer_new_memdup (c->aux + AUX_HEADER + i * size, size));
  gst_rk_vulkan_collect_push_input (c);
  return TRUE;
}

const GstRkVulkanKernel gst_rk_vulkan_kernel_spectrum = {
  .name = "spectrum",
  .bulk = GST_RK_VULKAN_SHADER (spectrum_bulk),
  .check = spectrum_check,
  .output_size = spectrum_output_size,
  .features = GST_RK_VULKAN_NEEDS_FLOAT64 | GST_RK_VULKAN_NEEDS_INT64,
  .passes = spectrum_passes,
  .pass_grid = spectrum_pass_grid,
  .aux_size = spectrum_aux_size,
  .scratch_size = spectrum_scratch_size,
  .collect = spectrum_collect,
};
