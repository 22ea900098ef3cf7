/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkbench idle-cost: what a persistent kernel costs while nothing comes:
 * the process's CPU time (all threads) over a few seconds in which the main
 * thread sleeps, with one warm echo kernel, minus the same with none. For
 * echo launched through the C API, and for rkecho in a PLAYING
 * appsrc ! rkecho ! appsink with no data flowing, on the CPU and on Vulkan.
 */

#include <stdlib.h>
#include <time.h>

#include "ringkernel.h"
#include "rkbenchappsrc.h"
#include "rkbenchclock.h"
#include "rkbenchidle.h"
#include "rkbenchpipeline.h"

enum
{ API_CPU, API_VULKAN, ELEMENT_CPU, ELEMENT_VULKAN, N_CONTENDERS };

static const struct
{
  const gchar *name;
  gboolean element;
  GstRkBackendKind backend;
} contenders[N_CONTENDERS] = {
  {"api-cpu-persistent", FALSE, GST_RK_BACKEND_CPU},
  {"api-vulkan-persistent", FALSE, GST_RK_BACKEND_VULKAN},
  {"element-cpu-persistent", TRUE, GST_RK_BACKEND_CPU},
  {"element-vulkan-persistent", TRUE, GST_RK_BACKEND_VULKAN},
};

static guint64
process_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (guint64) ts.tv_sec * 1000000000u + (guint64) ts.tv_nsec;
}

/* CPU ms that the whole process spends per second while the main thread
 * sleeps for @seconds, i.e. per mille of one core. */
static gdouble
idle_ms_per_s (gdouble seconds)
{
  guint64 c0 = process_cpu_ns (), w0 = rk_bench_now_ns (), c1, w1;

  g_usleep ((gulong) (seconds * G_USEC_PER_SEC));
  c1 = process_cpu_ns ();
  w1 = rk_bench_now_ns ();
  return (c1 - c0) / 1e6 / ((w1 - w0) / 1e9);
}

static gboolean
idle_api (GstRkRuntime * rt, GstRkBackendKind backend, gdouble seconds,
    gdouble * ms_per_s)
{
  GstRkLaunchOptions opts;
  GstRkMessage msg;
  GError *err = NULL;
  GstBuffer *payload;
  GstRkKernel *k;
  gboolean ok;

  gst_rk_launch_options_init (&opts);
  opts.mode = GST_RK_KERNEL_MODE_PERSISTENT;
  k = gst_rk_runtime_launch (rt, "echo", NULL, backend, -1, &opts, NULL,
      &err);
  if (k == NULL) {
    g_printerr ("rkbench: cannot launch echo: %s\n", err->message);
    g_error_free (err);
    return FALSE;
  }
  /* One message through first, so that the kernel is warm, then idle */
  payload = gst_buffer_new_allocate (NULL, 64, NULL);
  gst_buffer_memset (payload, 0, 0x5A, 64);
  ok = gst_rk_kernel_send (k, payload, RK_MSG_DATA, 0, GST_RK_WAIT_FOREVER,
      NULL, &err) && gst_rk_kernel_receive (k, &msg, GST_RK_WAIT_FOREVER,
      &err);
  if (ok) {
    gst_rk_message_clear (&msg);
    *ms_per_s = idle_ms_per_s (seconds);
  } else {
    g_printerr ("rkbench: echo: %s\n", err->message);
    g_error_free (err);
  }
  gst_rk_kernel_terminate (k, NULL);
  gst_object_unref (k);
  return ok;
}

static gboolean
idle_element (const gchar * desc, gdouble seconds, gdouble * ms_per_s)
{
  GstElement *p = rk_bench_parse (desc);
  gboolean ok;

  if (p == NULL)
    return FALSE;
  /* One buffer prerolls and warms it; then PLAYING with nothing to do */
  ok = gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE && rk_bench_appsrc_echo_one (p) &&
      gst_element_get_state (p, NULL, NULL, 10 * GST_SECOND) ==
      GST_STATE_CHANGE_SUCCESS;
  if (ok)
    *ms_per_s = idle_ms_per_s (seconds);
  else
    rk_bench_print_bus_error (p, desc);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  return ok;
}

/**
 * rk_bench_idle_cost:
 * @seconds: idle time measured per contender and repeat
 *
 * Each repeat measures the baseline (no kernel) and then every contender
 * present, round-robin; a contender's cost is its figure minus the
 * baseline of its own repeat.
 */
void
rk_bench_idle_cost (RkJson * j, gdouble seconds, guint repeats)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  gdouble *base = g_new0 (gdouble, repeats);
  gdouble *raw = g_new0 (gdouble, N_CONTENDERS * repeats);
  gdouble *net = g_new0 (gdouble, N_CONTENDERS * repeats);
  gchar *desc[N_CONTENDERS] = { NULL }, *skipped[N_CONTENDERS] = { NULL };

  rk_json_key (j, "idle_cost");
  rk_json_begin_object (j);
  rk_json_loadavg (j, "loadavg_before");
  for (guint c = 0; c < N_CONTENDERS; c++) {
    if (contenders[c].element) {
      gchar *e = g_strdup_printf ("rkecho backend=%s mode=persistent",
          gst_rk_backend_kind_get_name (contenders[c].backend));

      desc[c] = rk_bench_appsrc_pipeline (e);
      g_free (e);
    }
    if (!gst_rk_runtime_is_backend_available (contenders[c].backend,
            &skipped[c]))
      g_printerr ("idle-cost: skipping %s: %s\n", contenders[c].name,
          skipped[c]);
  }

  for (guint r = 0; r < repeats; r++) {
    base[r] = idle_ms_per_s (seconds);
    g_printerr ("idle-cost %u/%u %-26s %8.2f CPU ms/s\n", r + 1, repeats,
        "baseline", base[r]);
    for (guint c = 0; c < N_CONTENDERS; c++) {
      gdouble *mine = raw + c * repeats + r;

      if (skipped[c])
        continue;
      if (!(contenders[c].element ? idle_element (desc[c], seconds, mine) :
              idle_api (rt, contenders[c].backend, seconds, mine)))
        exit (1);
      net[c * repeats + r] = *mine - base[r];
      g_printerr ("idle-cost %u/%u %-26s %8.2f CPU ms/s (%.2f above "
          "baseline)\n", r + 1, repeats, contenders[c].name, *mine,
          *mine - base[r]);
    }
  }

  rk_json_double (j, "seconds", seconds);
  rk_json_int (j, "repeats", repeats);
  rk_json_double_array (j, "baseline_cpu_ms_per_s", base, repeats);
  rk_json_double (j, "median_baseline_cpu_ms_per_s",
      rk_bench_median (base, repeats));
  rk_json_key (j, "contenders");
  rk_json_begin_array (j);
  g_printerr ("\n%-26s %24s %12s\n", "idle (median)", "CPU ms/s above "
      "baseline", "% of a core");
  for (guint c = 0; c < N_CONTENDERS; c++) {
    gdouble m;

    rk_json_begin_object (j);
    rk_json_string (j, "name", contenders[c].name);
    rk_json_string (j, "backend",
        gst_rk_backend_kind_get_name (contenders[c].backend));
    rk_json_string (j, "via", contenders[c].element ? "element" : "api");
    if (desc[c])
      rk_json_string (j, "pipeline", desc[c]);
    if (skipped[c]) {
      rk_json_string (j, "skipped", skipped[c]);
      rk_json_end_object (j);
      g_printerr ("%-26s skipped (%s)\n", contenders[c].name, skipped[c]);
      continue;
    }
    m = rk_bench_median (net + c * repeats, repeats);
    rk_json_double_array (j, "cpu_ms_per_s", raw + c * repeats, repeats);
    rk_json_double_array (j, "cpu_ms_per_s_above_baseline",
        net + c * repeats, repeats);
    rk_json_double (j, "median_cpu_ms_per_s_above_baseline", m);
    rk_json_double (j, "median_percent_of_core", m / 10);
    rk_json_end_object (j);
    g_printerr ("%-26s %24.2f %12.2f\n", contenders[c].name, m, m / 10);
  }
  rk_json_end_array (j);
  rk_json_loadavg (j, "loadavg_after");
  rk_json_end_object (j);

  for (guint c = 0; c < N_CONTENDERS; c++) {
    g_free (desc[c]);
    g_free (skipped[c]);
  }
  g_free (base);
  g_free (raw);
  g_free (net);
  gst_object_unref (rt);
}
