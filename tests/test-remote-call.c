/* Message actors across processes: gst_rk_kernel_call() on an rkrelay in
 * this process, answered by rkecho in a second one (this binary again,
 * with --server), over RTP on UDP and over TCP on 127.0.0.1; and
 * rkenvelopeparse on malformed bytes from a socket and in datagrams. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <gio/gio.h>
#include "rktest.h"

#define SECOND G_USEC_PER_SEC
#define RTP_CAPS "application/x-rtp,media=application,clock-rate=90000," \
  "encoding-name=X-GST"
#define N_CALLS 50
#define CALL_SIZE 64

static const gchar *self_path;

static GstElement *
launch (const gchar * desc, GstRkRuntime ** rt)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &err);

  g_assert_no_error (err);
  if (rt) {
    GstContext *ctx;

    *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
    ctx = gst_rk_context_new (*rt);
    gst_element_set_context (pipeline, ctx);
    gst_context_unref (ctx);
  }
  return pipeline;
}

static gint
get_int (GstElement * pipeline, const gchar * name, const gchar * prop)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), name);
  gint v;

  g_object_get (e, prop, &v, NULL);
  gst_object_unref (e);
  return v;
}

static guint64
parse_stat (GstElement * pipeline, const gchar * field)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), "parse");
  GstStructure *s;
  guint64 v = 0;

  g_object_get (e, "stats", &s, NULL);
  g_assert_true (gst_structure_get_uint64 (s, field, &v));
  gst_structure_free (s);
  gst_object_unref (e);
  return v;
}

static void
stop (GstElement * pipeline)
{
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (pipeline);
}

static void
assert_no_error (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  if (msg) {
    GError *err;
    gchar *dbg;

    gst_message_parse_error (msg, &err, &dbg);
    g_error ("%s: %s (%s)", GST_OBJECT_NAME (msg->src), err->message, dbg);
  }
  gst_object_unref (bus);
}

/* ---- The far end: tests/test-remote-call --server udp|tcp PORT [PORT] ----
 * rkecho answers each request; prints "ready PORT" once it listens (UDP)
 * or has connected (TCP), then runs until killed or the stream ends. */
static int
server_main (const gchar * transport, gint port_a, gint port_b)
{
  GstElement *pipeline;
  GstMessage *msg;
  gchar *desc;

  if (strcmp (transport, "udp") == 0)
    desc = g_strdup_printf ("udpsrc name=src address=127.0.0.1 port=0 "
        "caps=\"" RTP_CAPS "\" ! rtpgstdepay ! rkenvelopeparse ! rkecho ! "
        "rtpgstpay config-interval=1 ! udpsink host=127.0.0.1 port=%d "
        "sync=false async=false", port_a);
  else
    desc = g_strdup_printf ("tcpclientsrc host=127.0.0.1 port=%d ! "
        "application/x-ringkernel ! rkenvelopeparse ! rkecho ! "
        "tcpclientsink host=127.0.0.1 port=%d sync=false async=false",
        port_a, port_b);
  pipeline = launch (desc, NULL);
  g_free (desc);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  g_print ("ready %d\n", strcmp (transport, "udp") == 0 ?
      get_int (pipeline, "src", "port") : 0);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline),
      60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err;

    gst_message_parse_error (msg, &err, NULL);
    g_printerr ("server: %s\n", err->message);
    g_error_free (err);
  }
  gst_clear_message (&msg);
  stop (pipeline);
  return 0;
}

typedef struct
{
  GPid pid;
  GIOChannel *out;
} Server;

/* Starts the far end and waits for its "ready PORT" line. */
static gint
server_start (Server * s, const gchar * transport, gint port_a, gint port_b)
{
  gchar *argv[6] = { (gchar *) self_path, (gchar *) "--server",
    (gchar *) transport, g_strdup_printf ("%d", port_a),
    g_strdup_printf ("%d", port_b), NULL
  };
  GError *err = NULL;
  gchar *line = NULL;
  gint fd, port = -1;

  g_assert_true (g_spawn_async_with_pipes (NULL, argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &s->pid, NULL, &fd, NULL,
          &err));
  g_assert_no_error (err);
  s->out = g_io_channel_unix_new (fd);
  g_io_channel_set_close_on_unref (s->out, TRUE);
  /* g_test_init may print before the line */
  while (g_io_channel_read_line (s->out, &line, NULL, NULL, &err) ==
      G_IO_STATUS_NORMAL) {
    if (sscanf (line, "ready %d", &port) == 1)
      break;
    g_clear_pointer (&line, g_free);
  }
  g_assert_no_error (err);
  g_assert_cmpint (port, >=, 0);
  g_free (line);
  g_free (argv[3]);
  g_free (argv[4]);
  return port;
}

static void
server_kill (Server * s)
{
  int status;

  kill (s->pid, SIGKILL);
  g_assert_cmpint (waitpid (s->pid, &status, 0), ==, s->pid);
  g_spawn_close_pid (s->pid);
  g_io_channel_unref (s->out);
}

/* Waits, with a generous deadline, until the relay has counted @n orphan
 * replies: the late reply crosses two processes. */
static void
wait_orphans (GstRkKernel * k, guint64 n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * SECOND;

  while (rk_test_kernel_stat (k, "orphan-replies") < n &&
      g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_cmpuint (rk_test_kernel_stat (k, "orphan-replies"), ==, n);
}

/* The calls: each reply carries its request's tag and the call's
 * correlation id; one call that gives up gets its reply late,
 * counted as an orphan, and the next call still gets its own. With the far
 * end killed, a call times out (UDP), or fails at once as the closed
 * connection ended the stream (TCP). */
static void
exercise (GstElement * pipeline, GstRkRuntime * rt, Server * server,
    gboolean connected)
{
  GstRkKernel *k = gst_rk_runtime_get_kernel (rt, "remote");
  GstElement *parse;
  GstPad *pad;
  gulong probe;
  GstRkMessage reply;
  GError *err = NULL;
  gchar *expected;

  g_assert_nonnull (k);
  for (guint i = 0; i < N_CALLS; i++) {
    if (!gst_rk_kernel_call (k, rk_test_make_buffer (1000 + i, CALL_SIZE),
            10 * SECOND, &reply, &err))
      g_error ("call %u: %s", i, err->message);
    g_assert_cmpuint (reply.env.type, ==, RK_MSG_REPLY);
    g_assert_cmpuint (reply.env.correlation_id, ==,
        GST_RK_CALL_CORRELATION_BIT | (i + 1));
    g_assert_cmpuint (rk_test_read_u64 (reply.payload), ==, 1000 + i);
    g_assert_cmpuint (gst_buffer_get_size (reply.payload), ==, CALL_SIZE);
    gst_rk_message_clear (&reply);
  }
  g_assert_cmpuint (rk_test_kernel_stat (k, "orphan-replies"), ==, 0);

  /* The replies are held back until the call has given up: the late
   * reply is for nobody */
  parse = gst_bin_get_by_name (GST_BIN (pipeline), "parse");
  pad = gst_element_get_static_pad (parse, "src");
  probe = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BLOCK |
      GST_PAD_PROBE_TYPE_BUFFER, NULL, NULL, NULL);
  g_assert_false (gst_rk_kernel_call (k, rk_test_make_buffer (7, CALL_SIZE),
          100 * 1000, &reply, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
  g_clear_error (&err);
  gst_pad_remove_probe (pad, probe);
  gst_object_unref (pad);
  gst_object_unref (parse);
  wait_orphans (k, 1);
  g_assert_true (gst_rk_kernel_call (k, rk_test_make_buffer (8, CALL_SIZE),
          10 * SECOND, &reply, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (rk_test_read_u64 (reply.payload), ==, 8);
  gst_rk_message_clear (&reply);
  assert_no_error (pipeline);

  server_kill (server);
  if (connected) {
    GstMessage *msg;

    /* TCP: the closed connection ends the stream (EOS from tcpserversrc);
     * the relay stops and a call fails at once. */
    msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline),
        10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    g_assert_nonnull (msg);
    g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
    gst_message_unref (msg);
    g_assert_false (gst_rk_kernel_call (k, rk_test_make_buffer (9, CALL_SIZE),
            10 * SECOND, &reply, &err));
    g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_FLUSHING);
    g_assert_cmpstr (err->message, ==, "kernel remote is flushing");
  } else {
    /* UDP: nobody answers; the call times out */
    g_assert_false (gst_rk_kernel_call (k, rk_test_make_buffer (9, CALL_SIZE),
            300 * 1000, &reply, &err));
    expected = g_strdup_printf ("no reply from kernel remote to call %u "
        "within 300 ms", N_CALLS + 3);
    g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
    g_assert_cmpstr (err->message, ==, expected);
    g_free (expected);
  }
  g_clear_error (&err);
  gst_object_unref (k);
}

static void
test_call_over_rtp (void)
{
  GstRkRuntime *rt;
  GstElement *pipeline, *sink;
  Server server;
  gint port;

  pipeline = launch ("udpsrc name=src address=127.0.0.1 port=0 "
      "caps=\"" RTP_CAPS "\" ! rtpgstdepay ! rkenvelopeparse name=parse ! "
      "rkrelay name=remote ! rtpgstpay config-interval=1 ! "
      "udpsink name=sink host=127.0.0.1 sync=false async=false", &rt);
  /* udpsrc binds at READY → PAUSED: then the far end can answer it */
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PAUSED), !=,
      GST_STATE_CHANGE_FAILURE);
  port = server_start (&server, "udp", get_int (pipeline, "src", "port"), 0);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (sink, "port", port, NULL);
  gst_object_unref (sink);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);

  exercise (pipeline, rt, &server, FALSE);
  g_assert_cmpuint (parse_stat (pipeline, "messages"), ==, N_CALLS + 2);
  g_assert_cmpuint (parse_stat (pipeline, "rejected"), ==, 0);
  stop (pipeline);
  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (rt);
}

static void
test_call_over_tcp (void)
{
  GstRkRuntime *rt;
  GstElement *pipeline, *sink;
  Server server;
  gint64 deadline = g_get_monotonic_time () + 10 * SECOND;
  gint handles = 0;

  /* Both listen here; the far end connects to both. */
  pipeline = launch ("tcpserversrc name=src host=127.0.0.1 port=0 ! "
      "application/x-ringkernel ! rkenvelopeparse name=parse ! "
      "rkrelay name=remote ! tcpserversink name=sink host=127.0.0.1 port=0 "
      "sync=false async=false", &rt);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  server_start (&server, "tcp", get_int (pipeline, "sink", "current-port"),
      get_int (pipeline, "src", "current-port"));
  /* tcpserversink sends only to clients it has taken: wait for the far
   * end's connection before the first call */
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  while (g_get_monotonic_time () < deadline) {
    g_object_get (sink, "num-handles", &handles, NULL);
    if (handles > 0)
      break;
    g_usleep (1000);
  }
  gst_object_unref (sink);
  g_assert_cmpint (handles, ==, 1);

  exercise (pipeline, rt, &server, TRUE);
  g_assert_cmpuint (parse_stat (pipeline, "messages"), ==, N_CALLS + 2);
  g_assert_cmpuint (parse_stat (pipeline, "rejected"), ==, 0);
  stop (pipeline);
  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (rt);
}

/* ---- Malformed bytes ---- */

static GBytes *
message (guint64 tag, guint16 version, guint16 flags, guint32 payload_size,
    gsize payload_bytes)
{
  guint8 *data = g_malloc0 (RK_ENVELOPE_SIZE + payload_bytes);
  GstRkEnvelope env;

  gst_rk_envelope_init (&env, RK_MSG_DATA);
  env.version = version;
  env.flags = flags;
  env.payload_size = payload_size;
  gst_rk_envelope_encode (&env, data);
  for (gsize i = 0; i < payload_bytes; i++)
    data[RK_ENVELOPE_SIZE + i] = i < 8 ? (tag >> (8 * i)) & 0xff : 0x11;
  return g_bytes_new_take (data, RK_ENVELOPE_SIZE + payload_bytes);
}

static GBytes *
good (guint64 tag)
{
  return message (tag, RK_ENVELOPE_VERSION, RK_FLAG_INLINE, 24, 24);
}

static GBytes *
garbage (gsize n)
{
  guint8 *data = g_malloc (n);

  memset (data, 0xaa, n);
  return g_bytes_new_take (data, n);
}

/* Collects the tags of the messages rkecho gives back, in order. */
static GstFlowReturn
on_sample (GstElement * sink, GArray * tags)
{
  GstSample *sample;
  GstBuffer *buf;
  GstRkEnvelope env;
  GstMapInfo map;
  guint64 tag;

  g_signal_emit_by_name (sink, "pull-sample", &sample);
  buf = gst_sample_get_buffer (sample);
  gst_buffer_map (buf, &map, GST_MAP_READ);
  g_assert_true (gst_rk_envelope_decode (map.data, map.size, &env, NULL));
  g_assert_cmpuint (env.payload_size, ==, 24);
  tag = GST_READ_UINT64_LE (map.data + RK_ENVELOPE_SIZE);
  g_array_append_val (tags, tag);
  gst_buffer_unmap (buf, &map);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static GstElement *
parse_pipeline (const gchar * src, GArray * tags)
{
  gchar *desc = g_strdup_printf ("%s ! rkenvelopeparse name=parse "
      "max-payload-size=4096 ! rkecho ! appsink name=out emit-signals=true "
      "sync=false", src);
  GstElement *pipeline = launch (desc, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");

  g_signal_connect (sink, "new-sample", G_CALLBACK (on_sample), tags);
  gst_object_unref (sink);
  g_free (desc);
  return pipeline;
}

static void
wait_eos (GstElement * pipeline)
{
  GstMessage *msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline),
      15 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_message_unref (msg);
}

/* Over a TCP connection, cut in odd places: garbage, a header of another
 * version, one that names a host payload, one with an oversized payload,
 * and a message cut short by the end of the stream are dropped and
 * counted; the good messages around them arrive whole and in order. */
static void
test_tcp_garbage (void)
{
  GArray *tags = g_array_new (FALSE, FALSE, sizeof (guint64));
  GBytes *pieces[] = {
    good (1), garbage (100), good (2),
    message (0, 9, RK_FLAG_INLINE, 24, 0), good (3),
    message (0, RK_ENVELOPE_VERSION, RK_FLAG_HOST, 24, 0), good (4),
    message (0, RK_ENVELOPE_VERSION, RK_FLAG_INLINE, 1 << 20, 16), good (5),
    message (0, RK_ENVELOPE_VERSION, RK_FLAG_INLINE, 24, 10),
  };
  gsize dropped = 100 + 64 + 64 + (64 + 16) + (64 + 10);
  GByteArray *all = g_byte_array_new ();
  GSocketClient *client = g_socket_client_new ();
  GSocketConnection *conn;
  GOutputStream *out;
  GstElement *pipeline;
  GError *err = NULL;
  gsize pos = 0, step = 1;

  g_socket_client_set_enable_proxy (client, FALSE);
  pipeline = parse_pipeline ("tcpserversrc name=src host=127.0.0.1 port=0 ! "
      "application/x-ringkernel", tags);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1",
      get_int (pipeline, "src", "current-port"), NULL, &err);
  g_assert_no_error (err);
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++) {
    gsize n;
    gconstpointer d = g_bytes_get_data (pieces[i], &n);

    g_byte_array_append (all, d, n);
    g_bytes_unref (pieces[i]);
  }
  /* Writes of 1, 2, 3... bytes: message boundaries fall anywhere */
  while (pos < all->len) {
    gsize n = MIN (step, all->len - pos);

    g_assert_true (g_output_stream_write_all (out, all->data + pos, n, NULL,
            NULL, &err));
    g_assert_no_error (err);
    pos += n;
    step = step % 97 + 1;
  }
  g_assert_true (g_io_stream_close (G_IO_STREAM (conn), NULL, NULL));
  wait_eos (pipeline);

  g_assert_cmpuint (tags->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (g_array_index (tags, guint64, i), ==, i + 1);
  g_assert_cmpuint (parse_stat (pipeline, "messages"), ==, 5);
  g_assert_cmpuint (parse_stat (pipeline, "dropped-bytes"), ==, dropped);
  g_assert_cmpuint (parse_stat (pipeline, "rejected"), >=, 5);
  stop (pipeline);
  g_object_unref (conn);
  g_object_unref (client);
  g_byte_array_unref (all);
  g_array_unref (tags);
}

static void
push_bytes (GstElement * src, GBytes * a, GBytes * b)
{
  GstBuffer *buf = gst_buffer_new_wrapped_bytes (a);
  GstFlowReturn ret;

  if (b)
    buf = gst_buffer_append (buf, gst_buffer_new_wrapped_bytes (b));
  g_signal_emit_by_name (src, "push-buffer", buf, &ret);
  g_assert_cmpint (ret, ==, GST_FLOW_OK);
  gst_buffer_unref (buf);
  g_bytes_unref (a);
  if (b)
    g_bytes_unref (b);
}

/* Datagrams (framed=true, as rtpgstdepay gives them): two messages in one
 * buffer both pass; a message cut short at a buffer's end is dropped, not
 * completed by the next buffer; garbage is dropped. */
static void
test_framed (void)
{
  GArray *tags = g_array_new (FALSE, FALSE, sizeof (guint64));
  GstElement *pipeline, *src;
  GstFlowReturn ret;

  pipeline = parse_pipeline ("appsrc name=src format=time "
      "caps=\"application/x-ringkernel,framed=(boolean)true\"", tags);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  push_bytes (src, good (1), good (2));
  push_bytes (src, message (0, RK_ENVELOPE_VERSION, RK_FLAG_INLINE, 24, 10),
      NULL);
  push_bytes (src, good (3), NULL);
  push_bytes (src, garbage (40), NULL);
  push_bytes (src, good (4), garbage (3));
  g_signal_emit_by_name (src, "end-of-stream", &ret);
  g_assert_cmpint (ret, ==, GST_FLOW_OK);
  gst_object_unref (src);
  wait_eos (pipeline);

  g_assert_cmpuint (tags->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (g_array_index (tags, guint64, i), ==, i + 1);
  g_assert_cmpuint (parse_stat (pipeline, "rejected"), ==, 3);
  g_assert_cmpuint (parse_stat (pipeline, "dropped-bytes"), ==, 74 + 40 + 3);
  stop (pipeline);
  g_array_unref (tags);
}

int
main (int argc, char **argv)
{
  if (argc == 5 && strcmp (argv[1], "--server") == 0) {
    rk_test_init (&argc, &argv);
    return server_main (argv[2], atoi (argv[3]), atoi (argv[4]));
  }
  self_path = argv[0];
  rk_test_init (&argc, &argv);
  g_test_add_func ("/remote-call/rtp", test_call_over_rtp);
  g_test_add_func ("/remote-call/tcp", test_call_over_tcp);
  g_test_add_func ("/remote-call/tcp-garbage", test_tcp_garbage);
  g_test_add_func ("/remote-call/framed", test_framed);
  return g_test_run ();
}
