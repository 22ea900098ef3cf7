/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkbench chain: fakesrc ! X ! X ! ... (L times) ! fakesink for rkecho in
 * each mode (CPU backend) and for queue: buffers per second, and how many
 * threads the process runs meanwhile. A long chain is where a thread per
 * element stops being affordable.
 */

#include <stdlib.h>

#include "rkbenchchain.h"
#include "rkbenchclock.h"
#include "rkbenchpipeline.h"

enum
{ PERSISTENT, EVENT_DRIVEN, AUTO, QUEUE, N_CONTENDERS };

static const struct
{
  const gchar *name;
  const gchar *element;
} contenders[N_CONTENDERS] = {
  {"rkecho-persistent", "rkecho backend=cpu mode=persistent"},
  {"rkecho-event-driven", "rkecho backend=cpu mode=event-driven"},
  {"rkecho-auto", "rkecho backend=cpu mode=auto"},
  {"queue", "queue"},
};

static gchar *
chain_pipeline (const gchar * element, guint length, guint64 buffers)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "fakesrc num-buffers=%" G_GUINT64_FORMAT
      " sizetype=fixed sizemax=64", buffers);
  for (guint i = 0; i < length; i++)
    g_string_append_printf (s, " ! %s", element);
  g_string_append (s, " ! fakesink name=sink sync=false");
  return g_string_free (s, FALSE);
}

/**
 * rk_bench_chain:
 * @length: elements in each chain
 * @buffers: buffers per run
 *
 * Steady-state buffers per second (the sink's first buffer to its last) and
 * threads per element: the most threads seen while buffers flow, less those
 * before the pipeline was built, over @length. Repeats round-robin.
 */
void
rk_bench_chain (RkJson * j, guint length, guint64 buffers, guint repeats)
{
  gdouble *rate = g_new0 (gdouble, N_CONTENDERS * repeats);
  gdouble *before = g_new0 (gdouble, N_CONTENDERS * repeats);
  gdouble *most = g_new0 (gdouble, N_CONTENDERS * repeats);
  gdouble *per_element = g_new0 (gdouble, N_CONTENDERS * repeats);
  gchar *desc[N_CONTENDERS];

  rk_json_key (j, "chain");
  rk_json_begin_object (j);
  rk_json_loadavg (j, "loadavg_before");
  for (guint c = 0; c < N_CONTENDERS; c++)
    desc[c] = chain_pipeline (contenders[c].element, length, buffers);

  for (guint r = 0; r < repeats; r++) {
    for (guint c = 0; c < N_CONTENDERS; c++) {
      guint i = c * repeats + r;
      RkBenchTiming t;

      before[i] = rk_bench_settle_threads ();
      if (rk_bench_run_pipeline (desc[c], &t, TRUE) == 0 || t.count < 2)
        exit (1);
      rate[i] = (t.count - 1) * 1e9 / (t.last_ns - t.first_ns);
      most[i] = MAX (t.max_threads, before[i]);
      per_element[i] = (most[i] - before[i]) / length;
      g_printerr ("chain %u/%u %-20s %10.0f buffers/s  %4.0f threads "
          "(%.0f before, %.2f per element)\n", r + 1, repeats,
          contenders[c].name, rate[i], most[i], before[i], per_element[i]);
    }
  }

  rk_json_int (j, "length", length);
  rk_json_int (j, "buffers", (gint64) buffers);
  rk_json_int (j, "repeats", repeats);
  rk_json_key (j, "contenders");
  rk_json_begin_array (j);
  g_printerr ("\n%-20s %12s %12s %12s\n", "chain (median)", "buffers/s",
      "threads", "per element");
  for (guint c = 0; c < N_CONTENDERS; c++) {
    gdouble *mine = rate + c * repeats;
    gdouble med_rate = rk_bench_median (mine, repeats);
    gdouble med_threads = rk_bench_median (most + c * repeats, repeats);
    gdouble med_per = rk_bench_median (per_element + c * repeats, repeats);

    rk_json_begin_object (j);
    rk_json_string (j, "name", contenders[c].name);
    rk_json_string (j, "element", contenders[c].element);
    rk_json_string (j, "pipeline", desc[c]);
    rk_json_double_array (j, "buffers_per_s", mine, repeats);
    rk_json_double (j, "median_buffers_per_s", med_rate);
    rk_json_double_array (j, "threads_before", before + c * repeats,
        repeats);
    rk_json_double_array (j, "threads_max", most + c * repeats, repeats);
    rk_json_double (j, "median_threads_max", med_threads);
    rk_json_double_array (j, "threads_per_element",
        per_element + c * repeats, repeats);
    rk_json_double (j, "median_threads_per_element", med_per);
    rk_json_end_object (j);
    g_printerr ("%-20s %12.0f %12.0f %12.2f\n", contenders[c].name,
        med_rate, med_threads, med_per);
  }
  rk_json_end_array (j);
  rk_json_loadavg (j, "loadavg_after");
  rk_json_end_object (j);

  for (guint c = 0; c < N_CONTENDERS; c++)
    g_free (desc[c]);
  g_free (rate);
  g_free (before);
  g_free (most);
  g_free (per_element);
}
