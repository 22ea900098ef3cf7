/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_USER_H__
#define __GST_RK_USER_H__

#include "gstrkelement.h"

G_BEGIN_DECLS

#define GST_TYPE_RK_USER (gst_rk_user_get_type ())
G_DECLARE_FINAL_TYPE (GstRkUser, gst_rk_user, GST, RK_USER, GstRkElement)

G_END_DECLS

#endif /* __GST_RK_USER_H__ */
