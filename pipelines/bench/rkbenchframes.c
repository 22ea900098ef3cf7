/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkbench frames: rkgray frames per second through the C API, the same
 * frame sent again and again with a few in flight, on each backend (side
 * by side: the ratio to the CPU is the figure to read).
 */

#include <stdlib.h>
#include <time.h>

#include <gst/video/video.h>

#include "ringkernel.h"
#include "rkbenchclock.h"
#include "rkbenchframes.h"


static gboolean
receive_one (GstRkKernel * k)
{
  GstRkMessage msg;
  GError *err = NULL;

  if (!gst_rk_kernel_receive (k, &msg, GST_RK_WAIT_FOREVER, &err)) {
    g_printerr ("rkbench: %s\n", err->message);
    g_error_free (err);
    return FALSE;
  }
  gst_rk_message_clear (&msg);
  return TRUE;
}

/* Frames per second of one backend, or 0 on failure */
static gdouble
frames_one (RkJson * j, GstRkBackendKind backend, GstBuffer * frame,
    GstCaps * caps, guint frames, guint in_flight)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  guint warmup = 5, sent = 0, got = 0;
  GstRkLaunchOptions opts;
  GError *err = NULL;
  GstRkKernel *k;
  guint64 t0 = 0;
  gdouble fps;

  gst_rk_launch_options_init (&opts);
  /* The runtime rounds queue capacities up to a power of two. */
  opts.input_queue_capacity = opts.output_queue_capacity = MAX (in_flight, 1);
  opts.auto_activate = TRUE;
  k = gst_rk_runtime_launch (rt, "gray", NULL, backend, -1, &opts, NULL,
      &err);
  if (k == NULL || !gst_rk_kernel_set_caps (k, caps, NULL, &err)) {
    g_printerr ("rkbench: %s\n", err->message);
    g_error_free (err);
    gst_clear_object (&k);
    gst_object_unref (rt);
    return 0;
  }

  while (got < warmup + frames) {
    while (sent < warmup + frames && sent - got < in_flight) {
      if (!gst_rk_kernel_send (k, gst_buffer_ref (frame), RK_MSG_DATA, 0,
              GST_RK_WAIT_FOREVER, NULL, &err)) {
        g_printerr ("rkbench: %s\n", err->message);
        g_error_free (err);
        return 0;
      }
      sent++;
    }
    if (!receive_one (k))
      return 0;
    if (++got == warmup)
      t0 = rk_bench_now_ns ();
  }
  fps = frames * 1e9 / (gdouble) (rk_bench_now_ns () - t0);

  rk_json_begin_object (j);
  rk_json_string (j, "backend", gst_rk_backend_kind_get_name (backend));
  rk_json_string (j, "device", gst_rk_kernel_get_device_name (k));
  rk_json_string (j, "mode", gst_rk_kernel_mode_get_name
      (gst_rk_kernel_get_mode (k)));
  rk_json_int (j, "frames", frames);
  rk_json_int (j, "in_flight", in_flight);
  rk_json_double (j, "fps", fps);
  rk_json_double (j, "ms_per_frame", 1e3 / fps);
  rk_json_end_object (j);
  g_printerr ("frames %-7s %-13s %8.1f frames/s (%.2f ms each)\n",
      gst_rk_backend_kind_get_name (backend),
      gst_rk_kernel_mode_get_name (gst_rk_kernel_get_mode (k)), fps,
      1e3 / fps);

  gst_rk_kernel_terminate (k, NULL);
  gst_object_unref (k);
  gst_object_unref (rt);
  return fps;
}

/**
 * rk_bench_frames:
 * @backends: (element-type GstRkBackendKind): where to run, CPU first
 * @format: "RGBA", "NV12", ...
 *
 * rkgray on frames of @width x @height, @in_flight at a time.
 */
void
rk_bench_frames (RkJson * j, GList * backends, guint frames, guint width,
    guint height, const gchar * format, guint in_flight)
{
  gchar *desc = g_strdup_printf ("video/x-raw,format=%s,width=%u,height=%u,"
      "framerate=30/1", format, width, height);
  GstCaps *caps = gst_caps_from_string (desc);
  GRand *rand = g_rand_new_with_seed (1);
  gdouble cpu_fps = 0;
  GstBuffer *frame;
  GstMapInfo map;
  GstVideoInfo vi;

  /* Frames laid out as GstVideoInfo says, as the kernels take them */
  if (caps == NULL || !gst_video_info_from_caps (&vi, caps)) {
    g_printerr ("rkbench: cannot make %s frames\n", desc);
    exit (2);
  }
  frame = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&vi), NULL);
  gst_buffer_map (frame, &map, GST_MAP_WRITE);
  for (gsize i = 0; i < map.size; i++)
    map.data[i] = g_rand_int (rand);
  gst_buffer_unmap (frame, &map);

  rk_json_key (j, "frames");
  rk_json_begin_object (j);
  rk_json_string (j, "kernel", "gray");
  rk_json_string (j, "caps", desc);
  rk_json_key (j, "runs");
  rk_json_begin_array (j);
  for (GList * l = backends; l; l = l->next) {
    GstRkBackendKind backend = GPOINTER_TO_INT (l->data);
    gdouble fps = frames_one (j, backend, frame, caps, frames, in_flight);

    if (backend == GST_RK_BACKEND_CPU)
      cpu_fps = fps;
    else if (cpu_fps > 0 && fps > 0)
      g_printerr ("frames %s / cpu: %.2f\n",
          gst_rk_backend_kind_get_name (backend), fps / cpu_fps);
  }
  rk_json_end_array (j);
  rk_json_end_object (j);

  gst_buffer_unref (frame);
  gst_caps_unref (caps);
  g_rand_free (rand);
  g_free (desc);
}
