/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_USER_KERNEL_H__
#define __GST_RK_USER_KERNEL_H__

#include <gst/gst.h>
#include "gstrkapi.h"
#include "gstrkbackendkind.h"
#include "gstrkkernelinfo.h"

G_BEGIN_DECLS

GST_RK_API
const GstRkKernelInfo *gst_rk_user_kernel_load (const gchar * path,
    const gchar * entry, gsize state_size, GstCaps * output_caps,
    GstRkBackendKind * backend, GError ** error);

G_END_DECLS

#endif /* __GST_RK_USER_KERNEL_H__ */
