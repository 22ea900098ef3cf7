/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rkenvelopeparse
 * @title: rkenvelopeparse
 *
 * Turns `application/x-ringkernel` bytes from the network back into one
 * message per buffer (a 64-byte envelope, then its inline payload), the
 * form ring-kernel elements in raw mode take.
 *
 * A byte stream (`tcpclientsrc`, `tcpserversrc`, `srtsrc`) loses message
 * boundaries: messages are re-framed by the envelope's own size field. A
 * datagram transport keeps them: with `framed=true` in its sink caps (the
 * caps ring-kernel elements send, which `rtpgstpay` carries to
 * `rtpgstdepay`) each input buffer holds whole messages, and one cut short
 * at its end is dropped rather than completed by the next buffer.
 *
 * Bytes that do not make a message (bad magic, version, type or flags, a
 * payload that is not inline or is larger than #max-payload-size, a
 * truncated message) are dropped with a debug line and counted in #stats;
 * the stream resyncs at the next place an envelope magic could begin. They
 * never reach a kernel, whose raw input stops the stream on a malformed
 * message.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 tcpclientsrc port=5010 caps=application/x-ringkernel ! \
 *   rkenvelopeparse ! rkecho ! tcpclientsink port=5011
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/base/gstadapter.h>

#include "gstrkenvelopeparse.h"
#include "ringkernel.h"

GST_DEBUG_CATEGORY_STATIC (gst_rk_envelope_parse_debug);
#define GST_CAT_DEFAULT gst_rk_envelope_parse_debug

#define DEFAULT_MAX_PAYLOAD_SIZE (16u * 1024u * 1024u)

struct _GstRkEnvelopeParse
{
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* Streaming thread only */
  GstAdapter *adapter;
  gboolean framed;
  gboolean caps_sent;

  guint max_payload;            /* atomic */
  guint64 messages;             /* atomic counters */
  guint64 rejected;
  guint64 dropped_bytes;
};

enum
{
  PROP_0,
  PROP_MAX_PAYLOAD_SIZE,
  PROP_STATS,
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-ringkernel"));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-ringkernel, framed = (boolean) true"));

G_DEFINE_TYPE_WITH_CODE (GstRkEnvelopeParse, gst_rk_envelope_parse,
    GST_TYPE_ELEMENT,
    GST_DEBUG_CATEGORY_INIT (gst_rk_envelope_parse_debug, "rkenvelopeparse",
        0, "ring-kernel envelope parser"));

static void
reject (GstRkEnvelopeParse * self, gsize n, const GError * err)
{
  GST_DEBUG_OBJECT (self, "dropping %" G_GSIZE_FORMAT " bytes: %s", n,
      err ? err->message : "truncated message");
  __atomic_add_fetch (&self->rejected, 1, __ATOMIC_RELAXED);
  __atomic_add_fetch (&self->dropped_bytes, n, __ATOMIC_RELAXED);
}

static GstFlowReturn
push_message (GstRkEnvelopeParse * self, GstBuffer * out)
{
  __atomic_add_fetch (&self->messages, 1, __ATOMIC_RELAXED);
  return gst_pad_push (self->srcpad, out);
}

/* A datagram's worth: whole messages only, nothing kept for later. */
static GstFlowReturn
parse_framed (GstRkEnvelopeParse * self, GstBuffer * buf)
{
  guint max_payload = g_atomic_int_get (&self->max_payload);
  GstFlowReturn ret = GST_FLOW_OK;
  GstMapInfo map;
  gsize pos = 0;

  gst_buffer_map (buf, &map, GST_MAP_READ);
  while (pos < map.size && ret == GST_FLOW_OK) {
    GError *err = NULL;
    gsize n;

    switch (gst_rk_envelope_scan (map.data + pos, map.size - pos, max_payload,
            &n, &err)) {
      case GST_RK_ENVELOPE_SCAN_FRAME:
        ret = push_message (self, gst_buffer_copy_region (buf,
                GST_BUFFER_COPY_ALL, pos, n));
        break;
      case GST_RK_ENVELOPE_SCAN_NEED_MORE:
        n = map.size - pos;
        reject (self, n, NULL);
        break;
      case GST_RK_ENVELOPE_SCAN_SKIP:
        reject (self, n, err);
        g_clear_error (&err);
        break;
    }
    pos += n;
  }
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  return ret;
}

/* A byte stream: keep what may start a message until it is complete. */
static GstFlowReturn
parse_stream (GstRkEnvelopeParse * self, GstBuffer * buf)
{
  guint max_payload = g_atomic_int_get (&self->max_payload);
  GstFlowReturn ret = GST_FLOW_OK;

  gst_adapter_push (self->adapter, buf);
  while (ret == GST_FLOW_OK) {
    gsize avail = gst_adapter_available (self->adapter);
    const guint8 *data;
    GError *err = NULL;
    GstBuffer *out;
    GstClockTime pts;
    gsize n;

    if (avail == 0)
      break;
    data = gst_adapter_map (self->adapter, avail);
    switch (gst_rk_envelope_scan (data, avail, max_payload, &n, &err)) {
      case GST_RK_ENVELOPE_SCAN_FRAME:
        gst_adapter_unmap (self->adapter);
        pts = gst_adapter_prev_pts (self->adapter, NULL);
        out = gst_adapter_take_buffer (self->adapter, n);
        out = gst_buffer_make_writable (out);
        GST_BUFFER_PTS (out) = pts;
        ret = push_message (self, out);
        break;
      case GST_RK_ENVELOPE_SCAN_NEED_MORE:
        gst_adapter_unmap (self->adapter);
        return GST_FLOW_OK;
      case GST_RK_ENVELOPE_SCAN_SKIP:
        gst_adapter_unmap (self->adapter);
        reject (self, n, err);
        g_clear_error (&err);
        gst_adapter_flush (self->adapter, n);
        break;
    }
  }
  return ret;
}

static GstFlowReturn
gst_rk_envelope_parse_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstRkEnvelopeParse *self = GST_RK_ENVELOPE_PARSE (parent);

  if (self->framed)
    return parse_framed (self, buf);
  return parse_stream (self, buf);
}

/* What is left at the end of a stream is a message cut short. */
static void
drop_rest (GstRkEnvelopeParse * self)
{
  gsize avail = gst_adapter_available (self->adapter);

  if (avail > 0) {
    reject (self, avail, NULL);
    gst_adapter_clear (self->adapter);
  }
}

static gboolean
gst_rk_envelope_parse_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstRkEnvelopeParse *self = GST_RK_ENVELOPE_PARSE (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:{
      GstCaps *caps;
      gboolean framed = FALSE;

      gst_event_parse_caps (event, &caps);
      gst_structure_get_boolean (gst_caps_get_structure (caps, 0), "framed",
          &framed);
      if (framed != self->framed)
        drop_rest (self);
      self->framed = framed;
      GST_DEBUG_OBJECT (self, "input is %s", framed ? "framed" :
          "a byte stream");
      gst_event_unref (event);
      /* Ours went right after the stream-start */
      return TRUE;
    }
    case GST_EVENT_STREAM_START:{
      GstCaps *caps;
      gboolean ok;

      drop_rest (self);
      ok = gst_pad_push_event (self->srcpad, event);
      /* Ours are always the same (one message a buffer), and go before any
       * segment, even one that comes before upstream's caps (rtpgstdepay
       * has its caps from inside the stream). */
      if (!self->caps_sent) {
        caps = gst_static_pad_template_get_caps (&src_template);
        self->caps_sent = gst_pad_push_event (self->srcpad,
            gst_event_new_caps (caps));
        gst_caps_unref (caps);
      }
      return ok;
    }
    case GST_EVENT_EOS:
      drop_rest (self);
      break;
    case GST_EVENT_FLUSH_STOP:
      gst_adapter_clear (self->adapter);
      break;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

static GstStateChangeReturn
gst_rk_envelope_parse_change_state (GstElement * element,
    GstStateChange transition)
{
  GstRkEnvelopeParse *self = GST_RK_ENVELOPE_PARSE (element);
  GstStateChangeReturn ret;

  ret = GST_ELEMENT_CLASS (gst_rk_envelope_parse_parent_class)->change_state
      (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    gst_adapter_clear (self->adapter);
    self->caps_sent = FALSE;
    self->framed = FALSE;
  }
  return ret;
}

static GstStructure *
get_stats (GstRkEnvelopeParse * self)
{
  return gst_structure_new ("rkenvelopeparse-stats",
      "messages", G_TYPE_UINT64,
      __atomic_load_n (&self->messages, __ATOMIC_RELAXED),
      "rejected", G_TYPE_UINT64,
      __atomic_load_n (&self->rejected, __ATOMIC_RELAXED),
      "dropped-bytes", G_TYPE_UINT64,
      __atomic_load_n (&self->dropped_bytes, __ATOMIC_RELAXED), NULL);
}

static void
gst_rk_envelope_parse_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRkEnvelopeParse *self = GST_RK_ENVELOPE_PARSE (object);

  switch (prop_id) {
    case PROP_MAX_PAYLOAD_SIZE:
      g_atomic_int_set (&self->max_payload, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rk_envelope_parse_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstRkEnvelopeParse *self = GST_RK_ENVELOPE_PARSE (object);

  switch (prop_id) {
    case PROP_MAX_PAYLOAD_SIZE:
      g_value_set_uint (value, g_atomic_int_get (&self->max_payload));
      break;
    case PROP_STATS:
      g_value_take_boxed (value, get_stats (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rk_envelope_parse_finalize (GObject * object)
{
  GstRkEnvelopeParse *self = GST_RK_ENVELOPE_PARSE (object);

  g_object_unref (self->adapter);
  G_OBJECT_CLASS (gst_rk_envelope_parse_parent_class)->finalize (object);
}

static void
gst_rk_envelope_parse_class_init (GstRkEnvelopeParseClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_rk_envelope_parse_set_property;
  gobject_class->get_property = gst_rk_envelope_parse_get_property;
  gobject_class->finalize = gst_rk_envelope_parse_finalize;
  element_class->change_state = gst_rk_envelope_parse_change_state;

  g_object_class_install_property (gobject_class, PROP_MAX_PAYLOAD_SIZE,
      g_param_spec_uint ("max-payload-size", "Max payload size",
          "Largest inline payload (bytes) a message from the network may "
          "declare; a larger one is dropped as malformed", 0,
          GST_RK_ENVELOPE_MAX_PAYLOAD, DEFAULT_MAX_PAYLOAD_SIZE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "messages (pushed), rejected (malformed or truncated pieces "
          "dropped), dropped-bytes", GST_TYPE_STRUCTURE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Ring-kernel envelope parser", "Codec/Parser/Network",
      "Re-frames application/x-ringkernel messages from the network by the "
      "envelope's size field, dropping malformed bytes",
      "gst-ringkernel maintainers");
}

static void
gst_rk_envelope_parse_init (GstRkEnvelopeParse * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_rk_envelope_parse_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_rk_envelope_parse_sink_event));
  GST_PAD_SET_PROXY_ALLOCATION (self->sinkpad);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->adapter = gst_adapter_new ();
  self->max_payload = DEFAULT_MAX_PAYLOAD_SIZE;
}
