/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkbench appsrc-roundtrip: one 64-byte buffer at a time through
 * appsrc ! X ! appsink, pushed by the application and pulled back before
 * the next. This is the latency an application sees through an element,
 * where roundtrip measures the kernel through the C API.
 */

#include <gst/app/app.h>

#include "ringkernel.h"
#include "rkbenchappsrc.h"
#include "rkbenchclock.h"
#include "rkbenchpipeline.h"

#define WARMUP 2000

enum
{ IDENTITY, QUEUE, RKECHO_CPU, VULKAN_PERSISTENT, VULKAN_EVENT, N_CONTENDERS };

static const struct
{
  const gchar *name;
  const gchar *element;
  GstRkBackendKind backend;
} contenders[N_CONTENDERS] = {
  {"identity", "identity", GST_RK_BACKEND_CPU},
  {"queue", "queue", GST_RK_BACKEND_CPU},
  {"rkecho-cpu", "rkecho backend=cpu", GST_RK_BACKEND_CPU},
  {"rkecho-vulkan-persistent", "rkecho backend=vulkan mode=persistent",
      GST_RK_BACKEND_VULKAN},
  {"rkecho-vulkan-event-driven", "rkecho backend=vulkan mode=event-driven",
      GST_RK_BACKEND_VULKAN},
};

/**
 * rk_bench_appsrc_pipeline:
 *
 * Returns: appsrc name=src ! @element ! appsink name=sink, set up for one
 * buffer at a time: nothing waits on the clock, nothing is dropped.
 */
gchar *
rk_bench_appsrc_pipeline (const gchar * element)
{
  return g_strdup_printf ("appsrc name=src is-live=false format=time "
      "caps=application/x-test block=true max-buffers=1 ! %s ! "
      "appsink name=sink sync=false max-buffers=1 emit-signals=false",
      element);
}

/* One round trip: push one 64-byte buffer, pull it back. The buffer is made
 * before and the sample freed after the clock is read, so only the trip is
 * timed. A stuck element fails the run (the pull times out) instead of
 * hanging it. */
static gboolean
echo (GstAppSrc * src, GstAppSink * sink, guint64 * ns)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 64, NULL);
  GstSample *s = NULL;
  guint64 t0, t1;

  gst_buffer_memset (buf, 0, 0x5A, 64);
  t0 = rk_bench_now_ns ();
  if (gst_app_src_push_buffer (src, buf) == GST_FLOW_OK)
    s = gst_app_sink_try_pull_sample (sink, 10 * GST_SECOND);
  t1 = rk_bench_now_ns ();
  if (s == NULL)
    return FALSE;
  gst_sample_unref (s);
  *ns = t1 - t0;
  return TRUE;
}

static GstAppSrc *
get_src (GstElement * p)
{
  return GST_APP_SRC (gst_bin_get_by_name (GST_BIN (p), "src"));
}

static GstAppSink *
get_sink (GstElement * p)
{
  return GST_APP_SINK (gst_bin_get_by_name (GST_BIN (p), "sink"));
}

/**
 * rk_bench_appsrc_echo_one:
 * @pipeline: from rk_bench_appsrc_pipeline(), PAUSED or PLAYING
 *
 * Sends one buffer through and takes it back.
 */
gboolean
rk_bench_appsrc_echo_one (GstElement * pipeline)
{
  GstAppSrc *src = get_src (pipeline);
  GstAppSink *sink = get_sink (pipeline);
  guint64 ns;
  gboolean ok = echo (src, sink, &ns);

  gst_object_unref (src);
  gst_object_unref (sink);
  return ok;
}

/* Fills @ns with @messages round trips, after WARMUP unrecorded ones. */
static gboolean
roundtrips (const gchar * desc, guint64 messages, guint64 * ns)
{
  GstElement *p = rk_bench_parse (desc);
  GstAppSrc *src;
  GstAppSink *sink;
  gboolean ok;

  if (p == NULL)
    return FALSE;
  src = get_src (p);
  sink = get_sink (p);
  ok = gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE;
  for (guint64 i = 0; ok && i < WARMUP + messages; i++) {
    guint64 t;

    ok = echo (src, sink, &t);
    if (ok && i >= WARMUP)
      ns[i - WARMUP] = t;
  }
  if (!ok)
    rk_bench_print_bus_error (p, desc);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (p);
  return ok;
}

/**
 * rk_bench_appsrc_roundtrip:
 * @messages: round trips recorded per contender and repeat
 *
 * p50 and p99 of the round trip through each contender; the repeats run
 * round-robin and their samples are pooled.
 */
void
rk_bench_appsrc_roundtrip (RkJson * j, guint64 messages, guint repeats)
{
  gchar *desc[N_CONTENDERS], *skipped[N_CONTENDERS] = { NULL };
  guint64 *ns[N_CONTENDERS];
  gdouble p50[N_CONTENDERS], p99[N_CONTENDERS];
  gdouble *rep_p50 = g_new0 (gdouble, N_CONTENDERS * repeats);

  rk_json_key (j, "appsrc_roundtrip");
  rk_json_begin_object (j);
  rk_json_loadavg (j, "loadavg_before");
  for (guint c = 0; c < N_CONTENDERS; c++) {
    desc[c] = rk_bench_appsrc_pipeline (contenders[c].element);
    ns[c] = g_new (guint64, messages * repeats);
    if (!gst_rk_runtime_is_backend_available (contenders[c].backend,
            &skipped[c]))
      g_printerr ("appsrc-roundtrip: skipping %s: %s\n", contenders[c].name,
          skipped[c]);
  }

  for (guint r = 0; r < repeats; r++) {
    for (guint c = 0; c < N_CONTENDERS; c++) {
      guint64 *mine = ns[c] + r * messages;

      if (skipped[c])
        continue;
      if (!roundtrips (desc[c], messages, mine))
        exit (1);
      /* Sorting one repeat's slice in place leaves the pool intact */
      rk_bench_sort_u64 (mine, messages);
      rep_p50[c * repeats + r] = rk_bench_percentile (mine, messages, 0.50);
      g_printerr ("appsrc-roundtrip %u/%u %-27s p50 %8.0f ns  p99 %8.0f ns\n",
          r + 1, repeats, contenders[c].name, rep_p50[c * repeats + r],
          (gdouble) rk_bench_percentile (mine, messages, 0.99));
    }
  }

  rk_json_int (j, "messages", (gint64) messages);
  rk_json_int (j, "repeats", repeats);
  rk_json_int (j, "warmup", WARMUP);
  rk_json_int (j, "payload_bytes", 64);
  rk_json_key (j, "contenders");
  rk_json_begin_array (j);
  g_printerr ("\n%-27s %10s %10s   (all repeats pooled)\n", "round trip",
      "p50 ns", "p99 ns");
  for (guint c = 0; c < N_CONTENDERS; c++) {
    guint64 n = messages * repeats;

    rk_json_begin_object (j);
    rk_json_string (j, "name", contenders[c].name);
    rk_json_string (j, "pipeline", desc[c]);
    if (skipped[c]) {
      rk_json_string (j, "skipped", skipped[c]);
      rk_json_end_object (j);
      g_printerr ("%-27s skipped (%s)\n", contenders[c].name, skipped[c]);
      continue;
    }
    rk_bench_sort_u64 (ns[c], n);
    p50[c] = rk_bench_percentile (ns[c], n, 0.50);
    p99[c] = rk_bench_percentile (ns[c], n, 0.99);
    rk_json_double (j, "p50_ns", p50[c]);
    rk_json_double (j, "p99_ns", p99[c]);
    rk_json_double (j, "min_ns", ns[c][0]);
    rk_json_double (j, "max_ns", ns[c][n - 1]);
    rk_json_double_array (j, "p50_ns_per_repeat", rep_p50 + c * repeats,
        repeats);
    rk_json_end_object (j);
    g_printerr ("%-27s %10.0f %10.0f\n", contenders[c].name, p50[c], p99[c]);
  }
  rk_json_end_array (j);

  /* Ratios of the p50s; those that need a skipped contender are left out */
  rk_json_key (j, "ratios");
  rk_json_begin_object (j);
  rk_json_double (j, "rkecho_cpu_over_queue", p50[RKECHO_CPU] / p50[QUEUE]);
  g_printerr ("rkecho cpu / queue: %.2f (p50)\n",
      p50[RKECHO_CPU] / p50[QUEUE]);
  if (!skipped[VULKAN_PERSISTENT]) {
    rk_json_double (j, "vulkan_persistent_minus_cpu_ns",
        p50[VULKAN_PERSISTENT] - p50[RKECHO_CPU]);
    g_printerr ("vulkan persistent - cpu: %.0f ns (p50)\n",
        p50[VULKAN_PERSISTENT] - p50[RKECHO_CPU]);
  }
  if (!skipped[VULKAN_PERSISTENT] && !skipped[VULKAN_EVENT]) {
    rk_json_double (j, "vulkan_event_over_persistent",
        p50[VULKAN_EVENT] / p50[VULKAN_PERSISTENT]);
    g_printerr ("vulkan event-driven / persistent: %.2f (p50)\n",
        p50[VULKAN_EVENT] / p50[VULKAN_PERSISTENT]);
  }
  rk_json_end_object (j);
  rk_json_loadavg (j, "loadavg_after");
  rk_json_end_object (j);

  for (guint c = 0; c < N_CONTENDERS; c++) {
    g_free (desc[c]);
    g_free (ns[c]);
    g_free (skipped[c]);
  }
  g_free (rep_p50);
}
