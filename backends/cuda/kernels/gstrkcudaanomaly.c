/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkanomaly on CUDA: the host side of kernels/gstrkcudaanomaly.cu */

#include "gstrkcudakernel.h"
#include "gstrkcudaanomaly.h"
#include "gstrkcudaanomaly-fatbin.h"
#include "gstrkaudio.h"
#include "gstrkerrorprivate.h"
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
  if (config == NULL || p->in_format != RK_FORMAT_F32LE || p->channels == 0
      || config->state_size < sizeof (GstRkAnomalyState) +
      (gsize) 2 * p->channels * sizeof (gdouble)) {
    gst_rk_error_not_negotiated (error, "anomaly");
    return FALSE;
  }
  return gst_rk_audio_check_input (p, in_size, error);
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
