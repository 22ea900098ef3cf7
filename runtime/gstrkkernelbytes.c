/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:gstrkkernelbytes
 * @title: Messages as bytes
 * @short_description: send, receive and call for language bindings
 *
 * gst_rk_kernel_send(), gst_rk_kernel_receive() and gst_rk_kernel_call()
 * fill a caller's #GstRkMessage, which bindings cannot free. These take
 * and return #GBytes and a relative timeout instead; the payload is copied
 * once each way. C code keeps the buffer forms.
 */
#include "gstrkkernel.h"
#include "gstrkerror.h"

static gint64
deadline_for (gint64 timeout_us)
{
  if (timeout_us < 0)
    return GST_RK_WAIT_FOREVER;
  return g_get_monotonic_time () + timeout_us;
}

static GstBuffer *
buffer_from_bytes (GBytes * bytes)
{
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return NULL;
  return gst_buffer_new_wrapped_bytes (bytes);
}

static GBytes *
bytes_from_buffer (GstBuffer * buf)
{
  gsize size;
  gpointer data;

  if (buf == NULL)
    return g_bytes_new (NULL, 0);
  size = gst_buffer_get_size (buf);
  data = g_malloc (size);
  gst_buffer_extract (buf, 0, data, size);
  return g_bytes_new_take (data, size);
}

/**
 * gst_rk_kernel_send_bytes:
 * @kernel: a #GstRkKernel
 * @payload: (nullable): the message payload
 * @type: the message type, e.g. %GST_RK_MESSAGE_DATA
 * @correlation_id: request/response correlation, 0 for none
 * @timeout_us: how long to wait for queue space, in µs; negative: no limit
 * @message_id: (out) (optional): the id the message got
 * @error: return location for a #GError
 *
 * gst_rk_kernel_send() with the payload as bytes.
 *
 * Returns: %TRUE when queued; %FALSE with GST_RK_ERROR_TIMEOUT,
 * GST_RK_ERROR_FLUSHING or the device error.
 */
gboolean
gst_rk_kernel_send_bytes (GstRkKernel * kernel, GBytes * payload,
    guint32 type, guint64 correlation_id, gint64 timeout_us,
    guint64 * message_id, GError ** error)
{
  g_return_val_if_fail (GST_IS_RK_KERNEL (kernel), FALSE);

  return gst_rk_kernel_send (kernel, buffer_from_bytes (payload), type,
      correlation_id, deadline_for (timeout_us), message_id, error);
}

/**
 * gst_rk_kernel_receive_bytes:
 * @kernel: a #GstRkKernel
 * @timeout_us: how long to wait for an output, in µs; 0: do not wait;
 *   negative: no limit
 * @type: (out) (optional): the output's message type
 * @correlation_id: (out) (optional): its correlation id
 * @error: return location for a #GError
 *
 * gst_rk_kernel_receive() (or gst_rk_kernel_try_receive() for a zero
 * timeout) with the payload as bytes.
 *
 * Returns: (transfer full) (nullable): the output's payload (empty when it
 * has none), or %NULL with GST_RK_ERROR_TIMEOUT (GST_RK_ERROR_WOULD_BLOCK
 * for a zero timeout), GST_RK_ERROR_FLUSHING or the device error.
 */
GBytes *
gst_rk_kernel_receive_bytes (GstRkKernel * kernel, gint64 timeout_us,
    guint32 * type, guint64 * correlation_id, GError ** error)
{
  GstRkMessage msg = { {0,}, NULL };
  GBytes *bytes;
  gboolean ok;

  g_return_val_if_fail (GST_IS_RK_KERNEL (kernel), NULL);

  if (timeout_us == 0)
    ok = gst_rk_kernel_try_receive (kernel, &msg, error);
  else
    ok = gst_rk_kernel_receive (kernel, &msg, deadline_for (timeout_us),
        error);
  if (!ok)
    return NULL;
  if (type)
    *type = msg.env.type;
  if (correlation_id)
    *correlation_id = msg.env.correlation_id;
  bytes = bytes_from_buffer (msg.payload);
  gst_rk_message_clear (&msg);
  return bytes;
}

/**
 * gst_rk_kernel_call_bytes:
 * @kernel: a #GstRkKernel
 * @request: (nullable): the request payload
 * @timeout_us: how long to wait for the reply, in µs
 * @error: return location for a #GError
 *
 * gst_rk_kernel_call() with the payloads as bytes.
 *
 * Returns: (transfer full) (nullable): the reply's payload (empty when it
 * has none), or %NULL with GST_RK_ERROR_TIMEOUT when no reply came in
 * time, or the send or device error.
 */
GBytes *
gst_rk_kernel_call_bytes (GstRkKernel * kernel, GBytes * request,
    gint64 timeout_us, GError ** error)
{
  GstRkMessage reply = { {0,}, NULL };
  GBytes *bytes;

  g_return_val_if_fail (GST_IS_RK_KERNEL (kernel), NULL);

  if (!gst_rk_kernel_call (kernel, buffer_from_bytes (request), timeout_us,
          &reply, error))
    return NULL;
  bytes = bytes_from_buffer (reply.payload);
  gst_rk_message_clear (&reply);
  return bytes;
}
