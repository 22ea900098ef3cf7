/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_ENVELOPE_H__
#define __GST_RK_ENVELOPE_H__

#include <glib.h>
#include "gstrkapi.h"
#include "gstrkabi.h"

G_BEGIN_DECLS

/**
 * GstRkEnvelope:
 *
 * The 64-byte message header of DESIGN §6, in host byte order. Its memory
 * layout equals the wire layout on little-endian hosts (checked at compile
 * time), so ring slots hold it directly; gst_rk_envelope_encode() and
 * gst_rk_envelope_decode() convert explicitly for untrusted bytes.
 */
typedef struct
{
  guint32 magic;
  guint16 version;
  guint16 flags;
  guint32 type;
  guint32 payload_size;
  guint64 message_id;
  guint64 correlation_id;
  guint32 source;
  guint32 dest;
  guint64 hlc_physical;
  guint32 hlc_logical;
  guint32 hlc_node;
  guint64 payload_ref;
} GstRkEnvelope;

/* The largest payload a message may declare (256 MiB): bounds what a decoder
 * of untrusted bytes will believe. */
#define GST_RK_ENVELOPE_MAX_PAYLOAD (256u * 1024u * 1024u)

/**
 * GST_RK_MESSAGE_DATA:
 *
 * Message type: stream data (a buffer).
 */
#define GST_RK_MESSAGE_DATA 1
/**
 * GST_RK_MESSAGE_REQUEST:
 *
 * Message type: a request that expects a %GST_RK_MESSAGE_REPLY with the
 * same correlation id.
 */
#define GST_RK_MESSAGE_REQUEST 2
/**
 * GST_RK_MESSAGE_REPLY:
 *
 * Message type: the reply to a request.
 */
#define GST_RK_MESSAGE_REPLY 3
/**
 * GST_RK_MESSAGE_NOTIFY:
 *
 * Message type: an event the kernel emits (motion, anomaly, spectrum).
 */
#define GST_RK_MESSAGE_NOTIFY 4
/**
 * GST_RK_MESSAGE_CONTROL:
 *
 * Message type: runtime to kernel (reset state, ...).
 */
#define GST_RK_MESSAGE_CONTROL 5

/* The same values as the device ABI's RK_MSG_* (gstrkabi.h), named for
 * language bindings, which do not see that header. */
#ifndef __GI_SCANNER__
G_STATIC_ASSERT (GST_RK_MESSAGE_DATA == RK_MSG_DATA);
G_STATIC_ASSERT (GST_RK_MESSAGE_REQUEST == RK_MSG_REQUEST);
G_STATIC_ASSERT (GST_RK_MESSAGE_REPLY == RK_MSG_REPLY);
G_STATIC_ASSERT (GST_RK_MESSAGE_NOTIFY == RK_MSG_NOTIFY);
G_STATIC_ASSERT (GST_RK_MESSAGE_CONTROL == RK_MSG_CONTROL);
#endif

GST_RK_API
void gst_rk_envelope_init (GstRkEnvelope * env, guint32 type);

GST_RK_API
void gst_rk_envelope_encode (const GstRkEnvelope * env,
    guint8 out[RK_ENVELOPE_SIZE]);

GST_RK_API
gboolean gst_rk_envelope_decode (const guint8 * data, gsize size,
    GstRkEnvelope * env, GError ** error);

GST_RK_API
gboolean gst_rk_envelope_validate (const GstRkEnvelope * env, GError ** error);

/**
 * GstRkEnvelopeScan:
 * @GST_RK_ENVELOPE_SCAN_FRAME: a whole message starts at the first byte:
 *   the first *n bytes (its header and inline payload)
 * @GST_RK_ENVELOPE_SCAN_NEED_MORE: what is there may start a message: at
 *   least *n bytes in all are needed to tell
 * @GST_RK_ENVELOPE_SCAN_SKIP: the first byte starts no message: drop *n
 *   bytes (up to the next place the magic could begin) and scan again
 *
 * What gst_rk_envelope_scan() found at the start of a byte stream.
 */
typedef enum
{
  GST_RK_ENVELOPE_SCAN_FRAME,
  GST_RK_ENVELOPE_SCAN_NEED_MORE,
  GST_RK_ENVELOPE_SCAN_SKIP,
} GstRkEnvelopeScan;

GST_RK_API
GstRkEnvelopeScan gst_rk_envelope_scan (const guint8 * data, gsize size,
    guint32 max_payload, gsize * n, GError ** error);

GST_RK_API
const gchar *gst_rk_message_type_get_name (guint32 type);

G_END_DECLS

#endif /* __GST_RK_ENVELOPE_H__ */
