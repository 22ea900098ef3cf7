/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The plugin, linked into a binary that links the runtime statically (the
 * tests of internals, rkbench-cuda). Not part of the plugin's shared
 * object. */

#ifndef __GST_RK_PLUGIN_STATIC_H__
#define __GST_RK_PLUGIN_STATIC_H__

#include <gst/gst.h>

G_BEGIN_DECLS

void gst_rk_plugin_register_static (void);

G_END_DECLS

#endif /* __GST_RK_PLUGIN_STATIC_H__ */
