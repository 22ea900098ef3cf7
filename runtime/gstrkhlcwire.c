/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gstrkhlcwire.h"
#include "gstrkerror.h"

/* The packing range of the clock: 52 bits of microseconds. */
#define PHYSICAL_LIMIT (G_GUINT64_CONSTANT (1) << (64 - GST_RK_HLC_LOGICAL_BITS))

static inline void
put_u32 (guint8 * p, guint32 v)
{
  v = GUINT32_TO_BE (v);
  memcpy (p, &v, 4);
}

static inline void
put_u64 (guint8 * p, guint64 v)
{
  v = GUINT64_TO_BE (v);
  memcpy (p, &v, 8);
}

static inline guint32
get_u32 (const guint8 * p)
{
  guint32 v;

  memcpy (&v, p, 4);
  return GUINT32_FROM_BE (v);
}

static inline guint64
get_u64 (const guint8 * p)
{
  guint64 v;

  memcpy (&v, p, 8);
  return GUINT64_FROM_BE (v);
}

/**
 * gst_rk_hlc_wire_encode:
 * @wire: the stamp and ids to write
 * @full: write the 32-byte form (with the message and correlation ids)
 *   rather than the 16-byte one
 * @data: (array length=size) (out caller-allocates): where the bytes go
 * @size: room at @data
 *
 * Returns: the bytes written, 0 when @size is too small or the stamp has
 * no physical time the clock could have issued (0, or past 2^52 us).
 */
gsize
gst_rk_hlc_wire_encode (const GstRkHlcWire * wire, gboolean full,
    guint8 * data, gsize size)
{
  gsize need = full ? GST_RK_HLC_WIRE_FULL_SIZE : GST_RK_HLC_WIRE_SHORT_SIZE;
  guint64 word;

  if (size < need || wire->stamp.physical == 0 ||
      wire->stamp.physical >= PHYSICAL_LIMIT)
    return 0;
  /* As the clock packs it: a logical part beyond 12 bits carries into the
   * physical part (order kept), saturating at the top of the range. */
  word = wire->stamp.physical << GST_RK_HLC_LOGICAL_BITS;
  word = (G_MAXUINT64 - word < wire->stamp.logical) ? G_MAXUINT64 :
      word + wire->stamp.logical;
  put_u64 (data, word);
  put_u32 (data + 8, wire->stamp.node);
  put_u32 (data + 12, wire->kernel_id);
  if (full) {
    put_u64 (data + 16, wire->message_id);
    put_u64 (data + 24, wire->correlation_id);
  }
  return need;
}

/**
 * gst_rk_hlc_wire_decode:
 * @data: (array length=size): the bytes, from the network
 * @size: bytes at @data
 * @wire: (out caller-allocates): the stamp and ids read
 * @error: why they are refused
 *
 * Reads untrusted bytes: exactly 16 or 32 of them, with a physical time
 * other than 0. Anything else is GST_RK_ERROR_MALFORMED.
 */
gboolean
gst_rk_hlc_wire_decode (const guint8 * data, gsize size, GstRkHlcWire * wire,
    GError ** error)
{
  guint64 word;

  if (size != GST_RK_HLC_WIRE_SHORT_SIZE && size != GST_RK_HLC_WIRE_FULL_SIZE) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "HLC header extension of %" G_GSIZE_FORMAT " bytes (must be %d or %d)",
        size, GST_RK_HLC_WIRE_SHORT_SIZE, GST_RK_HLC_WIRE_FULL_SIZE);
    return FALSE;
  }
  word = get_u64 (data);
  if ((word >> GST_RK_HLC_LOGICAL_BITS) == 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "HLC header extension without a physical time");
    return FALSE;
  }
  wire->stamp.physical = word >> GST_RK_HLC_LOGICAL_BITS;
  wire->stamp.logical = (guint32) (word & GST_RK_HLC_LOGICAL_MASK);
  wire->stamp.node = get_u32 (data + 8);
  wire->kernel_id = get_u32 (data + 12);
  if (size == GST_RK_HLC_WIRE_FULL_SIZE) {
    wire->message_id = get_u64 (data + 16);
    wire->correlation_id = get_u64 (data + 24);
  } else {
    wire->message_id = 0;
    wire->correlation_id = 0;
  }
  return TRUE;
}
