/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkbench roundtrip-split: the round trip of one 64-byte message through
 * echo, in its parts:
 *
 *   send     gst_rk_kernel_send() (stamping, queueing, waking the device)
 *   device   from send's return until the output is in the output queue
 *            (the kernel's own latency, seen from the host)
 *   receive  gst_rk_kernel_try_receive() (taking the output, the metas)
 *
 * The host's parts are the same on every backend; the device part is
 * where persistent and event-driven kernels differ.
 */

#include <stdlib.h>
#include <time.h>

#include "ringkernel.h"
#include "rkbenchclock.h"
#include "rkbenchsplit.h"

enum
{ PART_SEND, PART_DEVICE, PART_RECEIVE, PART_TOTAL, N_PARTS };

static const gchar *const part_names[N_PARTS] = { "send", "device",
  "receive", "total"
};



static void
split_one (RkJson * j, GstRkRuntime * rt, GstRkBackendKind backend,
    GstRkKernelMode mode, guint64 messages)
{
  guint64 warmup = MIN (messages / 10, 2000);
  guint64 *samples[N_PARTS];
  GstRkLaunchOptions opts;
  GstBuffer *payload;
  GError *err = NULL;
  GstRkKernel *k;

  gst_rk_launch_options_init (&opts);
  opts.mode = mode;
  opts.input_queue_capacity = opts.output_queue_capacity = 64;
  opts.auto_activate = TRUE;
  k = gst_rk_runtime_launch (rt, "echo", NULL, backend, -1, &opts, NULL,
      &err);
  if (k == NULL) {
    g_printerr ("rkbench: cannot launch echo: %s\n", err->message);
    g_error_free (err);
    return;
  }
  for (guint p = 0; p < N_PARTS; p++)
    samples[p] = g_new (guint64, messages);
  payload = gst_buffer_new_allocate (NULL, 64, NULL);
  gst_buffer_memset (payload, 0, 0x5A, 64);

  for (guint64 i = 0; i < warmup + messages; i++) {
    GstRkMessage msg;
    guint64 t0, t1, t2, t3;

    t0 = rk_bench_now_ns ();
    if (!gst_rk_kernel_send (k, gst_buffer_ref (payload), RK_MSG_DATA, 0,
            GST_RK_WAIT_FOREVER, NULL, NULL))
      exit (1);
    t1 = rk_bench_now_ns ();
    while (!gst_rk_kernel_has_output (k))
      if (!gst_rk_kernel_check (k, NULL))
        exit (1);
    t2 = rk_bench_now_ns ();
    if (!gst_rk_kernel_try_receive (k, &msg, NULL))
      exit (1);
    t3 = rk_bench_now_ns ();
    gst_rk_message_clear (&msg);
    if (i >= warmup) {
      samples[PART_SEND][i - warmup] = t1 - t0;
      samples[PART_DEVICE][i - warmup] = t2 - t1;
      samples[PART_RECEIVE][i - warmup] = t3 - t2;
      samples[PART_TOTAL][i - warmup] = t3 - t0;
    }
  }

  rk_json_begin_object (j);
  rk_json_string (j, "backend", gst_rk_backend_kind_get_name (backend));
  rk_json_string (j, "device", gst_rk_kernel_get_device_name (k));
  rk_json_string (j, "mode", gst_rk_kernel_mode_get_name (mode));
  rk_json_int (j, "messages", (gint64) messages);
  g_printerr ("split %-7s %-13s", gst_rk_backend_kind_get_name (backend),
      gst_rk_kernel_mode_get_name (mode));
  for (guint p = 0; p < N_PARTS; p++) {
    gchar *key;

    rk_bench_sort_u64 (samples[p], messages);
    key = g_strdup_printf ("%s_p50_ns", part_names[p]);
    rk_json_double (j, key, rk_bench_percentile (samples[p], messages, 0.50));
    g_free (key);
    key = g_strdup_printf ("%s_p99_ns", part_names[p]);
    rk_json_double (j, key, rk_bench_percentile (samples[p], messages, 0.99));
    g_free (key);
    g_printerr ("  %s %7.0f/%-7.0f", part_names[p],
        (gdouble) rk_bench_percentile (samples[p], messages, 0.50),
        (gdouble) rk_bench_percentile (samples[p], messages, 0.99));
    g_free (samples[p]);
  }
  g_printerr (" ns (p50/p99)\n");
  rk_json_end_object (j);

  gst_buffer_unref (payload);
  gst_rk_kernel_terminate (k, NULL);
  gst_object_unref (k);
}

/**
 * rk_bench_roundtrip_split:
 * @backends: (element-type GstRkBackendKind): where to run
 *
 * The parts of a round trip, persistent and event-driven, per backend.
 */
void
rk_bench_roundtrip_split (RkJson * j, GList * backends, guint64 messages)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);

  rk_json_key (j, "roundtrip_split");
  rk_json_begin_array (j);
  for (GList * l = backends; l; l = l->next) {
    split_one (j, rt, GPOINTER_TO_INT (l->data),
        GST_RK_KERNEL_MODE_PERSISTENT, messages);
    split_one (j, rt, GPOINTER_TO_INT (l->data),
        GST_RK_KERNEL_MODE_EVENT_DRIVEN, messages);
  }
  rk_json_end_array (j);
  gst_object_unref (rt);
}
