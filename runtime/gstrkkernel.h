/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_KERNEL_H__
#define __GST_RK_KERNEL_H__

#include <gst/gst.h>
#include "gstrkapi.h"
#include "gstrkbackendkind.h"
#include "gstrkconfig.h"
#include "gstrkenvelope.h"
#include "gstrkkernelinfo.h"
#include "gstrklaunchoptions.h"
#include "gstrkstate.h"

G_BEGIN_DECLS

#define GST_TYPE_RK_KERNEL (gst_rk_kernel_get_type ())
GST_RK_API
G_DECLARE_FINAL_TYPE (GstRkKernel, gst_rk_kernel, GST, RK_KERNEL, GstObject)

/**
 * GstRkMessage:
 * @env: the envelope
 * @payload: (nullable): the payload as a host buffer (owned)
 *
 * A message as the host sees it.
 */
typedef struct
{
  GstRkEnvelope env;
  GstBuffer *payload;
} GstRkMessage;

GST_RK_API
void gst_rk_message_clear (GstRkMessage * msg);

/**
 * GstRkItemType:
 * @GST_RK_ITEM_NONE: nothing (flushing, or the deadline passed)
 * @GST_RK_ITEM_OUTPUT: an output of the kernel, in @msg
 * @GST_RK_ITEM_MARKER: a marker added with gst_rk_kernel_add_marker()
 * @GST_RK_ITEM_ERROR: the kernel failed; @error says why
 */
typedef enum
{
  GST_RK_ITEM_NONE,
  GST_RK_ITEM_OUTPUT,
  GST_RK_ITEM_MARKER,
  GST_RK_ITEM_ERROR,
} GstRkItemType;

/**
 * GstRkItem:
 * @type: what the item is
 * @msg: the output (%GST_RK_ITEM_OUTPUT), owned
 * @marker: the marker's data (%GST_RK_ITEM_MARKER), now owned by the caller
 * @error: the kernel's error (%GST_RK_ITEM_ERROR), owned
 *
 * One item of a kernel's ordered stream (gst_rk_kernel_next_item()).
 */
typedef struct
{
  GstRkItemType type;
  GstRkMessage msg;
  gpointer marker;
  GError *error;
} GstRkItem;

GST_RK_API
void gst_rk_item_clear (GstRkItem * item);

GST_RK_API
guint32 gst_rk_kernel_get_id (GstRkKernel * kernel);
GST_RK_API
const GstRkKernelInfo *gst_rk_kernel_get_info (GstRkKernel * kernel);
GST_RK_API
GstRkBackendKind gst_rk_kernel_get_backend (GstRkKernel * kernel);
GST_RK_API
GstRkKernelMode gst_rk_kernel_get_mode (GstRkKernel * kernel);
GST_RK_API
const GstRkLaunchOptions *gst_rk_kernel_get_options (GstRkKernel * kernel);
GST_RK_API
GstRkKernelState gst_rk_kernel_get_state (GstRkKernel * kernel);
GST_RK_API
const gchar *gst_rk_kernel_get_device_name (GstRkKernel * kernel);
GST_RK_API
const gchar *gst_rk_kernel_get_selection_note (GstRkKernel * kernel);

GST_RK_API
gboolean gst_rk_kernel_activate (GstRkKernel * kernel, GError ** error);
GST_RK_API
gboolean gst_rk_kernel_deactivate (GstRkKernel * kernel, GError ** error);
GST_RK_API
gboolean gst_rk_kernel_terminate (GstRkKernel * kernel, GError ** error);

GST_RK_API
gboolean gst_rk_kernel_set_caps (GstRkKernel * kernel, GstCaps * caps,
    GstCaps ** src_caps, GError ** error);
GST_RK_API
gboolean gst_rk_kernel_set_params (GstRkKernel * kernel,
    const GstStructure * params, GError ** error);

/* The deadline (monotonic time, µs) of a wait that never times out. */
#define GST_RK_WAIT_FOREVER G_MAXINT64

GST_RK_API
gboolean gst_rk_kernel_send (GstRkKernel * kernel, GstBuffer * payload,
    guint32 type, guint64 correlation_id, gint64 deadline,
    guint64 * message_id, GError ** error);
GST_RK_API
gboolean gst_rk_kernel_send_control (GstRkKernel * kernel, guint64 what,
    GError ** error);

/* Correlation ids with this bit set are reserved for gst_rk_kernel_call(). */
#define GST_RK_CALL_CORRELATION_BIT (G_GUINT64_CONSTANT (1) << 63)

/* On the wire (application/x-ringkernel between processes) a call's
 * correlation id carries this bit instead: the far end's runtime, which has
 * no such call, passes the request and its reply on instead of counting
 * the reply an orphan. Elements map it both ways. */
#define GST_RK_REMOTE_CALL_CORRELATION_BIT (G_GUINT64_CONSTANT (1) << 62)

GST_RK_API
gboolean gst_rk_kernel_call (GstRkKernel * kernel, GstBuffer * request,
    gint64 timeout_us, GstRkMessage * reply, GError ** error);

/* The same for language bindings, with GBytes (gstrkkernelbytes.c) */
GST_RK_API
gboolean gst_rk_kernel_send_bytes (GstRkKernel * kernel, GBytes * payload,
    guint32 type, guint64 correlation_id, gint64 timeout_us,
    guint64 * message_id, GError ** error);
GST_RK_API
GBytes *gst_rk_kernel_receive_bytes (GstRkKernel * kernel,
    gint64 timeout_us, guint32 * type, guint64 * correlation_id,
    GError ** error);
GST_RK_API
GBytes *gst_rk_kernel_call_bytes (GstRkKernel * kernel, GBytes * request,
    gint64 timeout_us, GError ** error);

GST_RK_API
gboolean gst_rk_kernel_has_output (GstRkKernel * kernel);
GST_RK_API
gboolean gst_rk_kernel_try_receive (GstRkKernel * kernel, GstRkMessage * msg,
    GError ** error);
GST_RK_API
gboolean gst_rk_kernel_receive (GstRkKernel * kernel, GstRkMessage * msg,
    gint64 deadline, GError ** error);

GST_RK_API
void gst_rk_kernel_add_marker (GstRkKernel * kernel, gpointer marker,
    GDestroyNotify notify);
GST_RK_API
gboolean gst_rk_kernel_next_item (GstRkKernel * kernel, GstRkItem * item,
    gint64 deadline);
GST_RK_API
void gst_rk_kernel_drop_markers (GstRkKernel * kernel, GFunc func,
    gpointer user_data);

GST_RK_API
void gst_rk_kernel_set_flushing (GstRkKernel * kernel, gboolean flushing);
GST_RK_API
gboolean gst_rk_kernel_flush (GstRkKernel * kernel, GError ** error);
GST_RK_API
gboolean gst_rk_kernel_check (GstRkKernel * kernel, GError ** error);

GST_RK_API
GstStructure *gst_rk_kernel_get_stats (GstRkKernel * kernel);

GST_RK_API
gboolean gst_rk_kernel_get_device_payloads (GstRkKernel * kernel);
GST_RK_API
void gst_rk_kernel_set_device_outputs (GstRkKernel * kernel,
    gboolean on_device);

G_END_DECLS

#endif /* __GST_RK_KERNEL_H__ */
