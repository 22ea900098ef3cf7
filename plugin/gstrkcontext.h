/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CONTEXT_H__
#define __GST_RK_CONTEXT_H__

#include <gst/gst.h>
#include "gstrkruntime.h"

G_BEGIN_DECLS

gboolean gst_rk_context_ensure_runtime (GstElement * element,
    GstRkRuntime ** runtime, gint device_id);
gboolean gst_rk_context_handle_set_context (GstElement * element,
    GstContext * context, GstRkRuntime ** runtime);
gboolean gst_rk_context_handle_query (GstElement * element, GstQuery * query,
    GstRkRuntime * runtime);

G_END_DECLS

#endif /* __GST_RK_CONTEXT_H__ */
