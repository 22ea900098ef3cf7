/* Across hosts: the HLC stamp over RTP (the rtphdrextrkhlc header
 * extension), between pipelines with their own runtimes and skewed clocks,
 * in one process and in two, on 127.0.0.1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gst/rtp/rtp.h>
#include <gst/check/gstharness.h>
#include "rktest.h"

#define URI GST_RK_HLC_WIRE_URI
#define N_BUFFERS 100
#define MS G_GINT64_CONSTANT (1000000)
/* Generous: a loaded CI machine, never a timing assert */
#define DEADLINE_S 15

#define RTP_CAPS "application/x-rtp,media=application,clock-rate=90000," \
  "encoding-name=X-GST,extmap-1=(string)" URI

typedef struct
{
  guint64 value;
  GstRkHlcTimestamp stamp;
  guint32 kernel_id;
  guint64 message_id;
  guint64 correlation_id;
} Record;

typedef struct
{
  GMutex lock;
  GCond cond;
  GArray *records;              /* Record */
  guint drop_every;             /* drop every Nth packet (RTP loss), 0: none */
  guint drop_until;             /* ... among the first this many */
  guint packets;
} Capture;

static void
capture_init (Capture * c)
{
  memset (c, 0, sizeof (*c));
  g_mutex_init (&c->lock);
  g_cond_init (&c->cond);
  c->records = g_array_new (FALSE, TRUE, sizeof (Record));
}

static void
capture_clear (Capture * c)
{
  g_array_unref (c->records);
  g_mutex_clear (&c->lock);
  g_cond_clear (&c->cond);
}

static guint
capture_count (Capture * c)
{
  guint n;

  g_mutex_lock (&c->lock);
  n = c->records->len;
  g_mutex_unlock (&c->lock);
  return n;
}

static GstPadProbeReturn
record_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Capture *c = data;
  GstBuffer *buf;
  GstRkHlcMeta *meta;
  Record r = { 0, };

  g_assert_true (info->type & GST_PAD_PROBE_TYPE_BUFFER);
  buf = GST_PAD_PROBE_INFO_BUFFER (info);
  meta = gst_buffer_get_rk_hlc_meta (buf);

  r.value = rk_test_read_u64 (buf);
  if (meta) {
    r.stamp = meta->stamp;
    r.kernel_id = meta->kernel_id;
    r.message_id = meta->message_id;
    r.correlation_id = meta->correlation_id;
  }
  g_mutex_lock (&c->lock);
  g_array_append_val (c->records, r);
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
  return GST_PAD_PROBE_OK;
}

/* Deterministic loss before the sender's udpsink: every drop_every-th
 * packet after the first ones (caps travel in those). rtpgstpay pushes
 * lists. */
static gboolean
drop_packet (Capture * c)
{
  guint k = c->packets++;

  return k >= 10 && k < c->drop_until && k % c->drop_every == 0;
}

static GstPadProbeReturn
loss_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Capture *c = data;
  GstBufferList *list;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    return drop_packet (c) ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;

  list = gst_buffer_list_make_writable (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  for (guint i = 0; i < gst_buffer_list_length (list);) {
    if (drop_packet (c))
      gst_buffer_list_remove (list, i, 1);
    else
      i++;
  }
  GST_PAD_PROBE_INFO_DATA (info) = list;
  return gst_buffer_list_length (list) ? GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;
}

static void
add_probe (GstElement * pipeline, const gchar * name, const gchar * pad,
    GstPadProbeCallback cb, Capture * c)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), name);
  GstPad *p = gst_element_get_static_pad (e, pad);

  g_assert_nonnull (p);
  gst_pad_add_probe (p, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, cb, c, NULL);
  gst_object_unref (p);
  gst_object_unref (e);
}

/* A pipeline with its own runtime, its clock skewed by @skew_ns. */
static GstElement *
pipeline_with_runtime (const gchar * desc, gint64 skew_ns)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &err);
  GstRkRuntime *rt;
  GstContext *ctx;

  g_assert_no_error (err);
  rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  gst_rk_runtime_set_clock_skew (rt, skew_ns);
  ctx = gst_rk_context_new (rt);
  gst_element_set_context (pipeline, ctx);
  gst_context_unref (ctx);
  gst_object_unref (rt);
  return pipeline;
}

static GstElement *
receiver_new (Capture * wire, Capture * out, gint * port)
{
  GstElement *pipeline, *src;

  pipeline = pipeline_with_runtime ("udpsrc name=src address=127.0.0.1 "
      "port=0 caps=\"" RTP_CAPS "\" ! rtpgstdepay name=depay source-info=true "
      "! rkecho name=rk ! fakesink name=sink sync=false", 0);
  add_probe (pipeline, "depay", "src", record_probe, wire);
  add_probe (pipeline, "sink", "sink", record_probe, out);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  /* udpsrc binds at READY → PAUSED: the port is known from here on */
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  g_object_get (src, "port", port, NULL);
  gst_object_unref (src);
  g_assert_cmpint (*port, >, 0);
  return pipeline;
}

static gchar *
sender_desc (gint port)
{
  return g_strdup_printf ("appsrc name=src format=time "
      "caps=application/x-rk-test ! rkecho name=rk ! rtpgstpay name=pay "
      "config-interval=1 ! " RTP_CAPS " ! udpsink host=127.0.0.1 port=%d "
      "sync=false async=false", port);
}

static void
push_all (GstElement * pipeline, guint n)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstFlowReturn ret;
  GstMessage *msg;
  GstBus *bus;

  for (guint i = 0; i < n; i++) {
    GstBuffer *buf = rk_test_make_buffer (i, 64);

    GST_BUFFER_PTS (buf) = i * 10 * GST_MSECOND;
    g_signal_emit_by_name (src, "push-buffer", buf, &ret);
    gst_buffer_unref (buf);
    g_assert_cmpint (ret, ==, GST_FLOW_OK);
  }
  g_signal_emit_by_name (src, "end-of-stream", &ret);
  gst_object_unref (src);

  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, DEADLINE_S * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_object_unref (bus);
}

/* Until @c holds a record of @last (loss: the ones before may be missing). */
static void
wait_for_value (Capture * c, guint64 last)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  gboolean seen = FALSE;

  g_mutex_lock (&c->lock);
  while (!seen) {
    for (guint i = 0; i < c->records->len && !seen; i++)
      seen = g_array_index (c->records, Record, i).value == last;
    if (!seen && !g_cond_wait_until (&c->cond, &c->lock, deadline))
      break;
  }
  g_mutex_unlock (&c->lock);
  g_assert_true (seen);
}

static guint64
element_stat (GstElement * pipeline, const gchar * name, const gchar * field)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), name);
  GstStructure *s;
  guint64 v = 0;

  g_object_get (e, "stats", &s, NULL);
  g_assert_true (gst_structure_get_uint64 (s, field, &v));
  gst_structure_free (s);
  gst_object_unref (e);
  return v;
}

/* The warnings @name posted; the first one's text in @text. */
static guint
count_warnings (GstElement * pipeline, const gchar * name, gchar ** text)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  guint n = 0;

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING))) {
    if (g_strcmp0 (GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), name) == 0) {
      GError *err = NULL;

      gst_message_parse_warning (msg, &err, NULL);
      if (n++ == 0 && text)
        *text = g_strdup (err->message);
      g_error_free (err);
    }
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return n;
}

static const Record *
find (GArray * records, guint64 value)
{
  for (guint i = 0; i < records->len; i++)
    if (g_array_index (records, Record, i).value == value)
      return &g_array_index (records, Record, i);
  return NULL;
}

/* What every run checks: each packet's meta is the sender's (ids and stamp
 * preserved); outputs come in order with strictly increasing stamps; and,
 * unless the sender's clock was refused, each is later than its sender's. */
static void
check_causality (GArray * sent, GArray * wire, GArray * out, gboolean refused)
{
  const Record *prev = NULL;

  g_assert_cmpuint (out->len, >, 0);
  g_assert_cmpuint (wire->len, ==, out->len);
  for (guint i = 0; i < wire->len; i++) {
    const Record *w = &g_array_index (wire, Record, i);
    const Record *s = find (sent, w->value);

    g_assert_nonnull (s);
    g_assert_cmpint (gst_rk_hlc_timestamp_compare (&w->stamp, &s->stamp), ==,
        0);
    g_assert_cmpuint (w->kernel_id, ==, s->kernel_id);
    g_assert_cmpuint (w->message_id, ==, s->message_id);
    g_assert_cmpuint (w->correlation_id, ==, s->correlation_id);
  }
  for (guint i = 0; i < out->len; i++) {
    const Record *o = &g_array_index (out, Record, i);
    const Record *s = find (sent, o->value);

    g_assert_nonnull (s);
    g_assert_cmpuint (o->stamp.physical, !=, 0);
    if (!refused)
      g_assert_cmpint (gst_rk_hlc_timestamp_compare (&o->stamp, &s->stamp), >,
          0);
    if (prev) {
      g_assert_cmpuint (o->value, >, prev->value);
      g_assert_cmpint (gst_rk_hlc_timestamp_compare (&o->stamp, &prev->stamp),
          >, 0);
    }
    prev = o;
  }
}

static void
stop (GstElement * pipeline)
{
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (pipeline);
}

/* Both pipelines in this process, each with its runtime. */
static void
run_in_process (gint64 skew_ns, gboolean lossy)
{
  Capture sent, wire, out;
  GstElement *receiver, *sender;
  guint n = lossy ? 2 * N_BUFFERS : N_BUFFERS;
  gboolean refused = skew_ns > (gint64) GST_RK_HLC_DEFAULT_MAX_DRIFT_US * 1000;
  gchar *desc, *text = NULL;
  gint port;

  capture_init (&sent);
  capture_init (&wire);
  capture_init (&out);
  receiver = receiver_new (&wire, &out, &port);
  desc = sender_desc (port);
  sender = pipeline_with_runtime (desc, skew_ns);
  g_free (desc);
  add_probe (sender, "rk", "src", record_probe, &sent);
  if (lossy) {
    /* 5% of the packets, none of the last few (the end of the run is the
     * last buffer arriving) */
    sent.drop_every = 20;
    sent.drop_until = n - 5;
    add_probe (sender, "pay", "src", loss_probe, &sent);
  }
  g_assert_cmpint (gst_element_set_state (sender, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  push_all (sender, n);
  wait_for_value (&out, n - 1);
  g_assert_cmpuint (capture_count (&sent), ==, n);

  check_causality (sent.records, wire.records, out.records, refused);
  g_assert_cmpuint (element_stat (sender, "rk", "emitted"), ==, n);
  g_assert_cmpuint (element_stat (receiver, "rk", "received"), ==,
      out.records->len);
  if (lossy) {
    g_assert_cmpuint (out.records->len, <, n);
    g_assert_cmpuint (out.records->len, >, n / 2);
  } else {
    g_assert_cmpuint (out.records->len, ==, n);
  }
  g_assert_cmpuint (element_stat (receiver, "rk", "clock-rejects"), ==,
      refused ? out.records->len : 0);
  g_assert_cmpuint (count_warnings (receiver, "rk", &text), ==, refused);
  if (refused) {
    /* The peer by its SSRC (the depayloader's source-info) and its node */
    g_assert_nonnull (strstr (text, "SSRC"));
    g_assert_nonnull (strstr (text, "too far ahead"));
  }
  g_free (text);

  stop (sender);
  stop (receiver);
  capture_clear (&sent);
  capture_clear (&wire);
  capture_clear (&out);
}

static void
test_skew_beyond_max_drift (void)
{
  run_in_process (3000 * MS, FALSE);
}

static void
test_loss (void)
{
  run_in_process (50 * MS, TRUE);
}

/* The sender process: tests/test-across-hosts --sender PORT N. Its runtime
 * takes the skew from RK_HLC_SKEW_NS; it prints one line per buffer it
 * sent: R value physical logical node kernel-id message-id correlation-id. */
static int
sender_main (gint port, guint n)
{
  Capture sent;
  GstElement *sender;
  GError *err = NULL;
  gchar *desc = sender_desc (port);

  capture_init (&sent);
  sender = gst_parse_launch (desc, &err);
  g_assert_no_error (err);
  g_free (desc);
  add_probe (sender, "rk", "src", record_probe, &sent);
  g_assert_cmpint (gst_element_set_state (sender, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  push_all (sender, n);
  stop (sender);
  for (guint i = 0; i < sent.records->len; i++) {
    const Record *r = &g_array_index (sent.records, Record, i);

    g_print ("R %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %u %u %u %"
        G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n", r->value,
        r->stamp.physical, r->stamp.logical, r->stamp.node, r->kernel_id,
        r->message_id, r->correlation_id);
  }
  capture_clear (&sent);
  return 0;
}

static GArray *
parse_sender_output (const gchar * text)
{
  GArray *records = g_array_new (FALSE, TRUE, sizeof (Record));
  gchar **lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i]; i++) {
    Record r = { 0, };

    /* Only the sender's records: g_test_init may print too */
    if (!g_str_has_prefix (lines[i], "R "))
      continue;
    g_assert_cmpint (sscanf (lines[i], "R %" G_GUINT64_FORMAT " %"
            G_GUINT64_FORMAT " %u %u %u %" G_GUINT64_FORMAT " %"
            G_GUINT64_FORMAT, &r.value, &r.stamp.physical, &r.stamp.logical,
            &r.stamp.node, &r.kernel_id, &r.message_id, &r.correlation_id),
        ==, 7);
    g_array_append_val (records, r);
  }
  g_strfreev (lines);
  return records;
}

static const gchar *self_path;

/* The sender in a second process, its clock skewed through the
 * environment. */
static void
run_two_processes (gint64 skew_ns)
{
  Capture wire, out;
  GstElement *receiver;
  gchar *argv[5], *out_text = NULL, *err_text = NULL;
  gchar **envp, *skew;
  GError *err = NULL;
  GArray *sent;
  gint port, status;

  capture_init (&wire);
  capture_init (&out);
  receiver = receiver_new (&wire, &out, &port);

  argv[0] = (gchar *) self_path;
  argv[1] = (gchar *) "--sender";
  argv[2] = g_strdup_printf ("%d", port);
  argv[3] = g_strdup_printf ("%d", N_BUFFERS);
  argv[4] = NULL;
  envp = g_get_environ ();
  skew = g_strdup_printf ("%" G_GINT64_FORMAT, skew_ns);
  envp = g_environ_setenv (envp, "RK_HLC_SKEW_NS", skew, TRUE);
  g_free (skew);
  g_assert_true (g_spawn_sync (NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
          &out_text, &err_text, &status, &err));
  g_assert_no_error (err);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("sender failed: %s", err_text);
  sent = parse_sender_output (out_text);
  g_assert_cmpuint (sent->len, ==, N_BUFFERS);

  wait_for_value (&out, N_BUFFERS - 1);
  g_assert_cmpuint (out.records->len, ==, N_BUFFERS);
  check_causality (sent, wire.records, out.records, FALSE);
  g_assert_cmpuint (element_stat (receiver, "rk", "clock-rejects"), ==, 0);
  g_assert_cmpuint (count_warnings (receiver, "rk", NULL), ==, 0);

  stop (receiver);
  g_array_unref (sent);
  g_free (out_text);
  g_free (err_text);
  g_free (argv[2]);
  g_free (argv[3]);
  g_strfreev (envp);
  capture_clear (&wire);
  capture_clear (&out);
}

static void
test_two_processes_ahead (void)
{
  run_two_processes (50 * MS);
}

static void
test_two_processes_behind (void)
{
  run_two_processes (-50 * MS);
}

/* The wire format itself: both forms, and what does not decode. */
static void
test_wire (void)
{
  GstRkHlcWire w = { {1700000000000000, 4095, 0xdeadbeef}, 7, 42, 9 }, r;
  guint8 buf[40];
  GError *err = NULL;

  g_assert_cmpuint (gst_rk_hlc_wire_encode (&w, TRUE, buf, sizeof (buf)), ==,
      GST_RK_HLC_WIRE_FULL_SIZE);
  g_assert_true (gst_rk_hlc_wire_decode (buf, 32, &r, NULL));
  g_assert_cmpint (gst_rk_hlc_timestamp_compare (&r.stamp, &w.stamp), ==, 0);
  g_assert_cmpuint (r.kernel_id, ==, 7);
  g_assert_cmpuint (r.message_id, ==, 42);
  g_assert_cmpuint (r.correlation_id, ==, 9);
  /* Big-endian, the clock's packed word first */
  g_assert_cmpuint (GST_READ_UINT64_BE (buf), ==,
      (G_GUINT64_CONSTANT (1700000000000000) << 12) | 4095);
  g_assert_cmpuint (GST_READ_UINT32_BE (buf + 8), ==, 0xdeadbeef);

  g_assert_cmpuint (gst_rk_hlc_wire_encode (&w, FALSE, buf, sizeof (buf)), ==,
      GST_RK_HLC_WIRE_SHORT_SIZE);
  g_assert_true (gst_rk_hlc_wire_decode (buf, 16, &r, NULL));
  g_assert_cmpint (gst_rk_hlc_timestamp_compare (&r.stamp, &w.stamp), ==, 0);
  g_assert_cmpuint (r.kernel_id, ==, 7);
  g_assert_cmpuint (r.message_id, ==, 0);

  /* No room, no stamp */
  g_assert_cmpuint (gst_rk_hlc_wire_encode (&w, TRUE, buf, 31), ==, 0);
  w.stamp.physical = 0;
  g_assert_cmpuint (gst_rk_hlc_wire_encode (&w, FALSE, buf, 16), ==, 0);

  for (gsize n = 0; n <= 40; n++) {
    if (n == 16 || n == 32)
      continue;
    g_assert_false (gst_rk_hlc_wire_decode (buf, n, &r, &err));
    g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_MALFORMED);
    g_clear_error (&err);
  }
  memset (buf, 0, sizeof (buf));
  g_assert_false (gst_rk_hlc_wire_decode (buf, 16, &r, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_MALFORMED);
  g_clear_error (&err);
}

/* Payloaders find the extension by its URI, as auto-header-extension does. */
static void
test_discovered (void)
{
  GstRTPHeaderExtension *ext = gst_rtp_header_extension_create_from_uri (URI);

  g_assert_nonnull (ext);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (ext), ==, "GstRkHlcHdrExt");
  g_assert_cmpstr (gst_rtp_header_extension_get_uri (ext), ==, URI);
  gst_object_unref (ext);
}

static guint64
ext_stat (GstRTPHeaderExtension * ext, const gchar * field)
{
  GstStructure *s;
  guint64 v = 0;

  g_object_get (ext, "stats", &s, NULL);
  g_assert_true (gst_structure_get_uint64 (s, field, &v));
  gst_structure_free (s);
  return v;
}

static GstRTPHeaderExtension *
request_extension (GstElement * depay, guint id, const gchar * uri,
    gpointer ext)
{
  g_assert_cmpstr (uri, ==, URI);
  gst_rtp_header_extension_set_id (ext, id);
  return gst_object_ref (ext);
}

static void
collect_packet (GPtrArray * packets, GstBuffer * packet)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint8 *payload;

  g_assert_true (gst_rtp_buffer_map (packet, GST_MAP_READ, &rtp));
  payload = gst_rtp_buffer_get_payload (&rtp);
  /* Data packets only: rtpgstpay sends events in packets of their own,
   * with an event type in the second byte */
  if (gst_rtp_buffer_get_payload_len (&rtp) > 8 && payload[1] == 0)
    g_ptr_array_add (packets, gst_buffer_ref (packet));
  gst_rtp_buffer_unmap (&rtp);
}

static GstPadProbeReturn
collect_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GPtrArray *packets = data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    collect_packet (packets, GST_PAD_PROBE_INFO_BUFFER (info));
  } else {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

    for (guint i = 0; i < gst_buffer_list_length (list); i++)
      collect_packet (packets, gst_buffer_list_get (list, i));
  }
  return GST_PAD_PROBE_OK;
}

/* Packets of rtpgstpay, without any header extension. */
static GPtrArray *
make_packets (guint n)
{
  GPtrArray *packets = g_ptr_array_new_with_free_func (
      (GDestroyNotify) gst_buffer_unref);
  GError *err = NULL;
  GstElement *pipeline;

  pipeline = gst_parse_launch ("appsrc name=src format=time "
      "caps=application/x-rk-test ! rtpgstpay name=pay ! fakesink", &err);
  g_assert_no_error (err);
  add_probe (pipeline, "pay", "src", (GstPadProbeCallback) collect_probe,
      (Capture *) packets);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  push_all (pipeline, n);
  stop (pipeline);
  g_assert_cmpuint (packets->len, ==, n);
  return packets;
}

/* One extension element, id 1, of @size bytes of @data. */
static GstBuffer *
with_extension (GstBuffer * packet, gboolean one_byte, const guint8 * data,
    gsize size)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  GstBuffer *buf = gst_buffer_copy_deep (packet);

  g_assert_true (gst_rtp_buffer_map (buf, GST_MAP_READWRITE, &rtp));
  if (one_byte)
    g_assert_true (gst_rtp_buffer_add_extension_onebyte_header (&rtp, 1, data,
            size));
  else
    g_assert_true (gst_rtp_buffer_add_extension_twobytes_header (&rtp, 0, 1,
            data, size));
  gst_rtp_buffer_unmap (&rtp);
  return buf;
}

/* Truncated, oversized and garbage extension elements in real packets: the
 * depayloader's buffers go on without a meta, the extension counts them and
 * says why in a debug line. A good element after them is restored. */
static void
test_bad_extension_bytes (void)
{
  static const struct
  {
    gboolean one_byte;
    gsize size;
  } bad[] = { {TRUE, 15}, {FALSE, 33}, {FALSE, 255}, {TRUE, 1},
    {FALSE, 17}, {TRUE, 16},    /* 16 zero bytes: no physical time */
  };
  GstRTPHeaderExtension *ext = gst_rtp_header_extension_create_from_uri (URI);
  GstRkHlcWire good = { {1700000000000000, 3, 77}, 5, 1234, 99 };
  guint8 data[255] = { 0, };
  GstRkHlcMeta *meta;
  GPtrArray *packets;
  GstHarness *h;
  GstBuffer *out;
  guint i;

  packets = make_packets (G_N_ELEMENTS (bad) + 1);
  h = gst_harness_new ("rtpgstdepay");
  g_signal_connect (h->element, "request-extension",
      G_CALLBACK (request_extension), ext);
  gst_harness_set_src_caps_str (h, RTP_CAPS);

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    memset (data, i == G_N_ELEMENTS (bad) - 1 ? 0 : 0xa5, sizeof (data));
    g_assert_cmpint (gst_harness_push (h, with_extension (g_ptr_array_index
                (packets, i), bad[i].one_byte, data, bad[i].size)), ==,
        GST_FLOW_OK);
    out = gst_harness_pull (h);
    g_assert_cmpuint (rk_test_read_u64 (out), ==, i);
    g_assert_null (gst_buffer_get_rk_hlc_meta (out));
    gst_buffer_unref (out);
  }
  g_assert_cmpuint (ext_stat (ext, "rejected"), ==, G_N_ELEMENTS (bad));
  g_assert_cmpuint (ext_stat (ext, "restored"), ==, 0);

  g_assert_cmpuint (gst_rk_hlc_wire_encode (&good, TRUE, data, 32), ==, 32);
  g_assert_cmpint (gst_harness_push (h, with_extension (g_ptr_array_index
              (packets, i), FALSE, data, 32)), ==, GST_FLOW_OK);
  out = gst_harness_pull (h);
  meta = gst_buffer_get_rk_hlc_meta (out);
  g_assert_nonnull (meta);
  g_assert_cmpint (gst_rk_hlc_timestamp_compare (&meta->stamp, &good.stamp),
      ==, 0);
  g_assert_cmpuint (meta->kernel_id, ==, 5);
  g_assert_cmpuint (meta->message_id, ==, 1234);
  g_assert_cmpuint (meta->correlation_id, ==, 99);
  gst_buffer_unref (out);
  g_assert_cmpuint (ext_stat (ext, "restored"), ==, 1);

  gst_harness_teardown (h);
  g_ptr_array_unref (packets);
  gst_object_unref (ext);
}

int
main (int argc, char **argv)
{
  if (argc == 4 && strcmp (argv[1], "--sender") == 0) {
    rk_test_init (&argc, &argv);
    return sender_main (atoi (argv[2]), atoi (argv[3]));
  }
  self_path = argv[0];
  rk_test_init (&argc, &argv);
  g_test_add_func ("/across-hosts/wire", test_wire);
  g_test_add_func ("/across-hosts/discovered", test_discovered);
  g_test_add_func ("/across-hosts/bad-extension-bytes",
      test_bad_extension_bytes);
  g_test_add_func ("/across-hosts/two-processes/ahead-50ms",
      test_two_processes_ahead);
  g_test_add_func ("/across-hosts/two-processes/behind-50ms",
      test_two_processes_behind);
  g_test_add_func ("/across-hosts/skew-beyond-max-drift",
      test_skew_beyond_max_drift);
  g_test_add_func ("/across-hosts/loss", test_loss);
  return g_test_run ();
}
