/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CUDA_KERNEL_H__
#define __GST_RK_CUDA_KERNEL_H__

#include <gst/gst.h>
#include "gstrkenvelope.h"
#include "gstrkconfigprivate.h"
#include "gstrkparams.h"

G_BEGIN_DECLS

/*
 * How a kernel runs on the CUDA backend: a module (a fatbin embedded at build
 * time) defining RK_CUDA_ENTRY_PERSISTENT and RK_CUDA_ENTRY_EVENT around the
 * kernel's process function (gstrkcudaentry.cuh), plus two host-side hooks.
 * Register it with gst_rk_registry_add_implementation (name,
 * GST_RK_BACKEND_CUDA, &kernel).
 */

/* Flags of a GstRkCudaKernel */
typedef enum
{
  /* the module has an init function for fresh or reset state (else zeros) */
  GST_RK_CUDA_KERNEL_HAS_INIT = 1 << 0,
  /* its main output may be the input unchanged (RK_CUDA_OUT_INPUT): the
   * host keeps each input buffer until its output is taken */
  GST_RK_CUDA_KERNEL_PASSTHROUGH = 1 << 1,
  /* it may ask for more rounds of a message (job->more): event-driven
   * launches run its messages one at a time */
  GST_RK_CUDA_KERNEL_ROUNDS = 1 << 2,
} GstRkCudaKernelFlags;

/**
 * GstRkCudaKernel:
 * @name: the kernel's registry name
 * @image: the module image (a fatbin, or PTX text), 8-byte aligned
 * @output_size: bytes the main output of an input of @in_size bytes needs;
 *   the host reserves that much (inline in the output slot or an arena
 *   slot)
 * @validate: (nullable): checks an input before it goes to the device; an
 *   error fails the kernel, as a failing CPU process function does.
 *   @config is %NULL for messages sent without caps
 * @phases: grid-wide phases of the process function (0 means 1); must
 *   match the module's
 * @flags: #GstRkCudaKernelFlags
 * @state_size: (nullable): bytes of device state for @config (this port's
 *   layout); %NULL: config->state_size
 * @scratch_size: (nullable): bytes of working memory one message of
 *   @config needs on the device (not kept, not reset)
 * @extra_size: (nullable): bytes of extras area (records of outputs
 *   beyond the main one) a round of an input of @in_size bytes may fill;
 *   a kernel with more to emit runs more rounds
 * @device_blob: (nullable): the tables the device reads for @config;
 *   %NULL: config->blob as it is. Uploaded once per configuration.
 */
typedef struct
{
  const gchar *name;
  const void *image;
  gsize (*output_size) (const GstRkParams * params, gsize in_size);
  gboolean (*validate) (const GstRkConfig * config,
      const GstRkParams * params, gsize in_size, GError ** error);
  guint phases;
  guint flags;
  gsize (*state_size) (const GstRkConfig * config);
  gsize (*scratch_size) (const GstRkConfig * config);
  gsize (*extra_size) (const GstRkConfig * config, gsize in_size);
  GBytes *(*device_blob) (const GstRkConfig * config);
} GstRkCudaKernel;

guint gst_rk_cuda_kernel_phases (const GstRkCudaKernel * impl);
gsize gst_rk_cuda_kernel_state_size (const GstRkCudaKernel * impl,
    const GstRkConfig * config);
gsize gst_rk_cuda_kernel_scratch_size (const GstRkCudaKernel * impl,
    const GstRkConfig * config);
gsize gst_rk_cuda_kernel_extra_size (const GstRkCudaKernel * impl,
    const GstRkConfig * config, gsize in_size);
GBytes *gst_rk_cuda_kernel_device_blob (const GstRkCudaKernel * impl,
    const GstRkConfig * config);

/**
 * GstRkCudaBlob:
 * @bytes: (nullable): the tables the device copy holds
 * @config: (nullable): the last configuration known to need exactly them
 * @valid: the copy is in place
 *
 * Host record of a kernel's device copy of its configuration tables (the
 * controller owns the device memory).
 */
typedef struct
{
  GBytes *bytes;
  GstRkConfig *config;
  gboolean valid;
} GstRkCudaBlob;

gboolean gst_rk_cuda_blob_check (GstRkCudaBlob * blob,
    const GstRkCudaKernel * impl, GstRkConfig * config, GBytes ** bytes);
void gst_rk_cuda_blob_set_config (GstRkCudaBlob * blob, GstRkConfig * config);
void gst_rk_cuda_blob_set (GstRkCudaBlob * blob, GstRkConfig * config,
    GBytes * bytes);
void gst_rk_cuda_blob_clear (GstRkCudaBlob * blob);
gsize gst_rk_cuda_blob_size (const GstRkCudaBlob * blob);

/* Built-in kernels (backends/cuda/kernels/) */
extern const GstRkCudaKernel gst_rk_cuda_kernel_echo;
extern const GstRkCudaKernel gst_rk_cuda_kernel_gray;
extern const GstRkCudaKernel gst_rk_cuda_kernel_blur;
extern const GstRkCudaKernel gst_rk_cuda_kernel_sobel;
extern const GstRkCudaKernel gst_rk_cuda_kernel_bgsub;
extern const GstRkCudaKernel gst_rk_cuda_kernel_anomaly;
extern const GstRkCudaKernel gst_rk_cuda_kernel_fir;
extern const GstRkCudaKernel gst_rk_cuda_kernel_spectrum;

G_END_DECLS

#endif /* __GST_RK_CUDA_KERNEL_H__ */
