/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * What a message of a configuration needs on the device, from a kernel's
 * host hooks (GstRkCudaKernel), with their defaults; and the device copy of
 * a configuration's blob, uploaded once per configuration that changes it.
 */

#include "gstrkcudakernel.h"
#include "gstrkcudaprotocol.h"

/**
 * gst_rk_cuda_kernel_phases:
 *
 * Returns: the grid-wide phases of the kernel's process function.
 */
guint
gst_rk_cuda_kernel_phases (const GstRkCudaKernel * impl)
{
  return MAX (impl->phases, 1);
}

/**
 * gst_rk_cuda_kernel_state_size:
 *
 * Returns: bytes of device state a message sent under @config needs.
 */
gsize
gst_rk_cuda_kernel_state_size (const GstRkCudaKernel * impl,
    const GstRkConfig * config)
{
  if (config == NULL)
    return 0;
  return impl->state_size ? impl->state_size (config) : config->state_size;
}

/**
 * gst_rk_cuda_kernel_scratch_size:
 *
 * Returns: bytes of working memory a message sent under @config needs.
 */
gsize
gst_rk_cuda_kernel_scratch_size (const GstRkCudaKernel * impl,
    const GstRkConfig * config)
{
  return impl->scratch_size && config ? impl->scratch_size (config) : 0;
}

/**
 * gst_rk_cuda_kernel_extra_size:
 *
 * Returns: bytes of extras area a round of an input of @in_size bytes may
 * fill (a multiple of RK_CUDA_OUTPUT_ALIGN).
 */
gsize
gst_rk_cuda_kernel_extra_size (const GstRkCudaKernel * impl,
    const GstRkConfig * config, gsize in_size)
{
  gsize size = impl->extra_size ? impl->extra_size (config, in_size) : 0;

  return RK_CUDA_ALIGN (size, RK_CUDA_OUTPUT_ALIGN);
}

/**
 * gst_rk_cuda_kernel_device_blob:
 *
 * Returns: (transfer full) (nullable): the tables the device reads for
 * @config.
 */
GBytes *
gst_rk_cuda_kernel_device_blob (const GstRkCudaKernel * impl,
    const GstRkConfig * config)
{
  if (config == NULL)
    return NULL;
  if (impl->device_blob)
    return impl->device_blob (config);
  return config->blob ? g_bytes_ref (config->blob) : NULL;
}

/**
 * gst_rk_cuda_blob_check:
 * @blob: the device copy
 * @config: (nullable): the configuration of the next message
 * @bytes: (out) (transfer full): what to upload, when the result is %TRUE
 *
 * Says whether @config needs other tables than those on the device. A
 * configuration that brings the same bytes (new caps, another parameter)
 * keeps the copy.
 *
 * Returns: %TRUE when gst_rk_cuda_blob_upload() must run first.
 */
gboolean
gst_rk_cuda_blob_check (GstRkCudaBlob * blob, const GstRkCudaKernel * impl,
    GstRkConfig * config, GBytes ** bytes)
{
  GBytes *want;

  *bytes = NULL;
  if (config == blob->config && blob->valid)
    return FALSE;
  want = gst_rk_cuda_kernel_device_blob (impl, config);
  if (blob->valid && ((want == NULL && blob->bytes == NULL) || (want &&
              blob->bytes && g_bytes_equal (want, blob->bytes)))) {
    if (want)
      g_bytes_unref (want);
    gst_rk_cuda_blob_set_config (blob, config);
    return FALSE;
  }
  *bytes = want;
  return TRUE;
}

void
gst_rk_cuda_blob_set_config (GstRkCudaBlob * blob, GstRkConfig * config)
{
  if (config)
    gst_rk_config_ref (config);
  if (blob->config)
    gst_rk_config_unref (blob->config);
  blob->config = config;
}

/**
 * gst_rk_cuda_blob_set:
 * @bytes: (transfer full) (nullable): what the device copy now holds
 *
 * Records a finished upload for @config.
 */
void
gst_rk_cuda_blob_set (GstRkCudaBlob * blob, GstRkConfig * config,
    GBytes * bytes)
{
  if (blob->bytes)
    g_bytes_unref (blob->bytes);
  blob->bytes = bytes;
  blob->valid = TRUE;
  gst_rk_cuda_blob_set_config (blob, config);
}

void
gst_rk_cuda_blob_clear (GstRkCudaBlob * blob)
{
  if (blob->bytes)
    g_bytes_unref (blob->bytes);
  blob->bytes = NULL;
  blob->valid = FALSE;
  gst_rk_cuda_blob_set_config (blob, NULL);
}

/**
 * gst_rk_cuda_blob_size:
 *
 * Returns: bytes of the tables on the device.
 */
gsize
gst_rk_cuda_blob_size (const GstRkCudaBlob * blob)
{
  return blob->bytes ? g_bytes_get_size (blob->bytes) : 0;
}
