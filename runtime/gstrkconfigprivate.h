/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Making, sharing and releasing configurations: the runtime and the
 * backends only. Not installed, not exported (hidden visibility). */

#ifndef __GST_RK_CONFIG_PRIVATE_H__
#define __GST_RK_CONFIG_PRIVATE_H__

#include "gstrkconfig.h"
#include "gstrkkernelinfo.h"

G_BEGIN_DECLS

GstRkConfig *gst_rk_config_new (void);
GstRkConfig *gst_rk_config_ref (GstRkConfig * config);
void gst_rk_config_unref (GstRkConfig * config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstRkConfig, gst_rk_config_unref)

gboolean gst_rk_kernel_info_make_config (const GstRkKernelInfo * info,
    GstCaps * sink_caps, const GstStructure * params, GstRkConfig ** config,
    GError ** error);

G_END_DECLS

#endif /* __GST_RK_CONFIG_PRIVATE_H__ */
