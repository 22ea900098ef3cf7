/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkstate.h"
#include "gstrkerror.h"

/**
 * gst_rk_kernel_state_get_name:
 * @state: a state
 *
 * Returns: (transfer none): its name ("active")
 */
const gchar *
gst_rk_kernel_state_get_name (GstRkKernelState state)
{
  switch (state) {
    case GST_RK_KERNEL_STATE_CREATED:
      return "created";
    case GST_RK_KERNEL_STATE_LAUNCHED:
      return "launched";
    case GST_RK_KERNEL_STATE_ACTIVE:
      return "active";
    case GST_RK_KERNEL_STATE_DEACTIVATED:
      return "deactivated";
    case GST_RK_KERNEL_STATE_TERMINATING:
      return "terminating";
    case GST_RK_KERNEL_STATE_TERMINATED:
      return "terminated";
  }
  return "invalid";
}

/**
 * gst_rk_kernel_state_can_activate:
 * @state: a state
 *
 * Returns: whether a kernel in @state can be activated
 */
gboolean
gst_rk_kernel_state_can_activate (GstRkKernelState state)
{
  return state == GST_RK_KERNEL_STATE_LAUNCHED ||
      state == GST_RK_KERNEL_STATE_DEACTIVATED;
}

/**
 * gst_rk_kernel_state_can_deactivate:
 * @state: a state
 *
 * Returns: whether a kernel in @state can be deactivated
 */
gboolean
gst_rk_kernel_state_can_deactivate (GstRkKernelState state)
{
  return state == GST_RK_KERNEL_STATE_ACTIVE;
}

/**
 * gst_rk_kernel_state_can_terminate:
 * @state: a state
 *
 * Returns: whether a kernel in @state can be terminated
 */
gboolean
gst_rk_kernel_state_can_terminate (GstRkKernelState state)
{
  return state == GST_RK_KERNEL_STATE_ACTIVE ||
      state == GST_RK_KERNEL_STATE_DEACTIVATED ||
      state == GST_RK_KERNEL_STATE_LAUNCHED;
}

/**
 * gst_rk_kernel_state_is_running:
 * @state: a state
 *
 * Returns: whether @state is Active (processing messages)
 */
gboolean
gst_rk_kernel_state_is_running (GstRkKernelState state)
{
  return state == GST_RK_KERNEL_STATE_ACTIVE;
}

/**
 * gst_rk_kernel_state_is_finished:
 * @state: a state
 *
 * Returns: whether @state is Terminated
 */
gboolean
gst_rk_kernel_state_is_finished (GstRkKernelState state)
{
  return state == GST_RK_KERNEL_STATE_TERMINATED;
}

/**
 * gst_rk_kernel_state_check_transition:
 * @from: the current state
 * @to: the next state
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @from → @to is a legal lifecycle step; otherwise sets
 * @error (GST_RK_ERROR_INVALID_STATE) with a message naming both states.
 */
gboolean
gst_rk_kernel_state_check_transition (GstRkKernelState from,
    GstRkKernelState to, GError ** error)
{
  gboolean ok = FALSE;

  switch (to) {
    case GST_RK_KERNEL_STATE_LAUNCHED:
      ok = from == GST_RK_KERNEL_STATE_CREATED;
      break;
    case GST_RK_KERNEL_STATE_ACTIVE:
      ok = gst_rk_kernel_state_can_activate (from);
      break;
    case GST_RK_KERNEL_STATE_DEACTIVATED:
      ok = gst_rk_kernel_state_can_deactivate (from);
      break;
    case GST_RK_KERNEL_STATE_TERMINATING:
      ok = gst_rk_kernel_state_can_terminate (from);
      break;
    case GST_RK_KERNEL_STATE_TERMINATED:
      ok = from == GST_RK_KERNEL_STATE_TERMINATING;
      break;
    case GST_RK_KERNEL_STATE_CREATED:
      ok = FALSE;
      break;
  }

  if (!ok)
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_STATE,
        "illegal kernel state transition from %s to %s",
        gst_rk_kernel_state_get_name (from), gst_rk_kernel_state_get_name (to));
  return ok;
}
