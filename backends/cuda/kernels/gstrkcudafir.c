/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkfir on CUDA: the host side of kernels/gstrkcudafir.cu */

#include "gstrkcudakernel.h"
#include "gstrkcudafir.h"
#include "gstrkcudafir-fatbin.h"
#include "gstrkaudio.h"
#include "gstrkerrorprivate.h"
#include "gstrkkernellayouts.h"

G_STATIC_ASSERT (sizeof (RkCudaFirBlob) == sizeof (GstRkFirBlob));

static gsize
fir_output_size (const GstRkParams * p, gsize in_size)
{
  return in_size;
}

static guint
fir_taps (const GstRkConfig * config)
{
  const GstRkFirBlob *blob;

  if (config == NULL || config->blob == NULL ||
      g_bytes_get_size (config->blob) < sizeof (GstRkFirBlob))
    return 0;
  blob = g_bytes_get_data (config->blob, NULL);
  return blob->n_taps;
}

/* The CPU reference's checks, with its messages */
static gboolean
fir_validate (const GstRkConfig * config, const GstRkParams * p,
    gsize in_size, GError ** error)
{
  if (config == NULL || config->blob == NULL ||
      p->in_format != RK_FORMAT_F32LE || p->channels == 0) {
    gst_rk_error_not_negotiated (error, "fir");
    return FALSE;
  }
  return gst_rk_audio_check_input (p, in_size, error);
}

/* K - 1 samples of history per channel (this port's layout) */
static gsize
fir_history_size (const GstRkConfig * config)
{
  guint K = fir_taps (config);

  return (gsize) (K > 0 ? K - 1 : 0) * config->params.channels *
      sizeof (gfloat);
}

static gsize
fir_state_size (const GstRkConfig * config)
{
  return RK_CUDA_FIR_STATE_HEADER + fir_history_size (config);
}

/* The header and the taps: the partition spectra are the CPU's */
static GBytes *
fir_device_blob (const GstRkConfig * config)
{
  if (config->blob == NULL)
    return NULL;
  return g_bytes_new_from_bytes (config->blob, 0, MIN (g_bytes_get_size
          (config->blob), sizeof (GstRkFirBlob) + (gsize) fir_taps (config) *
          sizeof (gfloat)));
}

const GstRkCudaKernel gst_rk_cuda_kernel_fir = {
  .name = "fir",
  .image = gst_rk_cuda_fir_fatbin,
  .output_size = fir_output_size,
  .validate = fir_validate,
  .phases = 3,
  .state_size = fir_state_size,
  .scratch_size = fir_history_size,
  .device_blob = fir_device_blob,
};
