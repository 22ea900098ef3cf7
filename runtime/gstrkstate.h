/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_STATE_H__
#define __GST_RK_STATE_H__

#include <glib.h>
#include "gstrkapi.h"

G_BEGIN_DECLS

/**
 * GstRkKernelState:
 * @GST_RK_KERNEL_STATE_CREATED: created, nothing allocated on the device yet
 * @GST_RK_KERNEL_STATE_LAUNCHED: queues and state allocated, kernel resident but idle
 * @GST_RK_KERNEL_STATE_ACTIVE: processing messages
 * @GST_RK_KERNEL_STATE_DEACTIVATED: paused; device state is kept
 * @GST_RK_KERNEL_STATE_TERMINATING: stopping
 * @GST_RK_KERNEL_STATE_TERMINATED: stopped, everything freed
 *
 * The lifecycle of a ring kernel. Legal transitions:
 * Created → Launched → Active ⇄ Deactivated, and from Launched, Active or
 * Deactivated → Terminating → Terminated.
 */
typedef enum
{
  GST_RK_KERNEL_STATE_CREATED,
  GST_RK_KERNEL_STATE_LAUNCHED,
  GST_RK_KERNEL_STATE_ACTIVE,
  GST_RK_KERNEL_STATE_DEACTIVATED,
  GST_RK_KERNEL_STATE_TERMINATING,
  GST_RK_KERNEL_STATE_TERMINATED,
} GstRkKernelState;

GST_RK_API
const gchar *gst_rk_kernel_state_get_name (GstRkKernelState state);

GST_RK_API
gboolean gst_rk_kernel_state_can_activate (GstRkKernelState state);
GST_RK_API
gboolean gst_rk_kernel_state_can_deactivate (GstRkKernelState state);
GST_RK_API
gboolean gst_rk_kernel_state_can_terminate (GstRkKernelState state);
GST_RK_API
gboolean gst_rk_kernel_state_is_running (GstRkKernelState state);
GST_RK_API
gboolean gst_rk_kernel_state_is_finished (GstRkKernelState state);

GST_RK_API
gboolean gst_rk_kernel_state_check_transition (GstRkKernelState from,
    GstRkKernelState to, GError ** error);

G_END_DECLS

#endif /* __GST_RK_STATE_H__ */
