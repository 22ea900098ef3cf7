/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkanomaly on CUDA: the host side of kernels/gstrkcudaanomaly.cu */

#include "gstrkcudakernel.h"
#include "gstrkcudaanomaly.h"
#include "gstrkcudaanomaly-fatbin.h"
#include "gstrkerror.h"
#include "gstrkkernellayouts.h"

G_STATIC_ASSERT (sizeof (RkCudaAnomalyState) == sizeof (GstRkAnomalyState));
G_STATIC_ASSERT (sizeof (RkCudaAnomalyEvent) == sizeof (GstRkAnomalyEvent));

/* The audio passes through: no output buffer of its own */
static gsize
anomaly_output_size (const GstRkParams * p, gsize in_size)
{
  return 0;
}

/* The CPU reference's checks, with its messages */
static gboolean
anomaly_validate (const GstRkConfig * config, const GstRkParams * p,
    gsize in_size, GError ** error)
{
  gsize bpf = (gsize) p->channels * sizeof (gfloat);

  if (config == NULL || p->in_format != RK_FORMAT_F32LE || p->channels == 0
      || config->state_size < sizeof (GstRkAnomalyState) +
      (gsize) 2 * p->channels * sizeof (gdouble)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "rkanomaly received a buffer before its caps were negotiated");
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

/* A chunk of frames, every sample of it possibly an anomaly */
static gsize
anomaly_scratch_size (const GstRkConfig * config)
{
  return (gsize) RK_CUDA_ANOMALY_CHUNK * MAX (config->params.channels, 1) *
      sizeof (RkCudaAnomalyEvent);
}

static gsize
anomaly_extra_size (const GstRkConfig * config, gsize in_size)
{
  return (gsize) RK_CUDA_ANOMALY_CHUNK * MAX (config->params.channels, 1) *
      rk_cuda_output_record_size (sizeof (RkCudaAnomalyEvent));
}

const GstRkCudaKernel gst_rk_cuda_kernel_anomaly = {
  .name = "anomaly",
  .image = gst_rk_cuda_anomaly_fatbin,
  .output_size = anomaly_output_size,
  .validate = anomaly_validate,
  .phases = 2,
  .flags = GST_RK_CUDA_KERNEL_PASSTHROUGH | GST_RK_CUDA_KERNEL_ROUNDS,
  .scratch_size = anomaly_scratch_size,
  .extra_size = anomaly_extra_size,
};
