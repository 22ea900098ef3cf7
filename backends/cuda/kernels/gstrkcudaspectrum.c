/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkspectrum on CUDA: the host side of kernels/gstrkcudaspectrum.cu */

#include "gstrkcudakernel.h"
#include "gstrkcudaspectrum.h"
#include "gstrkcudaspectrum-fatbin.h"
#include "gstrkaudio.h"
#include "gstrkerrorprivate.h"
#include "gstrkkernellayouts.h"

G_STATIC_ASSERT (sizeof (RkCudaSpectrumBlob) == sizeof (GstRkSpectrumBlob));
G_STATIC_ASSERT (sizeof (RkCudaSpectrumState) ==
    sizeof (GstRkSpectrumState));
G_STATIC_ASSERT (sizeof (RkCudaSpectrumEvent) ==
    sizeof (GstRkSpectrumEvent));

/* The audio passes through: no output buffer of its own */
static gsize
spectrum_output_size (const GstRkParams * p, gsize in_size)
{
  return 0;
}

static const GstRkSpectrumBlob *
spectrum_blob (const GstRkConfig * config)
{
  if (config == NULL || config->blob == NULL ||
      g_bytes_get_size (config->blob) < sizeof (GstRkSpectrumBlob))
    return NULL;
  return g_bytes_get_data (config->blob, NULL);
}

/* The CPU reference's checks, with its messages */
static gboolean
spectrum_validate (const GstRkConfig * config, const GstRkParams * p,
    gsize in_size, GError ** error)
{
  if (spectrum_blob (config) == NULL || p->in_format != RK_FORMAT_F32LE ||
      p->channels == 0) {
    gst_rk_error_not_negotiated (error, "spectrum");
    return FALSE;
  }
  return gst_rk_audio_check_input (p, in_size, error);
}

/* One interval's message per round */
static gsize
spectrum_extra_size (const GstRkConfig * config, gsize in_size)
{
  const GstRkSpectrumBlob *b = spectrum_blob (config);

  if (b == NULL)
    return 0;
  return rk_cuda_output_record_size (sizeof (GstRkSpectrumEvent) +
      (gsize) b->out_channels * b->bands * sizeof (gfloat));
}

const GstRkCudaKernel gst_rk_cuda_kernel_spectrum = {
  .name = "spectrum",
  .image = gst_rk_cuda_spectrum_fatbin,
  .output_size = spectrum_output_size,
  .validate = spectrum_validate,
  .phases = 3,
  .flags = GST_RK_CUDA_KERNEL_PASSTHROUGH | GST_RK_CUDA_KERNEL_ROUNDS,
  .extra_size = spectrum_extra_size,
};
