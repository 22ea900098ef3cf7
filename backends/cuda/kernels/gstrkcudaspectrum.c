/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkspectrum on CUDA: the host side of kernels/gstrkcudaspectrum.cu */

#include "gstrkcudakernel.h"
#include "gstrkcudaspectrum.h"
#include "gstrkcudaspectrum-fatbin.h"
#include "gstrkerror.h"
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
  gsize bpf = (gsize) p->channels * sizeof (gfloat);

  if (spectrum_blob (config) == NULL || p->in_format != RK_FORMAT_F32LE ||
      p->channels == 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "rkspectrum received a buffer before its caps were negotiated");
    return FALSE;
  }
  if (in_size % bpf != 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "buffer of %" G_GSIZE_FORMAT " bytes is not a whole number of "
        "%u-channel F32LE frames", in_size, p->channels);
    return FALSE;
  }
  return TRUE;
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
