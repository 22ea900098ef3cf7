/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_VULKAN_USER_H__
#define __GST_RK_VULKAN_USER_H__

#include "gstrkvulkankernel.h"

G_BEGIN_DECLS

gconstpointer gst_rk_vulkan_load_user_kernel (const gchar * path,
    const gchar * entry, GstRkKernelInfo * info, GError ** error);

G_END_DECLS

#endif /* __GST_RK_VULKAN_USER_H__ */
