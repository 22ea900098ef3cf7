/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_REGISTRY_H__
#define __GST_RK_REGISTRY_H__

#include "gstrkkernelinfo.h"
#include "gstrkapi.h"
#include "gstrkbackendkind.h"

G_BEGIN_DECLS

/**
 * GstRkRegistryFunc:
 *
 * Called for each kernel registered after the listener was added.
 */
typedef void (*GstRkRegistryFunc) (const GstRkKernelInfo * info,
    gpointer user_data);

GST_RK_API
void gst_rk_registry_add_listener (GstRkRegistryFunc func,
    gpointer user_data);
GST_RK_API
const GstRkKernelInfo *gst_rk_registry_lookup (const gchar * name);
GST_RK_API
GPtrArray *gst_rk_registry_list (void);

G_END_DECLS

#endif /* __GST_RK_REGISTRY_H__ */
