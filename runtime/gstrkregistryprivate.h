/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Registering kernels and their per-backend implementations: the runtime,
 * the backends and the tests' own kernels only. Not installed, not
 * exported (hidden visibility); applications add kernels as user kernel
 * files (gst_rk_user_kernel_load()). */

#ifndef __GST_RK_REGISTRY_PRIVATE_H__
#define __GST_RK_REGISTRY_PRIVATE_H__

#include "gstrkregistry.h"

G_BEGIN_DECLS

gboolean gst_rk_registry_register (const GstRkKernelInfo * info,
    GError ** error);

void gst_rk_registry_add_implementation (const gchar * kernel_name,
    GstRkBackendKind backend, gconstpointer impl);
gconstpointer gst_rk_registry_get_implementation (const gchar * kernel_name,
    GstRkBackendKind backend);

G_END_DECLS

#endif /* __GST_RK_REGISTRY_PRIVATE_H__ */
