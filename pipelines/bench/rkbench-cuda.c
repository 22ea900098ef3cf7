/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkbench-cuda: the CUDA backend's benchmarks (not tests). Each runs its
 * contenders interleaved in one process and reports ratios.
 *
 *   rkbench-cuda roundtrip  [--messages N]
 *       one 64-byte message host → rkecho → host, p50/p99 over N (100,000)
 *       messages, four ways: persistent kernel (runtime C API), event-driven
 *       kernel (runtime C API), cuLaunchKernel + cuStreamSynchronize (bare
 *       driver, same kernel code), CUDA graph replay + sync (bare driver)
 *   rkbench-cuda throughput [--messages N] [--in-flight K]
 *       messages/s through rkecho with K (256) in flight, both modes
 *   rkbench-cuda gray       [--frames N]
 *       rkgray on RGBA frames at 1080p and 4K:
 *       - kernel only (bare driver, frame resident on the device) against the
 *         memory-bandwidth limit (bytes read + written per frame);
 *       - end to end through the runtime (copies included), both modes,
 *         against the PCIe limit measured here with pinned copies;
 *       - pipelines: appsrc ! rkgray backend=cuda ! fakesink against
 *         appsrc ! cudaupload ! cudaconvert ! cudadownload ! fakesink
 *         (nvcodec) where those elements exist.
 *   rkbench-cuda all [--quick]
 *
 * Output: JSON (-o FILE, or stdout), progress on stderr. Without a usable
 * CUDA device it says why and exits with status 77.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gst/app/gstappsrc.h>

#include "ringkernel.h"
#include "rkbenchclock.h"
#include "rkbenchjson.h"
#include "gstrkcudadriver.h"
#include "gstrkcudakernel.h"
#include "gstrkcudaprotocol.h"
#include "gstrkpluginstatic.h"

typedef struct
{
  gchar *what;
  guint64 messages;
  guint64 frames;
  guint in_flight;
  gboolean quick;
  gchar *json_path;
} Options;

/* The bare driver, for the launch-based contenders */
typedef struct
{
  const GstRkCudaDriver *cu;
  CUdevice dev;
  CUcontext ctx;
  CUstream stream;
  gchar name[256];
  gint sm_count;
  gint cc;
  gdouble peak_gbps;            /* memory bandwidth, from the attributes */
} Bare;

#define CHECK(call) do { CUresult r_ = (call); if (r_ != CUDA_SUCCESS) { \
    gchar *d_ = gst_rk_cuda_result_describe (r_); \
    g_printerr ("%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call, d_); \
    exit (1); } } while (0)



static gdouble
percentile_us (guint64 * v, guint64 n, gdouble p)
{
  rk_bench_sort_u64 (v, n);
  return rk_bench_percentile (v, n, p) / 1000.0;
}

static gint
attr (Bare * b, CUdevice_attribute a)
{
  gint v = 0;

  CHECK (b->cu->DeviceGetAttribute (&v, a, b->dev));
  return v;
}

static void
bare_init (Bare * b)
{
  const gchar *reason = NULL;

  b->cu = gst_rk_cuda_driver_get (&reason);
  g_assert (b->cu);
  if (!b->cu->EventElapsedTime || !b->cu->StreamBeginCapture ||
      !b->cu->StreamEndCapture || !b->cu->GraphInstantiateWithFlags ||
      !b->cu->GraphLaunch || !b->cu->GraphExecDestroy || !b->cu->GraphDestroy) {
    g_printerr ("rkbench-cuda: the driver lacks event timing or graphs\n");
    exit (1);
  }
  CHECK (b->cu->DeviceGet (&b->dev, 0));
  CHECK (b->cu->DevicePrimaryCtxRetain (&b->ctx, b->dev));
  CHECK (b->cu->CtxPushCurrent (b->ctx));
  CHECK (b->cu->StreamCreate (&b->stream, CU_STREAM_NON_BLOCKING));
  b->cu->DeviceGetName (b->name, sizeof (b->name) - 1, b->dev);
  b->sm_count = attr (b, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
  b->cc = attr (b, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR) * 10 +
      attr (b, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
  /* DDR: two transfers per clock */
  b->peak_gbps = attr (b, CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE) * 1e3 * 2.0 *
      (attr (b, CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH) / 8.0) / 1e9;
}

static CUfunction
bare_function (Bare * b, const GstRkCudaKernel * kernel)
{
  CUmodule module;
  CUfunction f;
  gint regs;

  CHECK (b->cu->ModuleLoadData (&module, kernel->image));
  CHECK (b->cu->ModuleGetFunction (&f, module, RK_CUDA_ENTRY_EVENT));
  CHECK (b->cu->FuncGetAttribute (&regs, CU_FUNC_ATTRIBUTE_NUM_REGS, f));
  return f;
}

static void
bare_launch (Bare * b, CUfunction f, guint grid, guint block,
    RkCudaEventArgs * args)
{
  void *params[] = { args };

  CHECK (b->cu->LaunchKernel (f, grid, 1, 1, block, 1, 1, 0, b->stream,
          params, NULL));
}

/* ---- The runtime side ---- */

static GstRkKernel *
launch_kernel (GstRkRuntime * rt, const gchar * name, GstRkKernelMode mode,
    guint32 capacity)
{
  GstRkLaunchOptions o;
  GError *err = NULL;
  GstRkKernel *k;

  gst_rk_launch_options_init (&o);
  o.mode = mode;
  o.auto_activate = TRUE;
  if (capacity)
    o.input_queue_capacity = o.output_queue_capacity = capacity;
  k = gst_rk_runtime_launch (rt, name, NULL, GST_RK_BACKEND_CUDA, -1, &o,
      NULL, &err);
  if (k == NULL) {
    g_printerr ("cannot launch %s: %s\n", name, err->message);
    exit (1);
  }
  return k;
}

static void
receive_spin (GstRkKernel * k, GstRkMessage * msg)
{
  GError *err = NULL;

  while (!gst_rk_kernel_try_receive (k, msg, &err)) {
    if (!g_error_matches (err, GST_RK_ERROR, GST_RK_ERROR_WOULD_BLOCK)) {
      g_printerr ("receive: %s\n", err->message);
      exit (1);
    }
    g_clear_error (&err);
  }
}

static guint64
runtime_roundtrip (GstRkKernel * k, GstBuffer * payload)
{
  guint64 t0 = rk_bench_now_ns ();
  GstRkMessage msg;

  if (!gst_rk_kernel_send (k, gst_buffer_ref (payload), RK_MSG_REQUEST, 1,
          GST_RK_WAIT_FOREVER, NULL, NULL))
    exit (1);
  receive_spin (k, &msg);
  gst_rk_message_clear (&msg);
  return rk_bench_now_ns () - t0;
}

/* ---- Round trip ---- */

typedef struct
{
  const gchar *name;
  guint64 *lat;
} Way;

static void
bench_roundtrip (const Options * o, Bare * b, RkJson * j)
{
  const guint64 n = o->messages;
  const guint round = 1000;
  Way ways[4] = { {"persistent"}, {"event-driven"},
  {"launch+sync"}, {"graph+sync"}
  };
  CUfunction echo = bare_function (b, &gst_rk_cuda_kernel_echo);
  RkCudaJob *job_host;
  CUdeviceptr job_dev, payload_dev;
  guint8 *payload_host;
  RkCudaEventArgs args = { 0, };
  CUgraph graph;
  CUgraphExec exec;
  GstRkRuntime *rt;
  GstRkKernel *pk, *ek;
  GstBuffer *payload;
  guint64 done = 0;

  /* Bare driver: everything allocated and loaded before any persistent
   * kernel runs. The payload lives in mapped memory both ways. */
  CHECK (b->cu->MemHostAlloc ((void **) &payload_host, 128,
          CU_MEMHOSTALLOC_DEVICEMAP));
  CHECK (b->cu->MemHostGetDevicePointer (&payload_dev, payload_host, 0));
  CHECK (b->cu->MemHostAlloc ((void **) &job_host, sizeof (RkCudaJob), 0));
  CHECK (b->cu->MemAlloc (&job_dev, sizeof (RkCudaJob)));
  memset (job_host, 0, sizeof (RkCudaJob));
  job_host->type = RK_MSG_REQUEST;
  job_host->in_ptr = payload_dev;
  job_host->out_ptr = payload_dev + 64;
  job_host->in_size = 64;
  job_host->out_capacity = 64;
  CHECK (b->cu->MemcpyHtoDAsync (job_dev, job_host, sizeof (RkCudaJob),
          b->stream));
  CHECK (b->cu->StreamSynchronize (b->stream));
  args.jobs = job_dev;
  args.n_jobs = 1;

  CHECK (b->cu->StreamBeginCapture (b->stream,
          CU_STREAM_CAPTURE_MODE_RELAXED));
  bare_launch (b, echo, 1, 64, &args);
  CHECK (b->cu->StreamEndCapture (b->stream, &graph));
  CHECK (b->cu->GraphInstantiateWithFlags (&exec, graph, 0));

  rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  pk = launch_kernel (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 0);
  ek = launch_kernel (rt, "echo", GST_RK_KERNEL_MODE_EVENT_DRIVEN, 0);
  payload = gst_buffer_new_allocate (NULL, 64, NULL);
  gst_buffer_memset (payload, 0, 0x5A, 64);
  for (guint w = 0; w < 4; w++)
    ways[w].lat = g_new (guint64, n);

  /* Warm up, then rounds of each way in turn */
  for (guint i = 0; i < 1000; i++) {
    runtime_roundtrip (pk, payload);
    runtime_roundtrip (ek, payload);
  }
  while (done < n) {
    guint m = (guint) MIN (round, n - done);

    for (guint i = 0; i < m; i++)
      ways[0].lat[done + i] = runtime_roundtrip (pk, payload);
    for (guint i = 0; i < m; i++)
      ways[1].lat[done + i] = runtime_roundtrip (ek, payload);
    for (guint i = 0; i < m; i++) {
      guint64 t0 = rk_bench_now_ns ();

      payload_host[0] = (guint8) i;
      bare_launch (b, echo, 1, 64, &args);
      CHECK (b->cu->StreamSynchronize (b->stream));
      ways[2].lat[done + i] = rk_bench_now_ns () - t0;
      g_assert (payload_host[64] == (guint8) i);
    }
    for (guint i = 0; i < m; i++) {
      guint64 t0 = rk_bench_now_ns ();

      payload_host[0] = (guint8) (i + 1);
      CHECK (b->cu->GraphLaunch (exec, b->stream));
      CHECK (b->cu->StreamSynchronize (b->stream));
      ways[3].lat[done + i] = rk_bench_now_ns () - t0;
      g_assert (payload_host[64] == (guint8) (i + 1));
    }
    done += m;
    g_printerr ("\rroundtrip: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
        done, n);
  }
  g_printerr ("\n");

  rk_json_key (j, "roundtrip");
  rk_json_begin_object (j);
  rk_json_int (j, "messages", (gint64) n);
  rk_json_int (j, "payload_bytes", 64);
  {
    gdouble p50[4];

    for (guint w = 0; w < 4; w++) {
      rk_json_key (j, ways[w].name);
      rk_json_begin_object (j);
      p50[w] = percentile_us (ways[w].lat, n, 0.50);
      rk_json_double (j, "p50_us", p50[w]);
      rk_json_double (j, "p99_us", percentile_us (ways[w].lat, n, 0.99));
      rk_json_end_object (j);
      g_printerr ("  %-13s p50 %8.2f us  p99 %8.2f us\n", ways[w].name,
          p50[w], percentile_us (ways[w].lat, n, 0.99));
      g_free (ways[w].lat);
    }
    rk_json_double (j, "launch_sync_over_persistent_p50", p50[2] / p50[0]);
    rk_json_double (j, "graph_over_persistent_p50", p50[3] / p50[0]);
    rk_json_double (j, "event_driven_over_persistent_p50", p50[1] / p50[0]);
    g_printerr ("  launch+sync / persistent (p50): %.2fx\n", p50[2] / p50[0]);
  }
  rk_json_end_object (j);

  gst_buffer_unref (payload);
  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (pk);
  gst_object_unref (ek);
  gst_object_unref (rt);
  b->cu->GraphExecDestroy (exec);
  b->cu->GraphDestroy (graph);
  b->cu->MemFree (job_dev);
  b->cu->MemFreeHost (job_host);
  b->cu->MemFreeHost (payload_host);
}

/* ---- Throughput ---- */

static gdouble
throughput_one (GstRkKernel * k, guint64 n, guint in_flight)
{
  GstBuffer *payload = gst_buffer_new_allocate (NULL, 64, NULL);
  guint64 sent = 0, got = 0, t0 = rk_bench_now_ns ();

  while (got < n) {
    GstRkMessage msg;
    GError *err = NULL;

    while (sent < n && sent - got < in_flight) {
      if (!gst_rk_kernel_send (k, gst_buffer_ref (payload), RK_MSG_DATA, 0,
              GST_RK_WAIT_FOREVER, NULL, NULL))
        exit (1);
      sent++;
    }
    if (gst_rk_kernel_try_receive (k, &msg, &err)) {
      gst_rk_message_clear (&msg);
      got++;
    } else {
      g_clear_error (&err);
    }
  }
  gst_buffer_unref (payload);
  return n / ((rk_bench_now_ns () - t0) / 1e9);
}

static void
bench_throughput (const Options * o, RkJson * j)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *pk = launch_kernel (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT,
      1024);
  GstRkKernel *ek = launch_kernel (rt, "echo",
      GST_RK_KERNEL_MODE_EVENT_DRIVEN, 1024);
  gdouble p = 0, e = 0;

  /* Three rounds each, interleaved; the best of each */
  for (guint r = 0; r < 3; r++) {
    p = MAX (p, throughput_one (pk, o->messages, o->in_flight));
    e = MAX (e, throughput_one (ek, o->messages, o->in_flight));
  }
  g_printerr ("throughput (%u in flight): persistent %.0f msg/s, "
      "event-driven %.0f msg/s\n", o->in_flight, p, e);
  rk_json_key (j, "throughput");
  rk_json_begin_object (j);
  rk_json_int (j, "in_flight", o->in_flight);
  rk_json_int (j, "messages", (gint64) o->messages);
  rk_json_double (j, "persistent_msgs_per_s", p);
  rk_json_double (j, "event_driven_msgs_per_s", e);
  rk_json_double (j, "persistent_over_event_driven", p / e);
  rk_json_end_object (j);
  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (pk);
  gst_object_unref (ek);
  gst_object_unref (rt);
}

/* ---- rkgray ---- */

typedef struct
{
  const gchar *label;
  guint width, height;
} Size;

static GstCaps *
rgba_caps (const Size * s)
{
  return gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "RGBA",
      "width", G_TYPE_INT, s->width, "height", G_TYPE_INT, s->height,
      "framerate", GST_TYPE_FRACTION, 30, 1, NULL);
}

/* Kernel only: frames already on the device, one launch per frame over a
 * full wave of blocks, timed with events. */
static gdouble
gray_kernel_ms (Bare * b, CUfunction gray, const Size * s, guint frames)
{
  gsize in_size = (gsize) s->width * s->height * 4;
  guint out_stride = GST_ROUND_UP_4 (s->width);
  gsize out_size = (gsize) out_stride * s->height;
  CUdeviceptr in, out, job_dev;
  RkCudaJob job = { 0, };
  RkCudaEventArgs args = { 0, };
  CUevent e0, e1;
  gint per_sm = 0;
  gfloat ms = 0;

  CHECK (b->cu->MemAlloc (&in, in_size));
  CHECK (b->cu->MemAlloc (&out, out_size));
  CHECK (b->cu->MemAlloc (&job_dev, sizeof (job)));
  CHECK (b->cu->MemsetD8Async (in, 0x80, in_size, b->stream));
  job.type = RK_MSG_DATA;
  job.in_ptr = in;
  job.out_ptr = out;
  job.in_size = (guint32) in_size;
  job.out_capacity = (guint32) out_size;
  job.params.width = s->width;
  job.params.height = s->height;
  job.params.in_format = RK_FORMAT_RGBA;
  job.params.out_format = RK_FORMAT_GRAY8;
  job.params.in_stride[0] = s->width * 4;
  job.params.out_stride[0] = out_stride;
  job.params.in_size = (guint32) in_size;
  job.params.out_size = (guint32) out_size;
  CHECK (b->cu->MemcpyHtoDAsync (job_dev, &job, sizeof (job), b->stream));
  CHECK (b->cu->StreamSynchronize (b->stream));
  args.jobs = job_dev;
  args.n_jobs = 1;
  CHECK (b->cu->OccupancyMaxActiveBlocksPerMultiprocessor (&per_sm, gray,
          256, 0));

  CHECK (b->cu->EventCreate (&e0, CU_EVENT_DEFAULT));
  CHECK (b->cu->EventCreate (&e1, CU_EVENT_DEFAULT));
  for (guint i = 0; i < 10; i++)
    bare_launch (b, gray, per_sm * b->sm_count, 256, &args);
  CHECK (b->cu->EventRecord (e0, b->stream));
  for (guint i = 0; i < frames; i++)
    bare_launch (b, gray, per_sm * b->sm_count, 256, &args);
  CHECK (b->cu->EventRecord (e1, b->stream));
  CHECK (b->cu->EventSynchronize (e1));
  CHECK (b->cu->EventElapsedTime (&ms, e0, e1));
  b->cu->EventDestroy (e0);
  b->cu->EventDestroy (e1);
  b->cu->MemFree (in);
  b->cu->MemFree (out);
  b->cu->MemFree (job_dev);
  return ms / frames;
}

/* Pinned copy bandwidth, GB/s, each way */
static void
pcie_bandwidth (Bare * b, gsize bytes, gdouble * h2d, gdouble * d2h)
{
  void *host;
  CUdeviceptr dev;
  CUevent e0, e1;
  gfloat ms;

  CHECK (b->cu->MemHostAlloc (&host, bytes, 0));
  CHECK (b->cu->MemAlloc (&dev, bytes));
  CHECK (b->cu->EventCreate (&e0, CU_EVENT_DEFAULT));
  CHECK (b->cu->EventCreate (&e1, CU_EVENT_DEFAULT));
  for (guint dir = 0; dir < 2; dir++) {
    CHECK (b->cu->EventRecord (e0, b->stream));
    for (guint i = 0; i < 10; i++) {
      if (dir == 0)
        CHECK (b->cu->MemcpyHtoDAsync (dev, host, bytes, b->stream));
      else
        CHECK (b->cu->MemcpyDtoHAsync (host, dev, bytes, b->stream));
    }
    CHECK (b->cu->EventRecord (e1, b->stream));
    CHECK (b->cu->EventSynchronize (e1));
    CHECK (b->cu->EventElapsedTime (&ms, e0, e1));
    *(dir == 0 ? h2d : d2h) = 10.0 * bytes / (ms / 1e3) / 1e9;
  }
  b->cu->EventDestroy (e0);
  b->cu->EventDestroy (e1);
  b->cu->MemFree (dev);
  b->cu->MemFreeHost (host);
}

/* End to end through the runtime: frames from host memory, 4 in flight */
static gdouble
gray_runtime_fps (GstRkKernel * k, const Size * s, guint frames)
{
  GstCaps *caps = rgba_caps (s);
  GstBuffer *frame = gst_buffer_new_allocate (NULL,
      (gsize) s->width * s->height * 4, NULL);
  guint64 sent = 0, got = 0, t0 = 0;

  gst_buffer_memset (frame, 0, 0x80, gst_buffer_get_size (frame));
  if (!gst_rk_kernel_set_caps (k, caps, NULL, NULL))
    exit (1);
  gst_caps_unref (caps);
  while (got < frames + 4) {
    GstRkMessage msg;
    GError *err = NULL;

    while (sent < frames + 4 && sent - got < 4) {
      if (!gst_rk_kernel_send (k, gst_buffer_ref (frame), RK_MSG_DATA, 0,
              GST_RK_WAIT_FOREVER, NULL, &err)) {
        g_printerr ("send: %s\n", err->message);
        exit (1);
      }
      sent++;
    }
    if (gst_rk_kernel_receive (k, &msg, g_get_monotonic_time () +
            10 * G_USEC_PER_SEC, &err)) {
      gst_rk_message_clear (&msg);
      if (++got == 4)
        t0 = rk_bench_now_ns ();         /* after a warm-up of 4 */
    } else {
      g_printerr ("receive: %s\n", err->message);
      exit (1);
    }
  }
  gst_buffer_unref (frame);
  return frames / ((rk_bench_now_ns () - t0) / 1e9);
}

/* A pipeline fed by appsrc with one frame over and over: seconds for all */
static gdouble
pipeline_seconds (const gchar * middle, const Size * s, guint frames)
{
  gchar *desc = g_strdup_printf ("appsrc name=src format=time block=true "
      "max-buffers=4 ! %s ! fakesink sync=false", middle);
  GError *err = NULL;
  GstElement *p = gst_parse_launch (desc, &err);
  GstElement *src;
  GstCaps *caps = rgba_caps (s);
  GstBuffer *frame = gst_buffer_new_allocate (NULL,
      (gsize) s->width * s->height * 4, NULL);
  GstMessage *msg;
  guint64 t0;

  g_free (desc);
  if (p == NULL) {
    g_clear_error (&err);
    return -1;
  }
  src = gst_bin_get_by_name (GST_BIN (p), "src");
  g_object_set (src, "caps", caps, NULL);
  gst_caps_unref (caps);
  gst_buffer_memset (frame, 0, 0x80, gst_buffer_get_size (frame));
  if (gst_element_set_state (p, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    gst_object_unref (src);
    gst_object_unref (p);
    gst_buffer_unref (frame);
    return -1;
  }
  t0 = rk_bench_now_ns ();
  for (guint i = 0; i < frames; i++) {
    GstBuffer *buf = gst_buffer_copy (frame);   /* shares the memory */

    GST_BUFFER_PTS (buf) = i * GST_SECOND / 30;
    GST_BUFFER_DURATION (buf) = GST_SECOND / 30;
    if (gst_app_src_push_buffer (GST_APP_SRC (src), buf) != GST_FLOW_OK)
      break;
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (p), 120 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  {
    gboolean ok = msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
    gdouble secs = (rk_bench_now_ns () - t0) / 1e9;

    if (msg)
      gst_message_unref (msg);
    gst_element_set_state (p, GST_STATE_NULL);
    gst_object_unref (src);
    gst_object_unref (p);
    gst_buffer_unref (frame);
    return ok ? secs : -1;
  }
}

static void
bench_gray (const Options * o, Bare * b, RkJson * j)
{
  static const Size sizes[] = { {"1080p", 1920, 1080}, {"4K", 3840, 2160} };
  CUfunction gray = bare_function (b, &gst_rk_cuda_kernel_gray);
  gboolean nvcodec = gst_registry_check_feature_version (gst_registry_get (),
      "cudaconvert", 1, 0, 0);
  gdouble h2d = 0, d2h = 0;

  pcie_bandwidth (b, 64u << 20, &h2d, &d2h);
  g_printerr ("pinned copies: %.1f GB/s host to device, %.1f GB/s back\n",
      h2d, d2h);
  rk_json_key (j, "gray");
  rk_json_begin_object (j);
  rk_json_double (j, "pcie_h2d_gbps", h2d);
  rk_json_double (j, "pcie_d2h_gbps", d2h);
  rk_json_double (j, "memory_peak_gbps", b->peak_gbps);
  rk_json_string (j, "nvcodec", nvcodec ? "cudaupload ! cudaconvert ! "
      "cudadownload" : "not available (no cudaconvert element)");

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++) {
    const Size *s = &sizes[i];
    gsize in_size = (gsize) s->width * s->height * 4;
    gsize out_size = (gsize) GST_ROUND_UP_4 (s->width) * s->height;
    guint frames = s->width > 2000 ? o->frames / 2 : o->frames;
    gdouble ms = gray_kernel_ms (b, gray, s, frames * 4);
    gdouble kernel_gbps = (in_size + out_size) / (ms / 1e3) / 1e9;
    gdouble pcie_fps = 1.0 / (in_size / (h2d * 1e9) + out_size / (d2h * 1e9));
    GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
    GstRkKernel *pk = launch_kernel (rt, "gray",
        GST_RK_KERNEL_MODE_PERSISTENT, 8);
    GstRkKernel *ek = launch_kernel (rt, "gray",
        GST_RK_KERNEL_MODE_EVENT_DRIVEN, 8);
    gdouble pfps = gray_runtime_fps (pk, s, frames);
    gdouble efps = gray_runtime_fps (ek, s, frames);
    gdouble ours, theirs = -1;

    gst_rk_runtime_shutdown (rt, NULL);
    gst_object_unref (pk);
    gst_object_unref (ek);
    gst_object_unref (rt);
    ours = pipeline_seconds ("rkgray backend=cuda", s, frames);
    if (nvcodec)
      theirs = pipeline_seconds ("cudaupload ! cudaconvert ! "
          "video/x-raw(memory:CUDAMemory),format=GRAY8 ! cudadownload", s,
          frames);

    g_printerr ("gray %s: kernel %.3f ms (%.0f GB/s, %.0f%% of %.0f GB/s); "
        "end to end %.1f fps persistent, %.1f fps event-driven (PCIe limit "
        "%.1f fps)\n", s->label, ms, kernel_gbps,
        100 * kernel_gbps / b->peak_gbps, b->peak_gbps, pfps, efps, pcie_fps);
    rk_json_key (j, s->label);
    rk_json_begin_object (j);
    rk_json_int (j, "frames", frames);
    rk_json_int (j, "bytes_in", (gint64) in_size);
    rk_json_int (j, "bytes_out", (gint64) out_size);
    rk_json_double (j, "kernel_ms", ms);
    rk_json_double (j, "kernel_fps", 1e3 / ms);
    rk_json_double (j, "kernel_gbps", kernel_gbps);
    rk_json_double (j, "kernel_fraction_of_memory_peak",
        kernel_gbps / b->peak_gbps);
    rk_json_double (j, "end_to_end_fps_persistent", pfps);
    rk_json_double (j, "end_to_end_fps_event_driven", efps);
    rk_json_double (j, "pcie_limit_fps", pcie_fps);
    rk_json_double (j, "persistent_fraction_of_pcie_limit", pfps / pcie_fps);
    if (ours > 0)
      rk_json_double (j, "pipeline_fps_rkgray", frames / ours);
    if (theirs > 0) {
      rk_json_double (j, "pipeline_fps_nvcodec", frames / theirs);
      rk_json_double (j, "rkgray_over_nvcodec", theirs / ours);
    }
    rk_json_end_object (j);
  }
  rk_json_end_object (j);
}

int
main (int argc, char **argv)
{
  Options o = { NULL, 100000, 300, 256, FALSE, NULL };
  GOptionEntry entries[] = {
    {"messages", 'n', 0, G_OPTION_ARG_INT64, &o.messages,
        "Messages per contender", "N"},
    {"frames", 'f', 0, G_OPTION_ARG_INT64, &o.frames, "Frames at 1080p",
        "N"},
    {"in-flight", 'k', 0, G_OPTION_ARG_INT, &o.in_flight,
        "Messages in flight (throughput)", "K"},
    {"quick", 'q', 0, G_OPTION_ARG_NONE, &o.quick, "Fewer messages", NULL},
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &o.json_path, "JSON file",
        "FILE"},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("roundtrip|throughput|gray|all");
  GError *err = NULL;
  gchar *reason = NULL;
  gboolean all;
  RkJson *j;
  Bare b = { 0, };

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  o.what = argc > 1 ? argv[1] : (gchar *) "all";
  all = g_str_equal (o.what, "all");
  if (!all && !g_str_equal (o.what, "roundtrip") &&
      !g_str_equal (o.what, "throughput") && !g_str_equal (o.what, "gray")) {
    g_printerr ("unknown benchmark %s\n", o.what);
    return 2;
  }
  if (o.quick) {
    o.messages = MIN (o.messages, 10000);
    o.frames = MIN (o.frames, 60);
  }

  gst_rk_init ();
  /* The runtime is linked in (for the bare-driver contenders), so is the
   * plugin: the pipelines use these, not the plugin's shared object. */
  gst_rk_plugin_register_static ();
  if (!gst_rk_runtime_is_backend_available (GST_RK_BACKEND_CUDA, &reason)) {
    g_printerr ("rkbench-cuda: %s\n", reason);
    g_free (reason);
    return 77;
  }
  bare_init (&b);

  j = rk_json_new ();
  rk_json_begin_object (j);
  rk_json_machine (j);
  rk_json_string (j, "backend", "cuda");
  rk_json_string (j, "device", b.name);
  rk_json_int (j, "compute_capability", b.cc);
  rk_json_int (j, "sm_count", b.sm_count);
  {
    gint v = 0;

    b.cu->DriverGetVersion (&v);
    rk_json_int (j, "driver_version", v);
  }
  if (all || g_str_equal (o.what, "roundtrip"))
    bench_roundtrip (&o, &b, j);
  if (all || g_str_equal (o.what, "throughput"))
    bench_throughput (&o, j);
  if (all || g_str_equal (o.what, "gray"))
    bench_gray (&o, &b, j);
  rk_json_end_object (j);
  if (!rk_json_write (j, o.json_path))
    return 1;
  rk_json_free (j);
  return 0;
}
