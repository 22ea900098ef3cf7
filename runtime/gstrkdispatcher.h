/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_DISPATCHER_H__
#define __GST_RK_DISPATCHER_H__

#include "gstrkbackend.h"

G_BEGIN_DECLS

/*
 * The device side of a kernel that a host thread drives: it consumes the
 * input ring, hands each message to a process function and publishes what
 * that function emits to the output ring. The CPU backend runs every kernel
 * this way; GPU backends use it for event-driven mode, where the process
 * function dispatches to the device.
 *
 * Only one thread may drive a dispatcher at a time.
 */
typedef struct _GstRkDispatcher GstRkDispatcher;

/**
 * GstRkDispatchFunc:
 * @msg: the input; the function may take msg->payload (set it to %NULL)
 * @config: the configuration the message was sent under
 *
 * Processes one message, emitting outputs with gst_rk_dispatcher_emit().
 * Returning %FALSE marks the kernel failed with @error.
 */
typedef gboolean (*GstRkDispatchFunc) (GstRkDispatcher * d,
    GstRkMessage * msg, GstRkConfig * config, gpointer user_data,
    GError ** error);

/**
 * GstRkDispatchBatchFunc:
 * @msgs: (array length=n): consecutive inputs, all under @config
 *
 * Processes several messages at once (one device dispatch for what is
 * queued). Outputs are emitted with gst_rk_dispatcher_emit_for(), naming
 * the input each one comes from, in input order.
 */
typedef gboolean (*GstRkDispatchBatchFunc) (GstRkDispatcher * d,
    GstRkMessage * msgs, guint n, GstRkConfig * config, gpointer user_data,
    GError ** error);

GstRkDispatcher *gst_rk_dispatcher_new (GstRkKernel * kernel,
    gpointer in_mem, gsize in_size, gpointer out_mem, gsize out_size,
    GstRkDispatchFunc func, gpointer user_data, GError ** error);
void gst_rk_dispatcher_free (GstRkDispatcher * d);

void gst_rk_dispatcher_set_driven (GstRkDispatcher * d, gboolean driven);
GstRkKernel *gst_rk_dispatcher_get_kernel (GstRkDispatcher * d);

void gst_rk_dispatcher_set_batch_func (GstRkDispatcher * d,
    GstRkDispatchBatchFunc func, guint max_batch);

gboolean gst_rk_dispatcher_emit (GstRkDispatcher * d, guint32 type,
    GstBuffer * payload, GError ** error);
gboolean gst_rk_dispatcher_emit_for (GstRkDispatcher * d,
    const GstRkEnvelope * origin, guint32 type, GstBuffer * payload,
    GError ** error);

guint gst_rk_dispatcher_drain (GstRkDispatcher * d, guint max);
gboolean gst_rk_dispatcher_has_work (GstRkDispatcher * d);
gboolean gst_rk_dispatcher_has_pending (GstRkDispatcher * d);

void gst_rk_dispatcher_run (GstRkDispatcher * d);
GThread *gst_rk_dispatcher_start (GstRkDispatcher * d, const gchar * prefix);

gboolean gst_rk_dispatcher_command (GstRkDispatcher * d, guint32 command,
    gint64 timeout_us, GError ** error);
void gst_rk_dispatcher_kick (GstRkDispatcher * d);

G_END_DECLS

#endif /* __GST_RK_DISPATCHER_H__ */
