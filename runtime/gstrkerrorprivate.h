/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Error helpers of the kernel implementations. Not installed, not exported
 * (hidden visibility). */

#ifndef __GST_RK_ERROR_PRIVATE_H__
#define __GST_RK_ERROR_PRIVATE_H__

#include "gstrkerror.h"

G_BEGIN_DECLS

void gst_rk_error_not_negotiated (GError ** error, const gchar * kernel);

G_END_DECLS

#endif /* __GST_RK_ERROR_PRIVATE_H__ */
