/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CUDA_USER_H__
#define __GST_RK_CUDA_USER_H__

#include "gstrkbackend.h"

G_BEGIN_DECLS

/* Bytes of extra outputs (records) a user kernel may emit per message */
#define GST_RK_CUDA_USER_EXTRA_SIZE 4096

gconstpointer gst_rk_cuda_load_user_kernel (const gchar * path,
    const gchar * entry, GstRkKernelInfo * info, GError ** error);

G_END_DECLS

#endif /* __GST_RK_CUDA_USER_H__ */
