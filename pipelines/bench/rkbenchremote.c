/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Across processes (README "Across hosts"):
 *
 * remote-call: the round trip of one 64-byte gst_rk_kernel_call(): to a
 * local echo kernel, and through rkrelay to rkecho in a second process
 * (this binary again, "remote-serve") over RTP on UDP and over TCP on
 * 127.0.0.1. One call at a time, p50/p99 of each.
 *
 * hdrext-cost: the per-packet cost of the HLC header extension: fakesrc !
 * rkecho ! rtpgstpay ! fakesink with and without the extension negotiated
 * (an extmap-1 caps field), interleaved, and their ratio.
 */

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <gst/gst.h>

#include "ringkernel.h"
#include "rkbenchclock.h"
#include "rkbenchpipeline.h"
#include "rkbenchremote.h"

#define RTP_CAPS "application/x-rtp,media=application,clock-rate=90000," \
  "encoding-name=X-GST"
#define HLC_URI "urn:gst-ringkernel:rtp-hdrext:hlc:1"
#define CALL_SIZE 64
#define CALL_TIMEOUT_US (10 * G_USEC_PER_SEC)

static gint
get_int (GstElement * pipeline, const gchar * name, const gchar * prop)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), name);
  gint v;

  g_object_get (e, prop, &v, NULL);
  gst_object_unref (e);
  return v;
}

/* The far end: rkecho answers; "ready PORT" once it listens or has
 * connected; runs until killed. */
int
rk_bench_remote_serve (const gchar * transport, gint port_a, gint port_b)
{
  GstElement *pipeline;
  GstMessage *msg;
  gchar *desc;
  gboolean udp = strcmp (transport, "udp") == 0;

  if (udp)
    desc = g_strdup_printf ("udpsrc name=src address=127.0.0.1 port=0 "
        "caps=\"" RTP_CAPS "\" ! rtpgstdepay ! rkenvelopeparse ! rkecho ! "
        "rtpgstpay config-interval=1 ! udpsink host=127.0.0.1 port=%d "
        "sync=false async=false", port_a);
  else
    desc = g_strdup_printf ("tcpclientsrc host=127.0.0.1 port=%d ! "
        "application/x-ringkernel ! rkenvelopeparse ! rkecho ! "
        "tcpclientsink host=127.0.0.1 port=%d sync=false async=false",
        port_a, port_b);
  pipeline = rk_bench_parse (desc);
  if (pipeline == NULL ||
      gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE)
    return 1;
  g_print ("ready %d\n", udp ? get_int (pipeline, "src", "port") : 0);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline),
      GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    rk_bench_print_bus_error (pipeline, desc);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  g_free (desc);
  return 0;
}

static GPid
serve (const gchar * self_path, const gchar * transport, gint port_a,
    gint port_b, gint * port)
{
  gchar *argv[] = { (gchar *) self_path, (gchar *) "remote-serve",
    (gchar *) transport, g_strdup_printf ("%d", port_a),
    g_strdup_printf ("%d", port_b), NULL
  };
  GError *err = NULL;
  GIOChannel *out;
  gchar *line = NULL;
  GPid pid;
  gint fd;

  if (!g_spawn_async_with_pipes (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
          NULL, NULL, &pid, NULL, &fd, NULL, &err)) {
    g_printerr ("remote-call: %s\n", err->message);
    exit (1);
  }
  out = g_io_channel_unix_new (fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  *port = -1;
  while (g_io_channel_read_line (out, &line, NULL, NULL, NULL) ==
      G_IO_STATUS_NORMAL && sscanf (line, "ready %d", port) != 1)
    g_clear_pointer (&line, g_free);
  g_free (line);
  g_io_channel_unref (out);
  g_free (argv[3]);
  g_free (argv[4]);
  if (*port < 0) {
    g_printerr ("remote-call: the far end (%s) did not start\n", transport);
    exit (1);
  }
  return pid;
}

static void
unserve (GPid pid)
{
  int status;

  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
}

/* Times @calls calls of @k (after a warm-up) into one JSON object. */
static void
time_calls (RkJson * j, const gchar * name, GstRkKernel * k, guint64 calls)
{
  guint64 *samples = g_new (guint64, calls);
  guint64 warmup = MIN (calls / 10, 500);
  GstBuffer *payload = gst_buffer_new_allocate (NULL, CALL_SIZE, NULL);

  gst_buffer_memset (payload, 0, 0x5A, CALL_SIZE);
  for (guint64 i = 0; i < warmup + calls; i++) {
    GstRkMessage reply;
    GError *err = NULL;
    guint64 t0 = rk_bench_now_ns ();

    if (!gst_rk_kernel_call (k, gst_buffer_ref (payload), CALL_TIMEOUT_US,
            &reply, &err)) {
      g_printerr ("remote-call %s: %s\n", name, err->message);
      exit (1);
    }
    if (i >= warmup)
      samples[i - warmup] = rk_bench_now_ns () - t0;
    gst_rk_message_clear (&reply);
  }
  rk_bench_sort_u64 (samples, calls);

  rk_json_begin_object (j);
  rk_json_string (j, "transport", name);
  rk_json_int (j, "calls", (gint64) calls);
  rk_json_int (j, "payload_bytes", CALL_SIZE);
  rk_json_double (j, "p50_ns", rk_bench_percentile (samples, calls, 0.50));
  rk_json_double (j, "p99_ns", rk_bench_percentile (samples, calls, 0.99));
  rk_json_double (j, "min_ns", samples[0]);
  rk_json_double (j, "max_ns", samples[calls - 1]);
  rk_json_end_object (j);
  g_printerr ("remote-call %-6s p50 %9.0f ns  p99 %9.0f ns\n", name,
      (gdouble) rk_bench_percentile (samples, calls, 0.50),
      (gdouble) rk_bench_percentile (samples, calls, 0.99));
  gst_buffer_unref (payload);
  g_free (samples);
}

static void
call_local (RkJson * j, guint64 calls)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *k = gst_rk_runtime_launch (rt, "echo", "local",
      GST_RK_BACKEND_CPU, -1, NULL, NULL, NULL);

  if (k == NULL)
    exit (1);
  time_calls (j, "local", k, calls);
  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (k);
  gst_object_unref (rt);
}

static void
call_remote (RkJson * j, const gchar * self_path, const gchar * transport,
    guint64 calls)
{
  gboolean udp = strcmp (transport, "udp") == 0;
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstElement *pipeline, *sink;
  GstContext *ctx;
  GstRkKernel *k;
  gint port, handles = 0;
  GPid pid;

  pipeline = rk_bench_parse (udp ?
      "udpsrc name=src address=127.0.0.1 port=0 caps=\"" RTP_CAPS "\" ! "
      "rtpgstdepay ! rkenvelopeparse ! rkrelay name=remote ! "
      "rtpgstpay config-interval=1 ! udpsink name=sink host=127.0.0.1 "
      "sync=false async=false" :
      "tcpserversrc name=src host=127.0.0.1 port=0 ! "
      "application/x-ringkernel ! rkenvelopeparse ! rkrelay name=remote ! "
      "tcpserversink name=sink host=127.0.0.1 port=0 sync=false async=false");
  if (pipeline == NULL)
    exit (1);
  ctx = gst_rk_context_new (rt);
  gst_element_set_context (pipeline, ctx);
  gst_context_unref (ctx);
  if (gst_element_set_state (pipeline, udp ? GST_STATE_PAUSED :
          GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    exit (1);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  if (udp) {
    pid = serve (self_path, transport, get_int (pipeline, "src", "port"), 0,
        &port);
    g_object_set (sink, "port", port, NULL);
    gst_element_set_state (pipeline, GST_STATE_PLAYING);
  } else {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    pid = serve (self_path, transport,
        get_int (pipeline, "sink", "current-port"),
        get_int (pipeline, "src", "current-port"), &port);
    /* tcpserversink sends only to the clients it has taken */
    while (handles == 0 && g_get_monotonic_time () < deadline) {
      g_object_get (sink, "num-handles", &handles, NULL);
      g_usleep (1000);
    }
  }
  gst_object_unref (sink);

  k = gst_rk_runtime_get_kernel (rt, "remote");
  time_calls (j, transport, k, calls);
  gst_object_unref (k);
  unserve (pid);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (rt);
}

void
rk_bench_remote_call (RkJson * j, const gchar * self_path, guint64 calls)
{
  rk_json_key (j, "remote_call");
  rk_json_begin_array (j);
  call_local (j, calls);
  call_remote (j, self_path, "udp", calls);
  call_remote (j, self_path, "tcp", calls);
  rk_json_end_array (j);
}

void
rk_bench_hdrext_cost (RkJson * j, guint64 buffers, guint repeats)
{
  const gchar *names[2] = { "without", "with" };
  gdouble *per = g_new0 (gdouble, 2 * repeats);
  gdouble med[2];
  gchar *desc[2];

  /* rkecho puts the HLC meta on each buffer, which the extension writes */
  for (guint c = 0; c < 2; c++)
    desc[c] = g_strdup_printf ("fakesrc num-buffers=%" G_GUINT64_FORMAT
        " format=time sizetype=fixed sizemax=64 filltype=zero ! application/x-rk-bench ! "
        "rkecho ! rtpgstpay ! "
        "%s ! fakesink name=sink sync=false", buffers, c ? RTP_CAPS
        ",extmap-1=(string)" HLC_URI : RTP_CAPS);
  for (guint r = 0; r < repeats; r++) {
    for (guint c = 0; c < 2; c++) {
      RkBenchTiming t;

      if (rk_bench_run_pipeline (desc[c], &t, FALSE) == 0)
        exit (1);
      per[c * repeats + r] = t.count > 1 ?
          (gdouble) (t.last_ns - t.first_ns) / (t.count - 1) : 0;
      g_printerr ("hdrext-cost %u/%u %-8s %9.1f ns/packet\n", r + 1, repeats,
          names[c], per[c * repeats + r]);
    }
  }

  rk_json_key (j, "hdrext_cost");
  rk_json_begin_object (j);
  rk_json_int (j, "buffers", (gint64) buffers);
  for (guint c = 0; c < 2; c++) {
    gchar *key = g_strdup_printf ("%s_ns_per_packet", names[c]);

    med[c] = rk_bench_median (per + c * repeats, repeats);
    rk_json_string (j, c ? "pipeline_with" : "pipeline_without", desc[c]);
    rk_json_double_array (j, key, per + c * repeats, repeats);
    g_free (key);
  }
  rk_json_double (j, "ratio_with_over_without", med[1] / med[0]);
  /* rkecho's share is in both: the difference is the extension's own */
  rk_json_double (j, "extra_ns_per_packet", med[1] - med[0]);
  rk_json_end_object (j);
  g_printerr ("hdrext-cost with/without %.3f\n", med[1] / med[0]);
  for (guint c = 0; c < 2; c++)
    g_free (desc[c]);
  g_free (per);
}
