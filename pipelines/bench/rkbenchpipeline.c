/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Running a pipeline to EOS and timing its sink's buffers, for every
 * benchmark that compares pipelines.
 */

#include <string.h>

#include "rkbenchclock.h"
#include "rkbenchpipeline.h"

static GstPadProbeReturn
time_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  RkBenchTiming *t = data;
  guint64 now = rk_bench_now_ns ();

  if (t->count++ == 0) {
    /* Every task upstream is running by now: a run too short for the
     * main thread's samples still counts its threads. The clock is read
     * again so that the count is not timed. */
    if (t->sample_threads) {
      t->first_threads = rk_bench_count_threads ();
      now = rk_bench_now_ns ();
    }
    t->first_ns = now;
    g_atomic_int_set (&t->started, 1);
  }
  t->last_ns = now;
  return GST_PAD_PROBE_OK;
}

/**
 * rk_bench_count_threads:
 *
 * Returns: the threads of this process now (entries of /proc/self/task).
 */
guint
rk_bench_count_threads (void)
{
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  return n;
}

/**
 * rk_bench_settle_threads:
 *
 * Waits (3 s at most) for the streaming threads of pipelines that have
 * stopped to exit: a finished task's thread waits about half a second for
 * more work from its GLib thread pool, and GLib keeps a few unused threads
 * longer still; a thread count taken meanwhile would include them.
 *
 * Returns: the threads of this process afterwards.
 */
guint
rk_bench_settle_threads (void)
{
  guint n = rk_bench_count_threads (), stable_ms = 0;

  for (guint waited = 0; stable_ms < 700 && waited < 3000; waited += 50) {
    guint now;

    g_thread_pool_stop_unused_threads ();
    g_usleep (50 * 1000);
    now = rk_bench_count_threads ();
    stable_ms = now == n ? stable_ms + 50 : 0;
    n = now;
  }
  return n;
}

/**
 * rk_bench_print_bus_error:
 *
 * Prints the error waiting on @pipeline's bus, if there is one, so that a
 * failed run says why.
 */
void
rk_bench_print_bus_error (GstElement * pipeline, const gchar * desc)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  if (m) {
    GError *err = NULL;

    gst_message_parse_error (m, &err, NULL);
    g_printerr ("rkbench: \"%s\" failed: %s\n", desc, err->message);
    g_error_free (err);
    gst_message_unref (m);
  } else {
    g_printerr ("rkbench: \"%s\" failed\n", desc);
  }
  gst_object_unref (bus);
}

/* The pipeline @desc describes, or %NULL after saying why on stderr. */
GstElement *
rk_bench_parse (const gchar * desc)
{
  GError *err = NULL;
  GstElement *p = gst_parse_launch (desc, &err);

  if (p == NULL) {
    g_printerr ("rkbench: cannot build \"%s\": %s\n", desc, err->message);
    g_error_free (err);
  }
  return p;
}

/* Host ↔ device payload bytes of every ring kernel in @bin */
static guint64
host_bytes (GstElement * bin)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (bin));
  GValue v = G_VALUE_INIT;
  guint64 total = 0;

  while (gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&v);
    GstStructure *s = NULL;
    guint64 up = 0, down = 0;

    if (g_object_class_find_property (G_OBJECT_GET_CLASS (e), "stats"))
      g_object_get (e, "stats", &s, NULL);
    if (s && gst_structure_get_uint64 (s, "host-to-device-bytes", &up) &&
        gst_structure_get_uint64 (s, "device-to-host-bytes", &down))
      total += up + down;
    if (s)
      gst_structure_free (s);
    g_value_reset (&v);
  }
  g_value_unset (&v);
  gst_iterator_free (it);
  return total;
}

/**
 * rk_bench_run_pipeline:
 * @sample_threads: count the process's threads at the sink's first buffer
 *   and every 20 ms while it sees buffers, the most into
 *   @timing->max_threads
 *
 * Runs @desc to EOS. The element named "sink" is timed: steady-state ns per
 * buffer from its first buffer to its last, which leaves start-up out. The
 * ring kernels' host ↔ device copies go in @timing->host_bytes.
 *
 * Returns: the wall time in ns, or 0 on error.
 */
guint64
rk_bench_run_pipeline (const gchar * desc, RkBenchTiming * timing,
    gboolean sample_threads)
{
  GstElement *p = rk_bench_parse (desc);
  GstClockTime poll = sample_threads ? 20 * GST_MSECOND : GST_CLOCK_TIME_NONE;
  GstElement *sink;
  GstMessage *m;
  GstBus *bus;
  guint64 start, wall = 0;

  if (p == NULL)
    return 0;
  memset (timing, 0, sizeof (*timing));
  timing->sample_threads = sample_threads;
  sink = gst_bin_get_by_name (GST_BIN (p), "sink");
  if (sink) {
    GstPad *pad = gst_element_get_static_pad (sink, "sink");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, time_buffer, timing,
        NULL);
    gst_object_unref (pad);
    gst_object_unref (sink);
  }

  bus = gst_element_get_bus (p);
  start = rk_bench_now_ns ();
  gst_element_set_state (p, GST_STATE_PLAYING);
  while (!(m = gst_bus_timed_pop_filtered (bus, poll,
              GST_MESSAGE_EOS | GST_MESSAGE_ERROR)))
    if (g_atomic_int_get (&timing->started))
      timing->max_threads = MAX (timing->max_threads,
          rk_bench_count_threads ());
  if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS) {
    wall = rk_bench_now_ns () - start;
    timing->max_threads = MAX (timing->max_threads, timing->first_threads);
  } else {
    GError *err = NULL;

    gst_message_parse_error (m, &err, NULL);
    g_printerr ("rkbench: \"%s\" failed: %s\n", desc, err->message);
    g_error_free (err);
  }
  gst_message_unref (m);
  timing->host_bytes = host_bytes (p);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  return wall;
}
