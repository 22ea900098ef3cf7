/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_HLC_WIRE_H__
#define __GST_RK_HLC_WIRE_H__

#include <glib.h>
#include "gstrkapi.h"
#include "gstrkhlc.h"

G_BEGIN_DECLS

/**
 * GST_RK_HLC_WIRE_URI:
 *
 * The URI of the RTP header extension that carries a buffer's HLC stamp
 * (element `rkhlchdrext`). The layout is versioned by the URI.
 */
#define GST_RK_HLC_WIRE_URI "urn:gst-ringkernel:rtp-hdrext:hlc:1"

/* Stamp, node and kernel id: fits the one-byte header form (16 bytes max). */
#define GST_RK_HLC_WIRE_SHORT_SIZE 16
/* ... and the message and correlation ids: two-byte form only. */
#define GST_RK_HLC_WIRE_FULL_SIZE 32

/**
 * GstRkHlcWire:
 * @stamp: the sender's HLC stamp
 * @kernel_id: the kernel that emitted the buffer (0 = host)
 * @message_id: its message id (0 in the short form)
 * @correlation_id: its correlation id (0 in the short form)
 *
 * What GstRkHlcMeta carries, as it crosses a network. Big-endian:
 * bytes 0-7 physical_us << 12 | logical (the clock's own packed word),
 * 8-11 node, 12-15 kernel id, then (full form) 16-23 message id and 24-31
 * correlation id.
 */
typedef struct
{
  GstRkHlcTimestamp stamp;
  guint32 kernel_id;
  guint64 message_id;
  guint64 correlation_id;
} GstRkHlcWire;

GST_RK_API
gsize gst_rk_hlc_wire_encode (const GstRkHlcWire * wire, gboolean full,
    guint8 * data, gsize size);
GST_RK_API
gboolean gst_rk_hlc_wire_decode (const guint8 * data, gsize size,
    GstRkHlcWire * wire, GError ** error);

G_END_DECLS

#endif /* __GST_RK_HLC_WIRE_H__ */
