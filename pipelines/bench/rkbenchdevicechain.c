/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkbench device-chain: chains of 1, 2, 4 and 8 rkblur elements on the
 * Vulkan backend, with frames kept on the device between them (they
 * negotiate memory:RingKernelDevice) and, side by side, forced through
 * host memory (a "video/x-raw" capsfilter between each pair, which is
 * system memory): host bytes copied per frame and time per frame.
 */

#include "rkbenchclock.h"
#include "rkbenchdevicechain.h"
#include "rkbenchpipeline.h"

static const guint lengths[] = { 1, 2, 4, 8 };

enum
{ HOST, DEVICE, N_WAYS };

static const gchar *const way_names[N_WAYS] = { "host", "device" };

static gchar *
chain_pipeline (guint length, gboolean device, guint frames, guint width,
    guint height)
{
  GString *s = g_string_new (NULL);

  /* black frames: the source costs a memset, the blur the same as for any
   * content */
  g_string_append_printf (s, "videotestsrc num-buffers=%u pattern=black ! "
      "video/x-raw,format=GRAY8,width=%u,height=%u", frames, width, height);
  for (guint i = 0; i < length; i++)
    g_string_append_printf (s, "%s ! rkblur backend=vulkan sigma=2",
        i > 0 && !device ? " ! video/x-raw" : "");
  g_string_append (s, " ! fakesink name=sink sync=false");
  return g_string_free (s, FALSE);
}

/**
 * rk_bench_device_chain:
 *
 * For each chain length, both ways in turn, @repeats times (interleaved):
 * ms per frame and host bytes per frame (the kernels' host-to-device and
 * device-to-host bytes over the frames). Time per frame is the run's wall
 * time over its frames, start-up included: event-driven kernels take what
 * is queued in one submission, so frames reach the sink in bursts and the
 * sink's first-to-last interval would flatter longer chains.
 */
void
rk_bench_device_chain (RkJson * j, guint frames, guint width, guint height,
    guint repeats)
{
  const guint n = G_N_ELEMENTS (lengths);
  gdouble *ms = g_new0 (gdouble, n * N_WAYS * repeats);
  gdouble *bytes = g_new0 (gdouble, n * N_WAYS * repeats);

  rk_json_key (j, "device_chain");
  rk_json_begin_object (j);
  rk_json_loadavg (j, "loadavg_before");
  for (guint r = 0; r < repeats; r++)
    for (guint l = 0; l < n; l++)
      for (guint w = 0; w < N_WAYS; w++) {
        gchar *desc = chain_pipeline (lengths[l], w == DEVICE, frames,
            width, height);
        RkBenchTiming t;
        guint idx = (l * N_WAYS + w) * repeats + r;
        guint64 wall = rk_bench_run_pipeline (desc, &t, FALSE);

        if (wall > 0 && t.count > 0) {
          ms[idx] = wall / 1e6 / t.count;
          bytes[idx] = (gdouble) t.host_bytes / t.count;
        }
        g_printerr ("device-chain: %u x rkblur, %s memory: %.2f ms/frame, "
            "%.0f host bytes/frame\n", lengths[l], way_names[w], ms[idx],
            bytes[idx]);
        g_free (desc);
      }

  rk_json_loadavg (j, "loadavg_after");
  rk_json_int (j, "frames", frames);
  rk_json_int (j, "width", width);
  rk_json_int (j, "height", height);
  rk_json_string (j, "kernel", "rkblur GRAY8 sigma=2, backend=vulkan");
  rk_json_key (j, "chains");
  rk_json_begin_array (j);
  for (guint l = 0; l < n; l++)
    for (guint w = 0; w < N_WAYS; w++) {
      guint idx = (l * N_WAYS + w) * repeats;

      rk_json_begin_object (j);
      rk_json_int (j, "length", lengths[l]);
      rk_json_string (j, "memory", way_names[w]);
      rk_json_double_array (j, "ms_per_frame", ms + idx, repeats);
      rk_json_double (j, "median_ms_per_frame",
          rk_bench_median (ms + idx, repeats));
      rk_json_double (j, "host_bytes_per_frame",
          rk_bench_median (bytes + idx, repeats));
      rk_json_double (j, "host_frames_per_frame",
          rk_bench_median (bytes + idx, repeats) /
          ((gdouble) GST_ROUND_UP_4 (width) * height));
      rk_json_end_object (j);
    }
  rk_json_end_array (j);
  rk_json_end_object (j);
  g_free (ms);
  g_free (bytes);
}
