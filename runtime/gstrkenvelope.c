/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stddef.h>
#include <string.h>
#include <gst/gst.h>

#include "gstrkenvelope.h"
#include "gstrkerror.h"

#define CHECK_OFFSET(field, off) \
  G_STATIC_ASSERT (offsetof (GstRkEnvelope, field) == (off))

G_STATIC_ASSERT (sizeof (GstRkEnvelope) == RK_ENVELOPE_SIZE);
CHECK_OFFSET (magic, RK_ENV_OFF_MAGIC);
CHECK_OFFSET (version, RK_ENV_OFF_VERSION);
CHECK_OFFSET (flags, RK_ENV_OFF_FLAGS);
CHECK_OFFSET (type, RK_ENV_OFF_TYPE);
CHECK_OFFSET (payload_size, RK_ENV_OFF_PAYLOAD_SIZE);
CHECK_OFFSET (message_id, RK_ENV_OFF_MESSAGE_ID);
CHECK_OFFSET (correlation_id, RK_ENV_OFF_CORRELATION);
CHECK_OFFSET (source, RK_ENV_OFF_SOURCE);
CHECK_OFFSET (dest, RK_ENV_OFF_DEST);
CHECK_OFFSET (hlc_physical, RK_ENV_OFF_HLC_PHYSICAL);
CHECK_OFFSET (hlc_logical, RK_ENV_OFF_HLC_LOGICAL);
CHECK_OFFSET (hlc_node, RK_ENV_OFF_HLC_NODE);
CHECK_OFFSET (payload_ref, RK_ENV_OFF_PAYLOAD_REF);

/**
 * gst_rk_envelope_init:
 * @env: (out caller-allocates): the envelope to fill
 * @type: the message type
 *
 * A valid envelope of @type with no payload and every id 0.
 */
void
gst_rk_envelope_init (GstRkEnvelope * env, guint32 type)
{
  memset (env, 0, sizeof (*env));
  env->magic = RK_ENVELOPE_MAGIC;
  env->version = RK_ENVELOPE_VERSION;
  env->type = type;
}

/**
 * gst_rk_message_type_get_name:
 * @type: a message type
 *
 * Returns: (transfer none): its name ("data", "request", ...)
 */
const gchar *
gst_rk_message_type_get_name (guint32 type)
{
  switch (type) {
    case RK_MSG_DATA:
      return "data";
    case RK_MSG_REQUEST:
      return "request";
    case RK_MSG_REPLY:
      return "reply";
    case RK_MSG_NOTIFY:
      return "notify";
    case RK_MSG_CONTROL:
      return "control";
    default:
      return "unknown";
  }
}

/**
 * gst_rk_envelope_encode:
 * @env: an envelope
 * @out: (out caller-allocates) (array fixed-size=64): the 64 wire bytes
 *
 * Writes @env in the wire layout (little-endian).
 */
void
gst_rk_envelope_encode (const GstRkEnvelope * env,
    guint8 out[RK_ENVELOPE_SIZE])
{
  GST_WRITE_UINT32_LE (out + RK_ENV_OFF_MAGIC, env->magic);
  GST_WRITE_UINT16_LE (out + RK_ENV_OFF_VERSION, env->version);
  GST_WRITE_UINT16_LE (out + RK_ENV_OFF_FLAGS, env->flags);
  GST_WRITE_UINT32_LE (out + RK_ENV_OFF_TYPE, env->type);
  GST_WRITE_UINT32_LE (out + RK_ENV_OFF_PAYLOAD_SIZE, env->payload_size);
  GST_WRITE_UINT64_LE (out + RK_ENV_OFF_MESSAGE_ID, env->message_id);
  GST_WRITE_UINT64_LE (out + RK_ENV_OFF_CORRELATION, env->correlation_id);
  GST_WRITE_UINT32_LE (out + RK_ENV_OFF_SOURCE, env->source);
  GST_WRITE_UINT32_LE (out + RK_ENV_OFF_DEST, env->dest);
  GST_WRITE_UINT64_LE (out + RK_ENV_OFF_HLC_PHYSICAL, env->hlc_physical);
  GST_WRITE_UINT32_LE (out + RK_ENV_OFF_HLC_LOGICAL, env->hlc_logical);
  GST_WRITE_UINT32_LE (out + RK_ENV_OFF_HLC_NODE, env->hlc_node);
  GST_WRITE_UINT64_LE (out + RK_ENV_OFF_PAYLOAD_REF, env->payload_ref);
}

/**
 * gst_rk_envelope_validate:
 * @env: an envelope
 * @error: return location for a #GError
 *
 * Checks magic, version, type, flags and the declared payload size.
 *
 * Returns: %TRUE when valid; %FALSE with GST_RK_ERROR_MALFORMED
 */
gboolean
gst_rk_envelope_validate (const GstRkEnvelope * env, GError ** error)
{
  guint payload_kinds;

  if (env->magic != RK_ENVELOPE_MAGIC) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "bad envelope magic 0x%08x (expected 0x%08x)", env->magic,
        RK_ENVELOPE_MAGIC);
    return FALSE;
  }
  if (env->version != RK_ENVELOPE_VERSION) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "unsupported envelope version %u (this build reads version %u)",
        env->version, RK_ENVELOPE_VERSION);
    return FALSE;
  }
  if (env->type == 0 || env->type > RK_MSG_TYPE_MAX) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "unknown message type %u", env->type);
    return FALSE;
  }
  if (env->flags & ~RK_FLAG_KNOWN_MASK) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "unknown envelope flags 0x%04x", env->flags & ~RK_FLAG_KNOWN_MASK);
    return FALSE;
  }
  /* At most one payload location may be named. */
  payload_kinds = env->flags & RK_FLAG_PAYLOAD_MASK;
  if (payload_kinds & (payload_kinds - 1)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "envelope names more than one payload location (flags 0x%04x)",
        env->flags);
    return FALSE;
  }
  if (env->payload_size > GST_RK_ENVELOPE_MAX_PAYLOAD) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "payload size %u exceeds the maximum of %u bytes", env->payload_size,
        GST_RK_ENVELOPE_MAX_PAYLOAD);
    return FALSE;
  }
  if (payload_kinds == 0 && env->payload_size != 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "payload size %u but no payload location flag", env->payload_size);
    return FALSE;
  }
  return TRUE;
}

/* Network bytes sit at any offset (a stream re-framed in an adapter):
 * read them through an aligned copy, as GStreamer's fast readers assume
 * alignment. */
static void
read_header (const guint8 * bytes, GstRkEnvelope * env)
{
  guint64 aligned[RK_ENVELOPE_SIZE / 8];
  const guint8 *data = (const guint8 *) aligned;

  memcpy (aligned, bytes, RK_ENVELOPE_SIZE);
  env->magic = GST_READ_UINT32_LE (data + RK_ENV_OFF_MAGIC);
  env->version = GST_READ_UINT16_LE (data + RK_ENV_OFF_VERSION);
  env->flags = GST_READ_UINT16_LE (data + RK_ENV_OFF_FLAGS);
  env->type = GST_READ_UINT32_LE (data + RK_ENV_OFF_TYPE);
  env->payload_size = GST_READ_UINT32_LE (data + RK_ENV_OFF_PAYLOAD_SIZE);
  env->message_id = GST_READ_UINT64_LE (data + RK_ENV_OFF_MESSAGE_ID);
  env->correlation_id = GST_READ_UINT64_LE (data + RK_ENV_OFF_CORRELATION);
  env->source = GST_READ_UINT32_LE (data + RK_ENV_OFF_SOURCE);
  env->dest = GST_READ_UINT32_LE (data + RK_ENV_OFF_DEST);
  env->hlc_physical = GST_READ_UINT64_LE (data + RK_ENV_OFF_HLC_PHYSICAL);
  env->hlc_logical = GST_READ_UINT32_LE (data + RK_ENV_OFF_HLC_LOGICAL);
  env->hlc_node = GST_READ_UINT32_LE (data + RK_ENV_OFF_HLC_NODE);
  env->payload_ref = GST_READ_UINT64_LE (data + RK_ENV_OFF_PAYLOAD_REF);
}

/**
 * gst_rk_envelope_decode:
 * @data: (array length=size): untrusted bytes: a header, followed by the
 *   payload when it is inline
 * @size: number of readable bytes at @data
 * @env: (out caller-allocates): the decoded envelope
 * @error: return location for a #GError
 *
 * Decodes and validates. An inline payload must lie entirely within @size.
 * Never reads outside [@data, @data + @size).
 *
 * Returns: %TRUE when @env holds a valid envelope; %FALSE with
 * GST_RK_ERROR_MALFORMED saying what is wrong
 */
gboolean
gst_rk_envelope_decode (const guint8 * data, gsize size, GstRkEnvelope * env,
    GError ** error)
{
  if (data == NULL || size < RK_ENVELOPE_SIZE) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "truncated envelope: %" G_GSIZE_FORMAT " bytes, a header needs %u",
        data ? size : 0, RK_ENVELOPE_SIZE);
    return FALSE;
  }

  read_header (data, env);

  if (!gst_rk_envelope_validate (env, error))
    return FALSE;

  if ((env->flags & RK_FLAG_INLINE) &&
      env->payload_size > size - RK_ENVELOPE_SIZE) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "truncated payload: header declares %u bytes, %" G_GSIZE_FORMAT
        " follow", env->payload_size, size - RK_ENVELOPE_SIZE);
    return FALSE;
  }
  return TRUE;
}

/* Where the magic could begin after the first byte: its first match of
 * all four bytes, or of a prefix that the end of @data cuts. */
static gsize
next_magic (const guint8 * data, gsize size)
{
  static const guint8 magic[4] = { RK_ENVELOPE_MAGIC & 0xff,
    (RK_ENVELOPE_MAGIC >> 8) & 0xff, (RK_ENVELOPE_MAGIC >> 16) & 0xff,
    RK_ENVELOPE_MAGIC >> 24
  };
  gsize i;

  for (i = 1; i < size; i++) {
    gsize len = MIN (sizeof (magic), size - i);

    if (memcmp (data + i, magic, len) == 0)
      break;
  }
  return i;
}

/**
 * gst_rk_envelope_scan:
 * @data: untrusted bytes from a stream that may not keep message boundaries
 *   (TCP), or one datagram's worth
 * @size: number of readable bytes at @data
 * @max_payload: the largest inline payload to believe (at most
 *   GST_RK_ENVELOPE_MAX_PAYLOAD)
 * @n: (out): see #GstRkEnvelopeScan
 * @error: (out) (optional): why, for GST_RK_ENVELOPE_SCAN_SKIP
 *
 * Re-frames messages by the envelope's own size field. A message from
 * another process must carry its payload inline (or have none): anything
 * else, a header that does not validate or a payload above @max_payload is
 * skipped up to the next possible magic, so the stream resyncs. Never reads
 * outside [@data, @data + @size).
 */
GstRkEnvelopeScan
gst_rk_envelope_scan (const guint8 * data, gsize size, guint32 max_payload,
    gsize * n, GError ** error)
{
  GstRkEnvelope env;
  gsize total;

  if (size < RK_ENVELOPE_SIZE) {
    /* Resync early on a wrong magic rather than wait for a header */
    guint32 magic = 0;

    if (size >= 4) {
      memcpy (&magic, data, 4);
      magic = GUINT32_FROM_LE (magic);
    }
    if (size >= 4 && magic != RK_ENVELOPE_MAGIC) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
          "bad envelope magic 0x%08x (expected 0x%08x)", magic,
          RK_ENVELOPE_MAGIC);
      *n = next_magic (data, size);
      return GST_RK_ENVELOPE_SCAN_SKIP;
    }
    *n = RK_ENVELOPE_SIZE;
    return GST_RK_ENVELOPE_SCAN_NEED_MORE;
  }

  read_header (data, &env);
  if (!gst_rk_envelope_validate (&env, error)) {
    *n = next_magic (data, size);
    return GST_RK_ENVELOPE_SCAN_SKIP;
  }
  if ((env.flags & RK_FLAG_PAYLOAD_MASK) & ~RK_FLAG_INLINE) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "a message from outside must carry its payload inline "
        "(flags 0x%04x)", env.flags);
    *n = next_magic (data, size);
    return GST_RK_ENVELOPE_SCAN_SKIP;
  }
  if (env.payload_size > MIN (max_payload, GST_RK_ENVELOPE_MAX_PAYLOAD)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "payload size %u exceeds the maximum of %u bytes", env.payload_size,
        MIN (max_payload, GST_RK_ENVELOPE_MAX_PAYLOAD));
    *n = next_magic (data, size);
    return GST_RK_ENVELOPE_SCAN_SKIP;
  }

  total = RK_ENVELOPE_SIZE + (gsize) env.payload_size;
  *n = total;
  return size < total ? GST_RK_ENVELOPE_SCAN_NEED_MORE :
      GST_RK_ENVELOPE_SCAN_FRAME;
}
