/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_FAULT_H__
#define __GST_RK_FAULT_H__

#include <glib.h>

G_BEGIN_DECLS

/**
 * GstRkFaultPoint:
 * @GST_RK_FAULT_NONE: no fault
 * @GST_RK_FAULT_LAUNCH: launching fails
 * @GST_RK_FAULT_ACTIVATE: activating fails
 * @GST_RK_FAULT_STREAM: the device fails after a number of messages
 * @GST_RK_FAULT_TERMINATE: terminating reports a failure (and still frees
 *   everything)
 * @GST_RK_FAULT_ALLOC: a backend's allocation of a kernel's memory fails
 *   (queues, state, buffers)
 * @GST_RK_FAULT_PIPELINE: a backend fails to make a kernel's pipeline
 *   (shader module, compute pipeline, descriptor set, command buffer)
 * @GST_RK_FAULT_MEMORY: a backend fails to make payload memory on its
 *   device (GstRkDeviceMemoryOps.alloc)
 *
 * Where an injected fault strikes. For tests of error paths: see
 * gst_rk_fault_configure().
 */
typedef enum
{
  GST_RK_FAULT_NONE,
  GST_RK_FAULT_LAUNCH,
  GST_RK_FAULT_ACTIVATE,
  GST_RK_FAULT_STREAM,
  GST_RK_FAULT_TERMINATE,
  GST_RK_FAULT_ALLOC,
  GST_RK_FAULT_PIPELINE,
  GST_RK_FAULT_MEMORY,
} GstRkFaultPoint;

gboolean gst_rk_fault_configure (const gchar * spec, GError ** error);
gboolean gst_rk_fault_check (GstRkFaultPoint point, const gchar * kernel,
    guint64 count, GError ** error);
gboolean gst_rk_fault_strikes (GstRkFaultPoint point, const gchar * kernel);
guint gst_rk_fault_get_strikes (void);

G_END_DECLS

#endif /* __GST_RK_FAULT_H__ */
