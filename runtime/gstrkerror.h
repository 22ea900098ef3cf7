/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_ERROR_H__
#define __GST_RK_ERROR_H__

#include <glib.h>
#include "gstrkapi.h"

G_BEGIN_DECLS

#define GST_RK_ERROR (gst_rk_error_quark ())

/**
 * GstRkError:
 * @GST_RK_ERROR_INVALID_STATE: a lifecycle transition that is not allowed
 * @GST_RK_ERROR_INVALID_ARGUMENT: a launch option or parameter out of range
 * @GST_RK_ERROR_MALFORMED: message bytes that do not decode
 * @GST_RK_ERROR_BACKEND_UNAVAILABLE: the requested backend is not present
 * @GST_RK_ERROR_UNKNOWN_KERNEL: no kernel of that name is registered
 * @GST_RK_ERROR_NO_IMPLEMENTATION: the kernel has no implementation for a backend
 * @GST_RK_ERROR_DEVICE: the device failed while running
 * @GST_RK_ERROR_TIMEOUT: a wait ran out of time
 * @GST_RK_ERROR_FLUSHING: the kernel is flushing or stopping
 * @GST_RK_ERROR_CLOCK_DRIFT: a remote HLC stamp is too far ahead
 * @GST_RK_ERROR_NOT_NEGOTIATED: caps the kernel cannot take
 * @GST_RK_ERROR_WOULD_BLOCK: a non-blocking call found the queue full or empty
 */
typedef enum
{
  GST_RK_ERROR_INVALID_STATE,
  GST_RK_ERROR_INVALID_ARGUMENT,
  GST_RK_ERROR_MALFORMED,
  GST_RK_ERROR_BACKEND_UNAVAILABLE,
  GST_RK_ERROR_UNKNOWN_KERNEL,
  GST_RK_ERROR_NO_IMPLEMENTATION,
  GST_RK_ERROR_DEVICE,
  GST_RK_ERROR_TIMEOUT,
  GST_RK_ERROR_FLUSHING,
  GST_RK_ERROR_CLOCK_DRIFT,
  GST_RK_ERROR_NOT_NEGOTIATED,
  GST_RK_ERROR_WOULD_BLOCK,
} GstRkError;

GST_RK_API
GQuark gst_rk_error_quark (void);

G_END_DECLS

#endif /* __GST_RK_ERROR_H__ */
