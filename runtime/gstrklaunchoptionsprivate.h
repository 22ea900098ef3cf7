/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Launch-option arithmetic of the runtime. Not installed, not exported
 * (hidden visibility). */

#ifndef __GST_RK_LAUNCH_OPTIONS_PRIVATE_H__
#define __GST_RK_LAUNCH_OPTIONS_PRIVATE_H__

#include "gstrklaunchoptions.h"

G_BEGIN_DECLS

guint32 gst_rk_round_up_pow2 (guint32 v);

G_END_DECLS

#endif /* __GST_RK_LAUNCH_OPTIONS_PRIVATE_H__ */
