/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_INIT_H__
#define __GST_RK_INIT_H__

#include <glib.h>
#include "gstrkapi.h"

G_BEGIN_DECLS

GST_RK_API
void gst_rk_init (void);

G_END_DECLS

#endif /* __GST_RK_INIT_H__ */
