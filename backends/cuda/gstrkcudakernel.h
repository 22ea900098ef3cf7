/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CUDA_KERNEL_H__
#define __GST_RK_CUDA_KERNEL_H__

#include <gst/gst.h>
#include "gstrkenvelope.h"
#include "gstrkparams.h"

G_BEGIN_DECLS

/*
 * How a kernel runs on the CUDA backend: a module (a fatbin embedded at build
 * time) defining RK_CUDA_ENTRY_PERSISTENT and RK_CUDA_ENTRY_EVENT around the
 * kernel's process function (gstrkcudaentry.cuh), plus two host-side hooks.
 * Register it with gst_rk_registry_add_implementation (name,
 * GST_RK_BACKEND_CUDA, &kernel).
 */

/**
 * GstRkCudaKernel:
 * @name: the kernel's registry name
 * @image: the module image (a fatbin), 8-byte aligned
 * @output_size: bytes output 0 of an input of @in_size bytes needs; the
 *   host reserves that much (inline in the output slot or an arena slot)
 * @validate: (nullable): checks an input before it goes to the device; an
 *   error fails the kernel, as a failing CPU process function does
 */
typedef struct
{
  const gchar *name;
  const void *image;
  gsize (*output_size) (const GstRkParams * params, gsize in_size);
  gboolean (*validate) (const GstRkParams * params, gsize in_size,
      GError ** error);
} GstRkCudaKernel;

/* Built-in kernels (backends/cuda/kernels/) */
extern const GstRkCudaKernel gst_rk_cuda_kernel_echo;
extern const GstRkCudaKernel gst_rk_cuda_kernel_gray;

G_END_DECLS

#endif /* __GST_RK_CUDA_KERNEL_H__ */
