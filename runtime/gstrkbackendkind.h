/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_BACKEND_KIND_H__
#define __GST_RK_BACKEND_KIND_H__

#include <glib.h>
#include "gstrkapi.h"

G_BEGIN_DECLS

/**
 * GstRkBackendKind:
 * @GST_RK_BACKEND_AUTO: CUDA if a device is usable, then Vulkan on a hardware
 *   GPU, then the CPU
 * @GST_RK_BACKEND_CPU: worker threads on the host; always present
 * @GST_RK_BACKEND_CUDA: NVIDIA GPUs through the CUDA driver API
 * @GST_RK_BACKEND_VULKAN: Vulkan compute (any vendor, or lavapipe when
 *   named explicitly)
 */
typedef enum
{
  GST_RK_BACKEND_AUTO,
  GST_RK_BACKEND_CPU,
  GST_RK_BACKEND_CUDA,
  GST_RK_BACKEND_VULKAN,
} GstRkBackendKind;

#define GST_RK_BACKEND_N_KINDS 4

GST_RK_API
const gchar *gst_rk_backend_kind_get_name (GstRkBackendKind kind);
GST_RK_API
const gchar *gst_rk_backend_kind_get_display_name (GstRkBackendKind kind);

G_END_DECLS

#endif /* __GST_RK_BACKEND_KIND_H__ */
