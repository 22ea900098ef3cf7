/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkbench: side-by-side benchmarks of ring kernels. Every benchmark runs
 * its contenders interleaved in one process and reports ratios, because
 * these machines are noisy.
 *
 *   rkbench overhead   [--buffers N] [--repeats R]
 *       per-buffer cost of  fakesrc ! X ! fakesink  for X = identity,
 *       queue, rkecho (persistent), rkecho mode=event-driven
 *   rkbench roundtrip  [--messages N] [--backend B]
 *       host → kernel → host of one 64-byte message through echo,
 *       persistent vs event-driven, p50/p99, on every backend present,
 *       beside the floor: the same exchange through two bare rings
 *   rkbench throughput [--messages N] [--backend B] [--in-flight K]
 *       messages/s through echo with K messages in flight
 *   rkbench pipelines  --name NAME --pipeline "..." [...] [--buffers-at ...]
 *       wall time of arbitrary pipelines side by side
 *   rkbench roundtrip-split [--messages N] [--backend B]
 *       the round trip in parts: send, device, receive (rkbenchsplit.c)
 *   rkbench frames [--frames N] [--width W] [--height H] [--format F]
 *       [--in-flight K] [--backend B]
 *       rkgray frames per second on each backend (rkbenchframes.c)
 *   rkbench appsrc-roundtrip [--messages N] [--repeats R]
 *       one 64-byte buffer at a time through appsrc ! X ! appsink for
 *       X = identity, queue, rkecho on the CPU and on Vulkan (persistent,
 *       event-driven), p50/p99 (rkbenchappsrc.c)
 *   rkbench ring-vs-element [--messages N] [--repeats R]
 *       pipelined 64-byte messages/s: a bare two-thread ring against
 *       fakesrc ! rkecho ! fakesink and fakesrc ! queue ! fakesink
 *       (rkbenchring.c)
 *   rkbench idle-cost [--seconds S] [--repeats R]
 *       CPU time of an idle, warm persistent echo (C API and element,
 *       CPU and Vulkan) above a process with none (rkbenchidle.c)
 *   rkbench chain [--length L] [--buffers N] [--repeats R]
 *       L rkecho (each mode) or L queues in a row: buffers/s and threads
 *       per element (rkbenchchain.c)
 *   rkbench device-chain [--frames N] [--width W] [--height H] [--repeats R]
 *       1, 2, 4, 8 rkblur on Vulkan, frames on the device between them or
 *       through host memory: ms and host bytes per frame
 *       (rkbenchdevicechain.c)
 *   rkbench remote-call [--messages N]
 *       one 64-byte gst_rk_kernel_call() at a time: local echo, and rkrelay
 *       to rkecho in a second process over RTP/UDP and TCP on 127.0.0.1,
 *       p50/p99 (rkbenchremote.c)
 *   rkbench hdrext-cost [--buffers N] [--repeats R]
 *       rtpgstpay per packet with vs without the HLC header extension,
 *       and the ratio (rkbenchremote.c)
 *   rkbench simd-peak [--seconds S] [--repeats R]
 *       single-precision vector operations/s of the CPU kernels' code
 *       (mul + add) and of the widest the CPU has (FMA), on 1 and 2
 *       threads: the compute limit (rkbenchpeak.c)
 *
 * Output: JSON on stdout (or --json FILE); progress on stderr.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ringkernel.h"
#include "rkbenchappsrc.h"
#include "rkbenchchain.h"
#include "rkbenchdevicechain.h"
#include "rkbenchclock.h"
#include "rkbenchframes.h"
#include "rkbenchidle.h"
#include "rkbenchjson.h"
#include "rkbenchpeak.h"
#include "rkbenchpipeline.h"
#include "rkbenchremote.h"
#include "rkbenchring.h"
#include "rkbenchsplit.h"

typedef struct
{
  guint64 buffers;
  guint repeats;
  guint64 messages;
  guint in_flight;
  gchar *backend;
  gchar *json_path;
  gchar **names;
  gchar **pipelines;
  gboolean quick;
  guint frames, width, height;
  gchar *format;
  guint length;
  gdouble seconds;
} Options;

/* ---- overhead ---- */

static void
bench_overhead (const Options * o, RkJson * j)
{
  static const struct
  {
    const gchar *name;
    const gchar *element;
  } contenders[] = {
    {"identity", "identity"},
    {"queue", "queue"},
    {"rkecho", "rkecho"},
    {"rkecho-event-driven", "rkecho mode=event-driven"},
  };
  const guint n = G_N_ELEMENTS (contenders);
  gdouble *ns = g_new0 (gdouble, n * o->repeats), med[G_N_ELEMENTS (contenders)];
  gchar *desc[G_N_ELEMENTS (contenders)];

  for (guint c = 0; c < n; c++)
    desc[c] = g_strdup_printf ("fakesrc num-buffers=%" G_GUINT64_FORMAT
        " sizetype=fixed sizemax=64 ! %s ! fakesink name=sink sync=false",
        o->buffers, contenders[c].element);

  /* Interleaved: every repeat runs each contender once. */
  for (guint r = 0; r < o->repeats; r++) {
    for (guint c = 0; c < n; c++) {
      RkBenchTiming t;

      if (rk_bench_run_pipeline (desc[c], &t, FALSE) == 0 || t.count < 2)
        exit (1);
      ns[c * o->repeats + r] = (gdouble) (t.last_ns - t.first_ns) /
          (gdouble) (t.count - 1);
      g_printerr ("overhead %u/%u %-20s %7.1f ns/buffer\n", r + 1,
          o->repeats, contenders[c].name, ns[c * o->repeats + r]);
    }
  }

  rk_json_key (j, "overhead");
  rk_json_begin_object (j);
  rk_json_int (j, "buffers", (gint64) o->buffers);
  rk_json_int (j, "repeats", o->repeats);
  rk_json_key (j, "contenders");
  rk_json_begin_array (j);
  for (guint c = 0; c < n; c++) {
    med[c] = rk_bench_median (ns + c * o->repeats, o->repeats);
    rk_json_begin_object (j);
    rk_json_string (j, "name", contenders[c].name);
    rk_json_string (j, "pipeline", desc[c]);
    rk_json_double_array (j, "ns_per_buffer", ns + c * o->repeats,
        o->repeats);
    rk_json_double (j, "median_ns_per_buffer", med[c]);
    rk_json_double (j, "hop_ns", med[c] - med[0]);
    rk_json_end_object (j);
  }
  rk_json_end_array (j);
  /* Ratios of the per-buffer cost, and of the cost above identity (the
   * thread hop itself) */
  rk_json_key (j, "ratios");
  rk_json_begin_object (j);
  rk_json_double (j, "rkecho_over_queue", med[2] / med[1]);
  rk_json_double (j, "rkecho_event_driven_over_queue", med[3] / med[1]);
  rk_json_double (j, "rkecho_hop_over_queue_hop",
      (med[2] - med[0]) / (med[1] - med[0]));
  rk_json_end_object (j);
  rk_json_end_object (j);

  g_printerr ("\n%-22s %12s %12s\n", "per buffer (median)", "total ns",
      "above identity");
  for (guint c = 0; c < n; c++)
    g_printerr ("%-22s %12.1f %12.1f\n", contenders[c].name, med[c],
        med[c] - med[0]);
  g_printerr ("rkecho / queue: %.2f per buffer, %.2f per hop\n\n",
      med[2] / med[1], (med[2] - med[0]) / (med[1] - med[0]));

  for (guint c = 0; c < n; c++)
    g_free (desc[c]);
  g_free (ns);
}

/* ---- roundtrip and throughput, through the C API ---- */

static GstRkKernel *
launch_echo (GstRkRuntime * rt, GstRkBackendKind backend,
    GstRkKernelMode mode, guint32 capacity)
{
  GstRkLaunchOptions opts;
  GError *err = NULL;
  GstRkKernel *k;

  gst_rk_launch_options_init (&opts);
  opts.mode = mode;
  opts.input_queue_capacity = opts.output_queue_capacity = capacity;
  k = gst_rk_runtime_launch (rt, "echo", NULL, backend, -1, &opts, NULL,
      &err);
  if (k == NULL) {
    g_printerr ("rkbench: cannot launch echo: %s\n", err->message);
    g_error_free (err);
  }
  return k;
}

/* Busy-polls for the reply: this measures the kernel's round trip, not the
 * host's choice of when to sleep. */
static gboolean
receive_spin (GstRkKernel * k, GstRkMessage * msg)
{
  GError *err = NULL;

  /* Looking costs no GError per empty look, so the reply is seen sooner */
  for (guint i = 0; i < 1000000 && !gst_rk_kernel_has_output (k); i++);
  while (!gst_rk_kernel_try_receive (k, msg, &err)) {
    if (!g_error_matches (err, GST_RK_ERROR, GST_RK_ERROR_WOULD_BLOCK)) {
      g_printerr ("rkbench: %s\n", err->message);
      g_error_free (err);
      return FALSE;
    }
    g_clear_error (&err);
  }
  return TRUE;
}

static GList *
backends_to_run (const Options * o)
{
  static const GstRkBackendKind all[] = { GST_RK_BACKEND_CPU,
    GST_RK_BACKEND_VULKAN, GST_RK_BACKEND_CUDA
  };
  GList *list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (all); i++) {
    gchar *reason = NULL;

    if (o->backend && strcmp (o->backend, "all") != 0 &&
        strcmp (o->backend, gst_rk_backend_kind_get_name (all[i])) != 0)
      continue;
    if (!gst_rk_runtime_is_backend_available (all[i], &reason)) {
      g_printerr ("rkbench: skipping %s\n", reason);
      g_free (reason);
      continue;
    }
    list = g_list_append (list, GINT_TO_POINTER (all[i]));
  }
  return list;
}

/* One contender's round trips, sorted, into the JSON and onto stderr;
 * returns the median */
static gdouble
report_roundtrip (const Options * o, RkJson * j, const gchar * backend,
    const gchar * device, const gchar * mode, const gchar * payload,
    guint64 * samples)
{
  gchar *label = g_strdup_printf ("%s%s%s", mode, payload ? "/" : "",
      payload ? payload : "");

  rk_bench_sort_u64 (samples, o->messages);
  rk_json_begin_object (j);
  rk_json_string (j, "backend", backend);
  rk_json_string (j, "device", device);
  rk_json_string (j, "mode", mode);
  if (payload)
    rk_json_string (j, "payload", payload);
  rk_json_int (j, "messages", (gint64) o->messages);
  rk_json_double (j, "p50_ns", rk_bench_percentile (samples, o->messages, 0.50));
  rk_json_double (j, "p99_ns", rk_bench_percentile (samples, o->messages, 0.99));
  rk_json_double (j, "min_ns", samples[0]);
  rk_json_double (j, "max_ns", samples[o->messages - 1]);
  /* 101 points of the distribution, for CDF plots */
  {
    gdouble cdf[101];
    for (guint q = 0; q <= 100; q++)
      cdf[q] = samples[MIN (o->messages * q / 100, o->messages - 1)];
    rk_json_double_array (j, "percentiles_ns", cdf, 101);
  }
  rk_json_end_object (j);

  g_printerr ("roundtrip %-7s %-18s p50 %9.0f ns  p99 %9.0f ns\n", backend,
      label, (gdouble) rk_bench_percentile (samples, o->messages, 0.50),
      (gdouble) rk_bench_percentile (samples, o->messages, 0.99));
  g_free (label);
  return rk_bench_percentile (samples, o->messages, 0.50);
}

static GstBufferPool *
payload_pool_new (void)
{
  GstBufferPool *pool = gst_buffer_pool_new ();
  GstStructure *config = gst_buffer_pool_get_config (pool);

  gst_buffer_pool_config_set_params (config, NULL, 64, 4, 0);
  if (!gst_buffer_pool_set_config (pool, config) ||
      !gst_buffer_pool_set_active (pool, TRUE)) {
    g_printerr ("rkbench: cannot start a buffer pool\n");
    exit (1);
  }
  return pool;
}

/* How the sender hands over its payload:
 *   pooled  a new buffer from a pool for each message, as a source's: the
 *           output is the same buffer, writable, and the stamp goes on it
 *   kept    one buffer the sender keeps a reference to: each output is a
 *           copy, because the stamp may not be written on a shared buffer */
static gdouble
roundtrip_one (const Options * o, RkJson * j, GstRkRuntime * rt,
    GstRkBackendKind backend, GstRkKernelMode mode, gboolean kept)
{
  GstRkKernel *k = launch_echo (rt, backend, mode, 64);
  guint64 *samples, warmup = MIN (o->messages / 10, 2000);
  GstBufferPool *pool = NULL;
  GstBuffer *payload = NULL;
  gdouble p50;

  if (k == NULL)
    return 0;
  samples = g_new (guint64, o->messages);
  if (kept) {
    payload = gst_buffer_new_allocate (NULL, 64, NULL);
    gst_buffer_memset (payload, 0, 0x5A, 64);
  } else {
    pool = payload_pool_new ();
  }

  for (guint64 i = 0; i < warmup + o->messages; i++) {
    GstRkMessage msg;
    GstBuffer *buf = NULL;
    guint64 t0 = rk_bench_now_ns ();

    if (kept)
      buf = gst_buffer_ref (payload);
    else if (gst_buffer_pool_acquire_buffer (pool, &buf, NULL) != GST_FLOW_OK)
      exit (1);
    if (!gst_rk_kernel_send (k, buf, RK_MSG_DATA, 0, GST_RK_WAIT_FOREVER,
            NULL, NULL) || !receive_spin (k, &msg))
      exit (1);
    if (i >= warmup)
      samples[i - warmup] = rk_bench_now_ns () - t0;
    gst_rk_message_clear (&msg);
  }
  p50 = report_roundtrip (o, j, gst_rk_backend_kind_get_name (backend),
      gst_rk_kernel_get_device_name (k), gst_rk_kernel_mode_get_name (mode),
      kept ? "kept" : "pooled", samples);

  if (pool) {
    gst_buffer_pool_set_active (pool, FALSE);
    gst_object_unref (pool);
  }
  gst_clear_buffer (&payload);
  g_free (samples);
  gst_rk_kernel_terminate (k, NULL);
  gst_object_unref (k);
  return p50;
}

/* The floor: the same exchange through two bare rings, no runtime */
static gdouble
roundtrip_ring (const Options * o, RkJson * j)
{
  guint64 *samples = g_new (guint64, o->messages);
  gdouble p50;

  rk_bench_ring_roundtrip (o->messages, samples);
  p50 = report_roundtrip (o, j, "ring",
      "two bare SPSC rings and an echo thread", "bare", NULL, samples);
  g_free (samples);
  return p50;
}

static void
bench_roundtrip (const Options * o, RkJson * j)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GList *backends = backends_to_run (o), *l;
  gdouble ring = 0, persistent[GST_RK_BACKEND_N_KINDS] = { 0 },
      event[GST_RK_BACKEND_N_KINDS] = { 0 };

  rk_json_loadavg (j, "roundtrip_loadavg_before");
  rk_json_key (j, "roundtrip");
  rk_json_begin_array (j);
  if (o->backend == NULL || g_str_equal (o->backend, "all") ||
      g_str_equal (o->backend, "cpu"))
    ring = roundtrip_ring (o, j);
  for (l = backends; l; l = l->next) {
    GstRkBackendKind b = GPOINTER_TO_INT (l->data);

    persistent[b] = roundtrip_one (o, j, rt, b,
        GST_RK_KERNEL_MODE_PERSISTENT, FALSE);
    event[b] = roundtrip_one (o, j, rt, b, GST_RK_KERNEL_MODE_EVENT_DRIVEN,
        FALSE);
    if (b == GST_RK_BACKEND_CPU)
      roundtrip_one (o, j, rt, b, GST_RK_KERNEL_MODE_PERSISTENT, TRUE);
  }
  rk_json_end_array (j);

  /* Of the medians: the floor's share shows how much is the machine's (two
   * cores passing cache lines) and how much ours */
  rk_json_key (j, "roundtrip_ratios");
  rk_json_begin_object (j);
  for (l = backends; l; l = l->next) {
    GstRkBackendKind b = GPOINTER_TO_INT (l->data);
    const gchar *name = gst_rk_backend_kind_get_name (b);
    gchar *key;

    if (ring > 0 && persistent[b] > 0) {
      key = g_strdup_printf ("%s_persistent_over_ring", name);
      rk_json_double (j, key, persistent[b] / ring);
      g_printerr ("%s persistent / bare ring: %.2f\n", name,
          persistent[b] / ring);
      g_free (key);
    }
    if (persistent[b] > 0 && event[b] > 0) {
      key = g_strdup_printf ("%s_event_driven_over_persistent", name);
      rk_json_double (j, key, event[b] / persistent[b]);
      g_printerr ("%s event-driven / persistent: %.1f\n", name,
          event[b] / persistent[b]);
      g_free (key);
    }
  }
  rk_json_end_object (j);
  rk_json_loadavg (j, "roundtrip_loadavg_after");
  g_list_free (backends);
  gst_object_unref (rt);
}

static void
throughput_one (const Options * o, RkJson * j, GstRkRuntime * rt,
    GstRkBackendKind backend, GstRkKernelMode mode)
{
  /* The runtime rounds queue capacities up to a power of two. */
  GstRkKernel *k = launch_echo (rt, backend, mode, MAX (o->in_flight, 1));
  GstBuffer *payload;
  guint64 sent = 0, got = 0, t0, t1;

  if (k == NULL)
    return;
  payload = gst_buffer_new_allocate (NULL, 64, NULL);
  gst_buffer_memset (payload, 0, 0x5A, 64);
  t0 = rk_bench_now_ns ();
  while (got < o->messages) {
    GstRkMessage msg;

    while (sent < o->messages && sent - got < o->in_flight) {
      if (!gst_rk_kernel_send (k, gst_buffer_ref (payload), RK_MSG_DATA, 0,
              GST_RK_WAIT_FOREVER, NULL, NULL))
        exit (1);
      sent++;
    }
    if (!receive_spin (k, &msg))
      exit (1);
    gst_rk_message_clear (&msg);
    got++;
  }
  t1 = rk_bench_now_ns ();

  rk_json_begin_object (j);
  rk_json_string (j, "backend", gst_rk_backend_kind_get_name (backend));
  rk_json_string (j, "mode", gst_rk_kernel_mode_get_name (mode));
  rk_json_int (j, "messages", (gint64) o->messages);
  rk_json_int (j, "in_flight", o->in_flight);
  rk_json_double (j, "messages_per_s", o->messages * 1e9 / (t1 - t0));
  rk_json_end_object (j);
  g_printerr ("throughput %-7s %-13s %12.0f msg/s (%u in flight)\n",
      gst_rk_backend_kind_get_name (backend),
      gst_rk_kernel_mode_get_name (mode), o->messages * 1e9 / (t1 - t0),
      o->in_flight);

  gst_buffer_unref (payload);
  gst_rk_kernel_terminate (k, NULL);
  gst_object_unref (k);
}

static void
bench_throughput (const Options * o, RkJson * j)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GList *backends = backends_to_run (o), *l;

  rk_json_key (j, "throughput");
  rk_json_begin_array (j);
  for (l = backends; l; l = l->next) {
    throughput_one (o, j, rt, GPOINTER_TO_INT (l->data),
        GST_RK_KERNEL_MODE_PERSISTENT);
    throughput_one (o, j, rt, GPOINTER_TO_INT (l->data),
        GST_RK_KERNEL_MODE_EVENT_DRIVEN);
  }
  rk_json_end_array (j);
  g_list_free (backends);
  gst_object_unref (rt);
}

/* ---- arbitrary pipelines side by side ---- */

static void
bench_pipelines (const Options * o, RkJson * j)
{
  guint n = o->pipelines ? g_strv_length (o->pipelines) : 0;
  gdouble *wall = g_new0 (gdouble, MAX (n, 1) * o->repeats);
  gdouble *per = g_new0 (gdouble, MAX (n, 1) * o->repeats);

  if (n == 0 || !o->names || g_strv_length (o->names) != n) {
    g_printerr ("rkbench pipelines: give one --name per --pipeline\n");
    exit (2);
  }
  for (guint r = 0; r < o->repeats; r++) {
    for (guint c = 0; c < n; c++) {
      RkBenchTiming t;
      guint64 w = rk_bench_run_pipeline (o->pipelines[c], &t, FALSE);

      if (w == 0)
        exit (1);
      wall[c * o->repeats + r] = w;
      per[c * o->repeats + r] = t.count > 1 ?
          (gdouble) (t.last_ns - t.first_ns) / (t.count - 1) : 0;
      g_printerr ("pipelines %u/%u %-24s %9.1f ms, %9.1f us/buffer\n", r + 1,
          o->repeats, o->names[c], w / 1e6, per[c * o->repeats + r] / 1e3);
    }
  }

  rk_json_key (j, "pipelines");
  rk_json_begin_array (j);
  for (guint c = 0; c < n; c++) {
    rk_json_begin_object (j);
    rk_json_string (j, "name", o->names[c]);
    rk_json_string (j, "pipeline", o->pipelines[c]);
    rk_json_double_array (j, "wall_ns", wall + c * o->repeats, o->repeats);
    rk_json_double (j, "median_wall_ns",
        rk_bench_median (wall + c * o->repeats, o->repeats));
    rk_json_double_array (j, "ns_per_buffer", per + c * o->repeats,
        o->repeats);
    rk_json_double (j, "median_ns_per_buffer",
        rk_bench_median (per + c * o->repeats, o->repeats));
    rk_json_end_object (j);
  }
  rk_json_end_array (j);
  g_free (wall);
  g_free (per);
}

/* ---- main ---- */

/* A count given on the command line, else the benchmark's own default */
static guint64
count_or (gint64 given, gboolean quick, guint64 full, guint64 quick_default)
{
  if (given > 0)
    return (guint64) given;
  return quick ? quick_default : full;
}

int
main (int argc, char **argv)
{
  Options o = { 1000000, 5, 100000, 256, NULL, NULL, NULL, NULL, FALSE,
    200, 1920, 1080, NULL, 32, 0
  };
  gint64 buffers = -1, messages = -1;
  GOptionEntry entries[] = {
    {"buffers", 'n', 0, G_OPTION_ARG_INT64, &buffers,
        "Buffers per overhead run (default 1000000), per chain run "
        "(default 100000)", "N"},
    {"repeats", 'r', 0, G_OPTION_ARG_INT, &o.repeats,
        "Interleaved repeats (default 5)", "R"},
    {"messages", 'm', 0, G_OPTION_ARG_INT64, &messages,
        "Messages per roundtrip/throughput run (default 100000), "
        "appsrc-roundtrip run (20000), ring-vs-element run (1000000)",
        "N"},
    {"in-flight", 0, 0, G_OPTION_ARG_INT, &o.in_flight,
        "Messages in flight for throughput (default 256)", "K"},
    {"backend", 'b', 0, G_OPTION_ARG_STRING, &o.backend,
        "cpu, vulkan, cuda or all (default: all present)", "B"},
    {"name", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.names,
        "Name of the next --pipeline", "NAME"},
    {"pipeline", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.pipelines,
        "A pipeline to time; name its timed sink \"sink\"", "DESC"},
    {"quick", 'q', 0, G_OPTION_ARG_NONE, &o.quick,
        "Fewer buffers and repeats", NULL},
    {"json", 'o', 0, G_OPTION_ARG_FILENAME, &o.json_path,
        "Write JSON here instead of stdout", "FILE"},
    {"frames", 0, 0, G_OPTION_ARG_INT, &o.frames,
        "Frames per frames run (default 200)", "N"},
    {"width", 0, 0, G_OPTION_ARG_INT, &o.width,
        "Frame width for frames (default 1920)", "W"},
    {"height", 0, 0, G_OPTION_ARG_INT, &o.height,
        "Frame height for frames (default 1080)", "H"},
    {"format", 0, 0, G_OPTION_ARG_STRING, &o.format,
        "Frame format for frames (default RGBA)", "F"},
    {"length", 0, 0, G_OPTION_ARG_INT, &o.length,
        "Elements in a chain (default 32)", "L"},
    {"seconds", 0, 0, G_OPTION_ARG_DOUBLE, &o.seconds,
        "Idle seconds per idle-cost measurement (default 2), seconds per "
        "simd-peak measurement (default 0.4)", "S"},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("overhead|roundtrip|throughput"
      "|pipelines|roundtrip-split|frames|appsrc-roundtrip|ring-vs-element"
      "|idle-cost|chain|device-chain|remote-call|hdrext-cost|simd-peak|all");
  GError *err = NULL;
  RkJson *j;
  const gchar *what;

  /* The far end of remote-call: this binary again, without options */
  if (argc == 5 && strcmp (argv[1], "remote-serve") == 0) {
    gst_init (NULL, NULL);
    gst_rk_init ();
    return rk_bench_remote_serve (argv[2], atoi (argv[3]), atoi (argv[4]));
  }

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err) || argc != 2) {
    g_printerr ("%s\n", err ? err->message :
        g_option_context_get_help (ctx, TRUE, NULL));
    return 2;
  }
  g_option_context_free (ctx);
  gst_rk_init ();
  what = argv[1];

  if (o.quick) {
    o.buffers = 200000;
    o.messages = 20000;
    o.repeats = 3;
  }
  if (buffers > 0)
    o.buffers = (guint64) buffers;
  if (messages > 0)
    o.messages = (guint64) messages;
  if (o.repeats == 0)
    o.repeats = 1;

  j = rk_json_new ();
  rk_json_begin_object (j);
  rk_json_machine (j);
  if (!strcmp (what, "overhead") || !strcmp (what, "all"))
    bench_overhead (&o, j);
  if (!strcmp (what, "roundtrip") || !strcmp (what, "all"))
    bench_roundtrip (&o, j);
  if (!strcmp (what, "throughput") || !strcmp (what, "all"))
    bench_throughput (&o, j);
  if (!strcmp (what, "pipelines"))
    bench_pipelines (&o, j);
  if (!strcmp (what, "roundtrip-split") || !strcmp (what, "frames")) {
    GList *backends = backends_to_run (&o);

    if (!strcmp (what, "roundtrip-split"))
      rk_bench_roundtrip_split (j, backends, o.messages);
    else
      rk_bench_frames (j, backends, o.frames, o.width, o.height,
          o.format ? o.format : "RGBA", MAX (o.in_flight, 1));
    g_list_free (backends);
  }
  /* These have their own defaults: --messages and --buffers are per
   * contender and repeat, sized for a run of a minute or two */
  if (!strcmp (what, "appsrc-roundtrip"))
    rk_bench_appsrc_roundtrip (j, count_or (messages, o.quick, 20000, 5000),
        o.repeats);
  if (!strcmp (what, "ring-vs-element"))
    rk_bench_ring_vs_element (j, count_or (messages, o.quick, 1000000,
            200000), o.repeats);
  if (!strcmp (what, "idle-cost"))
    rk_bench_idle_cost (j, o.seconds > 0 ? o.seconds : o.quick ? 1 : 2,
        o.repeats);
  if (!strcmp (what, "remote-call"))
    rk_bench_remote_call (j, "/proc/self/exe", count_or (messages, o.quick, 20000,
            2000));
  if (!strcmp (what, "hdrext-cost"))
    rk_bench_hdrext_cost (j, count_or (buffers, o.quick, 200000, 20000),
        o.repeats);
  if (!strcmp (what, "chain"))
    rk_bench_chain (j, MAX (o.length, 1), count_or (buffers, o.quick,
            100000, 20000), o.repeats);
  if (!strcmp (what, "device-chain"))
    rk_bench_device_chain (j, o.frames, o.width, o.height, o.repeats);
  if (!strcmp (what, "simd-peak"))
    rk_bench_simd_peak (j, o.seconds > 0 ? o.seconds : 0.4, o.repeats);
  rk_json_end_object (j);

  if (!rk_json_write (j, o.json_path))
    return 1;
  rk_json_free (j);
  return 0;
}
