/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rtphdrextrkhlc
 * @title: rtphdrextrkhlc
 *
 * An RTP header extension that carries a buffer's GstRkHlcMeta across the
 * network: the sender's HLC stamp, node and kernel id and (unless #ids is
 * off) its message and correlation ids. URI
 * `urn:gst-ringkernel:rtp-hdrext:hlc:1`, layout in GstRkHlcWire.
 *
 * On the sender a payloader writes it on every packet of a buffer that has
 * the meta; on the receiver a depayloader restores the meta on the buffer
 * it pushes, and the next ring-kernel element merges the stamp into its
 * clock (a stamp too far ahead is refused there, counted in its
 * `clock-rejects` and warned about once). Payloaders and depayloaders pick
 * it up from `extmap-N` caps fields (`auto-header-extension`) or through
 * their `add-extension` and `request-extension` signals.
 *
 * Bytes that do not decode are dropped with a debug line and counted in
 * #stats; the packet goes on without the meta.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrkhlchdrext.h"
#include "ringkernel.h"

GST_DEBUG_CATEGORY_STATIC (gst_rk_hlc_hdr_ext_debug);
#define GST_CAT_DEFAULT gst_rk_hlc_hdr_ext_debug

struct _GstRkHlcHdrExt
{
  GstRTPHeaderExtension parent;

  gboolean ids;                 /* atomic */
  guint64 written;              /* atomic counters */
  guint64 restored;
  guint64 rejected;
};

enum
{
  PROP_0,
  PROP_IDS,
  PROP_STATS,
};

G_DEFINE_TYPE_WITH_CODE (GstRkHlcHdrExt, gst_rk_hlc_hdr_ext,
    GST_TYPE_RTP_HEADER_EXTENSION,
    GST_DEBUG_CATEGORY_INIT (gst_rk_hlc_hdr_ext_debug, "rtphdrextrkhlc", 0,
        "RTP header extension for ring-kernel HLC stamps"));

static GstRTPHeaderExtensionFlags
get_supported_flags (GstRTPHeaderExtension * ext)
{
  /* The reader takes either; the payloader picks the two-byte form when
   * the ids make the element bigger than one-byte headers allow. */
  return GST_RTP_HEADER_EXTENSION_ONE_BYTE | GST_RTP_HEADER_EXTENSION_TWO_BYTE;
}

static gsize
get_max_size (GstRTPHeaderExtension * ext, const GstBuffer * input_meta)
{
  GstRkHlcHdrExt *self = GST_RK_HLC_HDR_EXT (ext);

  return g_atomic_int_get (&self->ids) ? GST_RK_HLC_WIRE_FULL_SIZE :
      GST_RK_HLC_WIRE_SHORT_SIZE;
}

static gssize
write_ext (GstRTPHeaderExtension * ext, const GstBuffer * input_meta,
    GstRTPHeaderExtensionFlags write_flags, GstBuffer * output, guint8 * data,
    gsize size)
{
  GstRkHlcHdrExt *self = GST_RK_HLC_HDR_EXT (ext);
  GstRkHlcMeta *meta;
  GstRkHlcWire wire;
  gboolean full;
  gsize n;

  meta = gst_buffer_get_rk_hlc_meta ((GstBuffer *) input_meta);
  if (meta == NULL)
    return 0;                   /* nothing to carry: no element in the packet */

  wire.stamp = meta->stamp;
  wire.kernel_id = meta->kernel_id;
  wire.message_id = meta->message_id;
  wire.correlation_id = meta->correlation_id;
  full = g_atomic_int_get (&self->ids) &&
      (write_flags & GST_RTP_HEADER_EXTENSION_TWO_BYTE);
  n = gst_rk_hlc_wire_encode (&wire, full, data, size);
  if (n == 0) {
    GST_DEBUG_OBJECT (self, "stamp %" G_GUINT64_FORMAT " us cannot be sent",
        meta->stamp.physical);
    return 0;
  }
  __atomic_add_fetch (&self->written, 1, __ATOMIC_RELAXED);
  return n;
}

static gboolean
read_ext (GstRTPHeaderExtension * ext, GstRTPHeaderExtensionFlags read_flags,
    const guint8 * data, gsize size, GstBuffer * buffer)
{
  GstRkHlcHdrExt *self = GST_RK_HLC_HDR_EXT (ext);
  GError *err = NULL;
  GstRkHlcWire wire;

  if (!gst_rk_hlc_wire_decode (data, size, &wire, &err)) {
    GST_DEBUG_OBJECT (self, "dropped: %s", err->message);
    g_error_free (err);
    __atomic_add_fetch (&self->rejected, 1, __ATOMIC_RELAXED);
    return TRUE;                /* the packet itself is fine */
  }
  if (!gst_buffer_is_writable (buffer)) {
    GST_DEBUG_OBJECT (self, "dropped: output buffer not writable");
    __atomic_add_fetch (&self->rejected, 1, __ATOMIC_RELAXED);
    return TRUE;
  }
  gst_buffer_add_rk_hlc_meta (buffer, &wire.stamp, wire.kernel_id,
      wire.message_id, wire.correlation_id);
  __atomic_add_fetch (&self->restored, 1, __ATOMIC_RELAXED);
  return TRUE;
}

static void
gst_rk_hlc_hdr_ext_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRkHlcHdrExt *self = GST_RK_HLC_HDR_EXT (object);

  switch (prop_id) {
    case PROP_IDS:
      g_atomic_int_set (&self->ids, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rk_hlc_hdr_ext_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstRkHlcHdrExt *self = GST_RK_HLC_HDR_EXT (object);

  switch (prop_id) {
    case PROP_IDS:
      g_value_set_boolean (value, g_atomic_int_get (&self->ids));
      break;
    case PROP_STATS:
      g_value_take_boxed (value, gst_structure_new ("rtphdrextrkhlc-stats",
              "written", G_TYPE_UINT64,
              __atomic_load_n (&self->written, __ATOMIC_RELAXED),
              "restored", G_TYPE_UINT64,
              __atomic_load_n (&self->restored, __ATOMIC_RELAXED),
              "rejected", G_TYPE_UINT64,
              __atomic_load_n (&self->rejected, __ATOMIC_RELAXED), NULL));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rk_hlc_hdr_ext_class_init (GstRkHlcHdrExtClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstRTPHeaderExtensionClass *ext_class =
      GST_RTP_HEADER_EXTENSION_CLASS (klass);

  gobject_class->set_property = gst_rk_hlc_hdr_ext_set_property;
  gobject_class->get_property = gst_rk_hlc_hdr_ext_get_property;

  g_object_class_install_property (gobject_class, PROP_IDS,
      g_param_spec_boolean ("ids", "Ids",
          "Carry the message and correlation ids too (32 bytes: two-byte "
          "header form only); off: stamp, node and kernel id (16 bytes, "
          "fits the one-byte form)", TRUE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Elements written, restored, and rejected (did not decode)",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  ext_class->get_supported_flags = get_supported_flags;
  ext_class->get_max_size = get_max_size;
  ext_class->write = write_ext;
  ext_class->read = read_ext;

  /* The klass and the URI are how gst_rtp_header_extension_create_from_uri()
   * finds the factory. */
  gst_element_class_set_static_metadata (element_class,
      "RTP header extension: ring-kernel HLC stamp",
      GST_RTP_HDREXT_ELEMENT_CLASS,
      "Carries a buffer's hybrid logical clock stamp and message ids "
      "(GstRkHlcMeta) in RTP packets", "gst-ringkernel");
  gst_rtp_header_extension_class_set_uri (ext_class, GST_RK_HLC_WIRE_URI);
}

static void
gst_rk_hlc_hdr_ext_init (GstRkHlcHdrExt * self)
{
  self->ids = TRUE;
}
