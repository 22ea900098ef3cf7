/* The CUDA backend through the C API, on the fake device (rkfakecuda.c):
 * the host-side protocol of persistent kernels (staging, arena slots,
 * commands, flush, counters, watchdog, bounded terminate), event-driven
 * launches, launch checks, and outputs equal to the CPU backend's. */
#include <string.h>

#include <gst/video/video.h>

#include "rktest.h"
#include "rkfakecuda.h"
#include "gstrkcudaops.h"
#include "gstrkcudaprotocol.h"

#define SECOND (G_USEC_PER_SEC)

static const GstRkKernelMode modes[] = {
  GST_RK_KERNEL_MODE_PERSISTENT, GST_RK_KERNEL_MODE_EVENT_DRIVEN
};

static GstRkKernel *
launch_full (GstRkRuntime * rt, const gchar * kernel, GstRkBackendKind backend,
    GstRkKernelMode mode, guint32 capacity, guint grid, GError ** error)
{
  GstRkLaunchOptions o;

  gst_rk_launch_options_init (&o);
  o.mode = mode;
  o.input_queue_capacity = o.output_queue_capacity = capacity;
  o.grid_size = grid;
  o.auto_activate = TRUE;
  return gst_rk_runtime_launch (rt, kernel, NULL, backend, -1, &o, NULL,
      error);
}

static GstRkKernel *
launch (GstRkRuntime * rt, const gchar * kernel, GstRkKernelMode mode,
    guint32 capacity)
{
  GError *err = NULL;
  GstRkKernel *k = launch_full (rt, kernel, GST_RK_BACKEND_CUDA, mode,
      capacity, 0, &err);

  g_assert_no_error (err);
  g_assert_cmpint (gst_rk_kernel_get_backend (k), ==, GST_RK_BACKEND_CUDA);
  g_assert_cmpint (gst_rk_kernel_get_mode (k), ==, mode);
  return k;
}

static void
send_buf (GstRkKernel * k, GstBuffer * buf, guint32 type)
{
  GError *err = NULL;

  g_assert_true (gst_rk_kernel_send (k, buf, type, 0, GST_RK_WAIT_FOREVER,
          NULL, &err));
  g_assert_no_error (err);
}

static GstRkMessage
receive (GstRkKernel * k)
{
  GstRkMessage msg;
  GError *err = NULL;

  g_assert_true (gst_rk_kernel_receive (k, &msg,
          g_get_monotonic_time () + 5 * SECOND, &err));
  g_assert_no_error (err);
  return msg;
}

/* Terminates, drops the runtime and checks that the device memory went. */
static void
finish (GstRkRuntime * rt, GstRkKernel * k)
{
  GstRkRuntimeMetrics m;

  if (k) {
    g_assert_true (gst_rk_kernel_terminate (k, NULL));
    gst_object_unref (k);
  }
  gst_rk_runtime_get_metrics (rt, &m);
  g_assert_cmpuint (m.gpu_memory_used, ==, 0);
  g_assert_cmpuint (m.host_memory_used, ==, 0);
  gst_object_unref (rt);
  g_assert_cmpuint (rk_fake_cuda_running_kernels (), ==, 0);
  g_assert_cmpuint (rk_fake_cuda_live_allocations (), ==, 0);
}

/* ---- Probe ---- */

static void
test_probe (void)
{
  gchar *note = NULL;

  g_assert_true (gst_rk_runtime_is_backend_available (GST_RK_BACKEND_CUDA,
          NULL));
  g_assert_cmpint (gst_rk_runtime_select_backend (GST_RK_BACKEND_AUTO,
          &note), ==, GST_RK_BACKEND_CUDA);
  g_assert_cmpstr (note, ==, "backend=auto chose CUDA");
  g_free (note);
}

/* ---- Echo: order, sizes inline and through the arena, counters ---- */

static gsize
echo_size (guint64 i)
{
  if (i % 11 == 0)
    return 0;
  if (i % 7 == 0)
    return 1000 + i % 3000;     /* through the arena */
  return 8 + i % 185;           /* inline: up to 192 bytes */
}

static void
test_echo_in_order (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "echo", mode, 16);
  const guint64 n = 3000;
  guint64 sent = 0, got = 0;
  GstStructure *s;

  while (got < n) {
    GstRkMessage msg;

    while (sent < n && sent - got < 20) {
      send_buf (k, echo_size (sent) ? rk_test_make_buffer (sent,
              echo_size (sent)) : gst_buffer_new (), RK_MSG_DATA);
      sent++;
    }
    msg = receive (k);
    g_assert_cmpuint (msg.env.type, ==, RK_MSG_DATA);
    g_assert_cmpuint (msg.env.message_id, ==, got + 1);
    g_assert_cmpuint (msg.env.source, ==, gst_rk_kernel_get_id (k));
    if (echo_size (got) == 0) {
      /* An empty buffer goes inline with no bytes; like the CPU backend,
       * the kernel sees no payload and gives none back. */
      g_assert_null (msg.payload);
    } else {
      GstBuffer *want = rk_test_make_buffer (got, echo_size (got));
      GstMapInfo a, b;

      g_assert_nonnull (msg.payload);
      gst_buffer_map (msg.payload, &a, GST_MAP_READ);
      gst_buffer_map (want, &b, GST_MAP_READ);
      g_assert_cmpmem (a.data, a.size, b.data, b.size);
      gst_buffer_unmap (msg.payload, &a);
      gst_buffer_unmap (want, &b);
      g_assert_cmpuint (GST_BUFFER_PTS (msg.payload), ==, got * GST_MSECOND);
      g_assert_nonnull (gst_buffer_get_rk_hlc_meta (msg.payload));
      gst_buffer_unref (want);
    }
    gst_rk_message_clear (&msg);
    got++;
  }

  s = gst_rk_kernel_get_stats (k);
  g_assert_cmpstr (gst_structure_get_string (s, "backend"), ==, "cuda");
  g_assert_cmpstr (gst_structure_get_string (s, "device"), ==,
      RK_FAKE_CUDA_DEVICE_NAME);
  g_assert_cmpstr (gst_structure_get_string (s, "mode"), ==,
      gst_rk_kernel_mode_get_name (mode));
  gst_structure_free (s);
  g_assert_cmpuint (rk_test_kernel_stat (k, "received"), ==, n);
  g_assert_cmpuint (rk_test_kernel_stat_settled (k, "processed", n), ==, n);
  g_assert_cmpuint (rk_test_kernel_stat (k, "emitted"), ==, n);
  g_assert_cmpuint (rk_test_kernel_stat (k, "flushed"), ==, 0);
  g_assert_cmpuint (rk_test_kernel_stat (k, "dropped"), ==, 0);
  finish (rt, k);
}

static void
test_request_reply (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "echo", mode, 8);
  GstRkMessage msg;

  g_assert_true (gst_rk_kernel_send (k, rk_test_make_buffer (7, 8),
          RK_MSG_REQUEST, 0xABCDEF, GST_RK_WAIT_FOREVER, NULL, NULL));
  msg = receive (k);
  g_assert_cmpuint (msg.env.type, ==, RK_MSG_REPLY);
  g_assert_cmpuint (msg.env.correlation_id, ==, 0xABCDEF);
  g_assert_cmpuint (rk_test_read_u64 (msg.payload), ==, 7);
  gst_rk_message_clear (&msg);
  finish (rt, k);
}

/* ---- Device state across deactivation, flush, reset ---- */

static void
receive_count (GstRkKernel * k, guint64 id, guint64 count)
{
  GstRkMessage msg = receive (k);

  g_assert_cmpuint (msg.env.message_id, ==, id);
  g_assert_cmpuint (rk_test_read_u64 (msg.payload), ==, count);
  g_assert_cmpuint (GST_BUFFER_PTS (msg.payload), ==, id * GST_MSECOND);
  gst_rk_message_clear (&msg);
}

static void
test_state_and_flush (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "counter", mode, 16);
  GstRkMessage msg;
  GError *err = NULL;

  for (guint i = 1; i <= 3; i++) {
    send_buf (k, rk_test_make_buffer (i, 64), RK_MSG_DATA);
    receive_count (k, i, i);
  }
  g_assert_true (gst_rk_kernel_deactivate (k, NULL));

  /* Queued while deactivated: nothing comes out... */
  send_buf (k, rk_test_make_buffer (4, 64), RK_MSG_DATA);
  g_assert_false (gst_rk_kernel_receive (k, &msg,
          g_get_monotonic_time () + 50000, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
  g_clear_error (&err);
  /* ... until activated, and the count goes on: state kept */
  g_assert_true (gst_rk_kernel_activate (k, NULL));
  receive_count (k, 4, 4);

  /* Flush while deactivated: the queue goes, the state stays */
  g_assert_true (gst_rk_kernel_deactivate (k, NULL));
  for (guint i = 5; i <= 14; i++)
    send_buf (k, rk_test_make_buffer (i, 64), RK_MSG_DATA);
  g_assert_true (gst_rk_kernel_flush (k, NULL));
  g_assert_cmpuint (rk_test_kernel_stat (k, "flushed"), ==, 10);
  g_assert_cmpuint (rk_test_kernel_stat (k, "processed"), ==, 4);
  g_assert_true (gst_rk_kernel_activate (k, NULL));
  send_buf (k, rk_test_make_buffer (15, 64), RK_MSG_DATA);
  receive_count (k, 15, 5);

  /* A reset, in order with the data */
  g_assert_true (gst_rk_kernel_send_control (k, RK_CONTROL_RESET_STATE,
          NULL));
  send_buf (k, rk_test_make_buffer (17, 64), RK_MSG_DATA);
  receive_count (k, 17, 1);
  g_assert_cmpuint (rk_test_kernel_stat_settled (k, "processed", 7), ==, 7);
  finish (rt, k);
}

/* ---- rkgray equal to the CPU backend ---- */

static GstCaps *
video_caps (const gchar * format, guint w, guint h)
{
  return gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, format,
      "width", G_TYPE_INT, w, "height", G_TYPE_INT, h, "framerate",
      GST_TYPE_FRACTION, 30, 1, NULL);
}

static GstBuffer *
random_frame (gsize size, guint seed)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);
  GstMapInfo map;
  GRand *r = g_rand_new_with_seed (seed);

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (gsize i = 0; i < size; i++)
    map.data[i] = (guint8) g_rand_int (r);
  gst_buffer_unmap (buf, &map);
  g_rand_free (r);
  GST_BUFFER_PTS (buf) = seed * GST_MSECOND;
  return buf;
}

static gsize
frame_size (const gchar * format, guint w, guint h)
{
  GstVideoInfo vi;
  GstCaps *caps = video_caps (format, w, h);

  g_assert_true (gst_video_info_from_caps (&vi, caps));
  gst_caps_unref (caps);
  return GST_VIDEO_INFO_SIZE (&vi);
}

static void
set_caps (GstRkKernel * k, const gchar * format, guint w, guint h)
{
  GstCaps *caps = video_caps (format, w, h);
  GError *err = NULL;

  g_assert_true (gst_rk_kernel_set_caps (k, caps, NULL, &err));
  g_assert_no_error (err);
  gst_caps_unref (caps);
}

/* Sends @n frames of one format to both kernels and compares. */
static void
compare_gray (GstRkKernel * cuda, GstRkKernel * cpu, const gchar * format,
    guint w, guint h, guint n)
{
  gsize size = frame_size (format, w, h);

  set_caps (cuda, format, w, h);
  set_caps (cpu, format, w, h);
  for (guint i = 0; i < n; i++) {
    GstBuffer *frame = random_frame (size, w * 1000 + h + i);
    GstRkMessage a, b;
    GstMapInfo ma, mb;

    /* a deep copy: two kernels on two threads sharing one GstMemory would
     * free it after a GStreamer refcount that TSan cannot see */
    send_buf (cpu, gst_buffer_copy_deep (frame), RK_MSG_DATA);
    send_buf (cuda, frame, RK_MSG_DATA);
    a = receive (cuda);
    b = receive (cpu);
    gst_buffer_map (a.payload, &ma, GST_MAP_READ);
    gst_buffer_map (b.payload, &mb, GST_MAP_READ);
    g_assert_cmpmem (ma.data, ma.size, mb.data, mb.size);
    gst_buffer_unmap (a.payload, &ma);
    gst_buffer_unmap (b.payload, &mb);
    g_assert_cmpuint (GST_BUFFER_PTS (a.payload), ==,
        GST_BUFFER_PTS (b.payload));
    gst_rk_message_clear (&a);
    gst_rk_message_clear (&b);
  }
}

static void
test_gray_matches_cpu (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  static const gchar *formats[] = { "RGBA", "BGRA", "RGBx", "BGRx", "NV12",
    "I420"
  };
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *cuda = launch (rt, "gray", mode, 8);
  GstRkKernel *cpu = launch_full (rt, "gray", GST_RK_BACKEND_CPU, mode, 8, 0,
      NULL);

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++) {
    compare_gray (cuda, cpu, formats[f], 1, 1, 2);      /* inline output */
    compare_gray (cuda, cpu, formats[f], 33, 17, 3);
    compare_gray (cuda, cpu, formats[f], 320, 240, 6);  /* arena slots reused */
    compare_gray (cuda, cpu, formats[f], 64, 48, 2);
  }
  g_assert_true (gst_rk_kernel_terminate (cpu, NULL));
  gst_object_unref (cpu);
  finish (rt, cuda);
}

/* ---- Frames in flight: arena slots are waited for, not overrun ---- */

static void
test_frames_in_flight (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *cuda = launch (rt, "gray", GST_RK_KERNEL_MODE_PERSISTENT, 16);
  GstRkKernel *cpu = launch_full (rt, "gray", GST_RK_BACKEND_CPU,
      GST_RK_KERNEL_MODE_PERSISTENT, 16, 0, NULL);
  gsize size = frame_size ("RGBA", 160, 120);
  GstStructure *s;
  guint frames = 0;
  gint64 deadline;

  s = gst_rk_kernel_get_stats (cuda);
  g_assert_true (gst_structure_get_uint (s, "frames-in-flight", &frames));
  g_assert_cmpuint (frames, ==, 4);
  gst_structure_free (s);

  set_caps (cuda, "RGBA", 160, 120);
  set_caps (cpu, "RGBA", 160, 120);
  /* Nobody reads: the device fills its four output slots and stops; the
   * inputs behind wait in the queue, staged when a slot frees. */
  for (guint i = 0; i < 12; i++)
    send_buf (cuda, random_frame (size, i), RK_MSG_DATA);
  deadline = g_get_monotonic_time () + 5 * SECOND;
  while (rk_test_kernel_stat (cuda, "processed") < 4 &&
      g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_usleep (50000);
  g_assert_cmpuint (rk_test_kernel_stat (cuda, "processed"), ==, 4);

  for (guint i = 0; i < 12; i++) {
    GstRkMessage a, b;
    GstMapInfo ma, mb;

    send_buf (cpu, random_frame (size, i), RK_MSG_DATA);
    a = receive (cuda);
    b = receive (cpu);
    g_assert_cmpuint (a.env.message_id, ==, i + 1);
    gst_buffer_map (a.payload, &ma, GST_MAP_READ);
    gst_buffer_map (b.payload, &mb, GST_MAP_READ);
    g_assert_cmpmem (ma.data, ma.size, mb.data, mb.size);
    gst_buffer_unmap (a.payload, &ma);
    gst_buffer_unmap (b.payload, &mb);
    gst_rk_message_clear (&a);
    gst_rk_message_clear (&b);
  }
  g_assert_cmpuint (rk_test_kernel_stat_settled (cuda, "processed", 12), ==,
      12);
  g_assert_true (gst_rk_kernel_terminate (cpu, NULL));
  gst_object_unref (cpu);
  finish (rt, cuda);
}

/* ---- Bad input: the CPU reference's errors ---- */

static void
test_bad_input (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "gray", mode, 8);
  GstRkMessage msg;
  GError *err = NULL;

  set_caps (k, "RGBA", 8, 8);
  send_buf (k, random_frame (10, 1), RK_MSG_DATA);
  g_assert_false (gst_rk_kernel_receive (k, &msg,
          g_get_monotonic_time () + 5 * SECOND, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_MALFORMED);
  g_assert_cmpstr (err->message, ==, "buffer of 10 bytes is smaller than a "
      "8x8 RGBA frame (256 bytes)");
  g_clear_error (&err);
  g_assert_false (gst_rk_kernel_check (k, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_MALFORMED);
  g_clear_error (&err);
  finish (rt, k);

  rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  k = launch (rt, "gray", mode, 8);
  send_buf (k, random_frame (256, 1), RK_MSG_DATA);
  g_assert_false (gst_rk_kernel_receive (k, &msg,
          g_get_monotonic_time () + 5 * SECOND, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED);
  g_assert_cmpstr (err->message, ==,
      "rkgray received a buffer before its caps were negotiated");
  g_clear_error (&err);
  finish (rt, k);
}

/* ---- Backpressure ---- */

static void
test_backpressure (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 4);
  GError *err = NULL;
  gint64 start;

  g_assert_true (gst_rk_kernel_deactivate (k, NULL));
  for (guint i = 0; i < 4; i++)
    send_buf (k, rk_test_make_buffer (i, 4000), RK_MSG_DATA);
  start = g_get_monotonic_time ();
  g_assert_false (gst_rk_kernel_send (k, rk_test_make_buffer (9, 8),
          RK_MSG_DATA, 0, start + 30000, NULL, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 30000);
  g_clear_error (&err);

  rk_test_assert_flushing_unblocks_send (k, 4000);

  gst_rk_kernel_set_flushing (k, FALSE);
  g_assert_true (gst_rk_kernel_activate (k, NULL));
  for (guint i = 0; i < 4; i++) {
    GstRkMessage msg = receive (k);
    g_assert_cmpuint (rk_test_read_u64 (msg.payload), ==, i);
    g_assert_cmpuint (gst_buffer_get_size (msg.payload), ==, 4000);
    gst_rk_message_clear (&msg);
  }
  finish (rt, k);
}

/* ---- Terminate with work in flight and nobody reading ---- */

static void
test_terminate_busy (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "echo", mode, 8);
  gint64 start;

  for (guint i = 0; i < 16; i++)
    send_buf (k, rk_test_make_buffer (i, i % 2 ? 64 : 3000), RK_MSG_DATA);
  start = g_get_monotonic_time ();
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * SECOND);
  gst_object_unref (k);
  finish (rt, NULL);
}

/* ---- Faults ---- */

static void
wait_error (GstRkKernel * k, gint code, const gchar * message,
    gint64 bound_us)
{
  gint64 start = g_get_monotonic_time ();
  GError *err = NULL;

  while (gst_rk_kernel_check (k, &err)) {
    g_assert_cmpint (g_get_monotonic_time () - start, <, bound_us);
    g_usleep (10000);
  }
  g_assert_error (err, GST_RK_ERROR, code);
  g_assert_cmpstr (err->message, ==, message);
  g_clear_error (&err);
}

static void
wait_failed (GstRkKernel * k, const gchar * message, gint64 bound_us)
{
  wait_error (k, GST_RK_ERROR_DEVICE, message, bound_us);
}

/* The heartbeat stops: an error within the watchdog's bound; terminate
 * still works and frees everything. */
static void
test_watchdog (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 8);
  GstRkMessage msg;
  GError *err = NULL;

  send_buf (k, rk_test_make_buffer (1, 8), RK_MSG_DATA);
  msg = receive (k);
  gst_rk_message_clear (&msg);

  rk_fake_cuda_set_fault (RK_FAKE_CUDA_FAULT_STALL);
  wait_failed (k, "CUDA kernel echo-1 stopped responding: no heartbeat for "
      "1000 ms", 3 * SECOND);
  /* Host waits return the error too */
  g_assert_false (gst_rk_kernel_receive (k, &msg, GST_RK_WAIT_FOREVER, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_DEVICE);
  g_clear_error (&err);
  g_assert_false (gst_rk_kernel_send (k, NULL, RK_MSG_DATA, 0,
          GST_RK_WAIT_FOREVER, NULL, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_DEVICE);
  g_clear_error (&err);

  finish (rt, k);
  rk_fake_cuda_set_fault (RK_FAKE_CUDA_FAULT_NONE);
}

static void
test_trap (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 8);

  rk_fake_cuda_set_fault (RK_FAKE_CUDA_FAULT_TRAP);
  wait_failed (k, "CUDA kernel echo-1 failed: cuStreamQuery failed: "
      "CUDA_ERROR_ILLEGAL_ADDRESS (700)", 2 * SECOND);
  rk_fake_cuda_set_fault (RK_FAKE_CUDA_FAULT_NONE);
  finish (rt, k);
}

/* A kernel that ignores terminate: terminate still returns in bounded
 * time, says so, and leaves the memory the kernel may write to alone
 * (the context frees it when the device closes). */
static void
test_hang (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 8);
  GstRkRuntimeMetrics m;
  GError *err = NULL;
  gint64 start;

  rk_fake_cuda_set_fault (RK_FAKE_CUDA_FAULT_HANG);
  start = g_get_monotonic_time ();
  g_assert_false (gst_rk_kernel_terminate (k, &err));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * SECOND);
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
  g_assert_cmpstr (err->message, ==, "CUDA kernel echo-1 did not stop within "
      "2000 ms; its device memory stays allocated");
  g_clear_error (&err);
  g_assert_cmpint (gst_rk_kernel_get_state (k), ==,
      GST_RK_KERNEL_STATE_TERMINATED);
  gst_rk_runtime_get_metrics (rt, &m);
  g_assert_cmpuint (m.host_memory_used, >, 0);
  g_assert_cmpuint (m.gpu_memory_used, >, 0);
  gst_object_unref (k);

  rk_fake_cuda_set_fault (RK_FAKE_CUDA_FAULT_NONE);
  gst_object_unref (rt);
  g_assert_cmpuint (rk_fake_cuda_running_kernels (), ==, 0);
  g_assert_cmpuint (rk_fake_cuda_live_allocations (), ==, 0);
}

/* Stream work that never finishes (queued behind a kernel that never
 * ends): the copy of an input gives up at the deadline with an error
 * instead of hanging the sender, and the kernel can still terminate. */
static void
test_stream_deadline (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "gray", GST_RK_KERNEL_MODE_PERSISTENT, 8);
  gsize size = frame_size ("RGBA", 160, 120);
  GstRkMessage msg;

  set_caps (k, "RGBA", 160, 120);
  send_buf (k, random_frame (size, 0), RK_MSG_DATA);
  msg = receive (k);
  gst_rk_message_clear (&msg);

  gst_rk_cuda_set_sync_timeout (500);
  rk_fake_cuda_hang_streams (TRUE);
  send_buf (k, random_frame (size, 1), RK_MSG_DATA);
  wait_error (k, GST_RK_ERROR_TIMEOUT, "CUDA kernel gray-1: CUDA stream did "
      "not finish within 0.5 s", 10 * SECOND);
  rk_fake_cuda_hang_streams (FALSE);
  gst_rk_cuda_set_sync_timeout (0);
  finish (rt, k);
}

typedef struct
{
  GstRkKernel *kernel;
  gint done;
} Receiver;

static gpointer
receiver_main (gpointer data)
{
  Receiver *r = data;
  GstRkMessage msg;

  if (gst_rk_kernel_receive (r->kernel, &msg, g_get_monotonic_time () +
          60 * SECOND, NULL))
    gst_rk_message_clear (&msg);
  g_atomic_int_set (&r->done, 1);
  return NULL;
}

/* A copy of an output waits for a stream that does not finish while the
 * kernel stops beating: the poller's watchdog still reports the kernel
 * while the copy waits (it holds no lock the poller needs). The output
 * waited for lies in output slots replaced by bigger ones, which the
 * poller looks after. The test sees the error without polling the backend
 * itself: a sender blocked on the full input queue wakes with it. */
static void
test_watchdog_during_copy (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "gray", GST_RK_KERNEL_MODE_PERSISTENT, 8);
  Receiver r = { k, 0 };
  GError *err = NULL;
  GThread *thread;
  gint64 deadline;

  set_caps (k, "RGBA", 80, 60);
  send_buf (k, random_frame (frame_size ("RGBA", 80, 60), 0), RK_MSG_DATA);
  set_caps (k, "RGBA", 160, 120);
  send_buf (k, random_frame (frame_size ("RGBA", 160, 120), 1), RK_MSG_DATA);
  g_assert_cmpuint (rk_test_kernel_stat_settled (k, "processed", 2), ==, 2);

  gst_rk_cuda_set_sync_timeout (60 * 1000);
  rk_fake_cuda_hang_streams (TRUE);
  rk_fake_cuda_set_fault (RK_FAKE_CUDA_FAULT_STALL);
  thread = g_thread_new ("receiver", receiver_main, &r);
  deadline = g_get_monotonic_time () + 20 * SECOND;
  while (gst_rk_kernel_send (k, NULL, RK_MSG_CONTROL, 0, deadline, NULL,
          &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_DEVICE);
  g_assert_cmpstr (err->message, ==, "CUDA kernel gray-1 stopped responding: "
      "no heartbeat for 1000 ms");
  g_clear_error (&err);
  g_assert_false (g_atomic_int_get (&r.done));

  rk_fake_cuda_hang_streams (FALSE);
  g_thread_join (thread);
  gst_rk_cuda_set_sync_timeout (0);
  finish (rt, k);
  rk_fake_cuda_set_fault (RK_FAKE_CUDA_FAULT_NONE);
}

/* A job longer than the watchdog's period whose steps are shorter is no
 * hang (the heartbeat beats between steps: blur has two); a step longer
 * than the period still reads as one. */
static void
test_long_job (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "blur", GST_RK_KERNEL_MODE_PERSISTENT, 8);
  gsize size = frame_size ("RGBA", 32, 24);
  GstRkMessage msg;

  set_caps (k, "RGBA", 32, 24);
  rk_fake_cuda_set_step_time (600);
  send_buf (k, random_frame (size, 0), RK_MSG_DATA);
  msg = receive (k);
  g_assert_cmpuint (msg.env.message_id, ==, 1);
  gst_rk_message_clear (&msg);
  g_assert_true (gst_rk_kernel_check (k, NULL));

  rk_fake_cuda_set_step_time (2500);
  send_buf (k, random_frame (size, 1), RK_MSG_DATA);
  wait_failed (k, "CUDA kernel blur-1 stopped responding: no heartbeat for "
      "1000 ms", 10 * SECOND);
  rk_fake_cuda_set_step_time (0);
  /* The slow step ends: the kernel can stop */
  g_assert_cmpuint (rk_test_kernel_stat_settled (k, "processed", 2), ==, 2);
  finish (rt, k);
}

/* A grid with a block that never starts (its SM held elsewhere): block 0
 * pauses, but the launch fails with the count instead of reporting a
 * kernel that would hang on its first message; what it held is freed. */
static void
test_absent_block (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GError *err = NULL;
  GstRkKernel *k;
  GstRkMessage msg;

  rk_fake_cuda_set_absent_blocks (1);
  g_assert_null (launch_full (rt, "echo", GST_RK_BACKEND_CUDA,
          GST_RK_KERNEL_MODE_PERSISTENT, 8, 2, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
  g_assert_cmpstr (err->message, ==, "CUDA kernel echo-1 did not start: "
      "only 1 of its 2 blocks started within 5000 ms (the others are not "
      "resident)");
  g_clear_error (&err);
  rk_fake_cuda_set_absent_blocks (0);
  g_assert_cmpuint (rk_fake_cuda_running_kernels (), ==, 0);
  g_assert_cmpuint (rk_fake_cuda_resident_blocks (), ==, 0);

  k = launch_full (rt, "echo", GST_RK_BACKEND_CUDA,
      GST_RK_KERNEL_MODE_PERSISTENT, 8, 2, &err);
  g_assert_no_error (err);
  send_buf (k, rk_test_make_buffer (1, 8), RK_MSG_DATA);
  msg = receive (k);
  gst_rk_message_clear (&msg);
  finish (rt, k);
}

/* Block 0 reports EXITED before the grid's final barrier: terminate
 * frees the kernel's memory only once its stream is idle (the fake device
 * fails a free of the stream of a kernel still running). A grid that does
 * not end in time (its other blocks stuck) keeps its memory, even when
 * stream waits give up sooner. */
static void
test_exit_confirmed (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 8);
  GstRkRuntimeMetrics m;
  GError *err = NULL;
  GstRkMessage msg;

  send_buf (k, rk_test_make_buffer (1, 8), RK_MSG_DATA);
  msg = receive (k);
  gst_rk_message_clear (&msg);
  rk_fake_cuda_set_exit_time (300);
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  gst_object_unref (k);

  k = launch (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 8);
  gst_rk_cuda_set_sync_timeout (500);
  rk_fake_cuda_set_exit_time (4000);
  g_assert_false (gst_rk_kernel_terminate (k, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
  g_assert_cmpstr (err->message, ==, "CUDA kernel echo-2 did not stop within "
      "2000 ms; its device memory stays allocated");
  g_clear_error (&err);
  gst_rk_runtime_get_metrics (rt, &m);
  g_assert_cmpuint (m.gpu_memory_used, >, 0);
  gst_object_unref (k);
  gst_rk_cuda_set_sync_timeout (0);
  rk_fake_cuda_set_exit_time (0);

  gst_object_unref (rt);
  g_assert_cmpuint (rk_fake_cuda_running_kernels (), ==, 0);
  g_assert_cmpuint (rk_fake_cuda_live_allocations (), ==, 0);
}

static void
test_launch_failure (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k;
  GError *err = NULL;

  rk_fake_cuda_set_fault (RK_FAKE_CUDA_FAULT_LAUNCH);
  g_assert_null (launch_full (rt, "echo", GST_RK_BACKEND_CUDA,
          GST_RK_KERNEL_MODE_PERSISTENT, 8, 0, &err));
  g_assert_cmpstr (err->message, ==, "cannot launch CUDA kernel echo-1: "
      "cuLaunchCooperativeKernel failed: CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES "
      "(701)");
  g_clear_error (&err);

  /* Event-driven: the launch of the first message fails, mid-stream */
  k = launch (rt, "echo", GST_RK_KERNEL_MODE_EVENT_DRIVEN, 8);
  send_buf (k, rk_test_make_buffer (1, 8), RK_MSG_DATA);
  wait_failed (k, "CUDA kernel echo-2: cuLaunchKernel failed: "
      "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES (701)", 2 * SECOND);
  rk_fake_cuda_set_fault (RK_FAKE_CUDA_FAULT_NONE);
  finish (rt, k);
}

/* ---- Grids: every block of a persistent kernel must stay resident ---- */

static void
test_grid_checks (void)
{
  GstRkRuntime *rt;
  GstRkKernel *a, *b, *c;
  GError *err = NULL;
  guint grid = 0;
  GstStructure *s;

  rk_fake_cuda_configure (4, 2);  /* 8 blocks fit */
  rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  g_assert_null (launch_full (rt, "echo", GST_RK_BACKEND_CUDA,
          GST_RK_KERNEL_MODE_PERSISTENT, 8, 9, &err));
  g_assert_cmpstr (err->message, ==, "grid-size 9 is too large for a "
      "persistent kernel on " RK_FAKE_CUDA_DEVICE_NAME ": 8 blocks of 256 "
      "threads fit at once (4 SMs) and running persistent kernels hold 0 of "
      "them; every block must stay resident (use a smaller grid-size or "
      "mode=event-driven)");
  g_clear_error (&err);

  /* A frame kernel takes what is free by default, less an SM of headroom */
  b = launch_full (rt, "gray", GST_RK_BACKEND_CUDA,
      GST_RK_KERNEL_MODE_PERSISTENT, 8, 0, &err);
  g_assert_no_error (err);
  s = gst_rk_kernel_get_stats (b);
  g_assert_true (gst_structure_get_uint (s, "grid-size", &grid));
  g_assert_cmpuint (grid, ==, 6);
  gst_structure_free (s);
  g_assert_true (gst_rk_kernel_terminate (b, NULL));
  gst_object_unref (b);

  a = launch_full (rt, "echo", GST_RK_BACKEND_CUDA,
      GST_RK_KERNEL_MODE_PERSISTENT, 8, 6, &err);
  g_assert_no_error (err);
  g_assert_null (launch_full (rt, "counter", GST_RK_BACKEND_CUDA,
          GST_RK_KERNEL_MODE_PERSISTENT, 8, 3, &err));
  g_assert_nonnull (strstr (err->message, "hold 6 of them"));
  g_clear_error (&err);

  /* ... and at least one block */
  b = launch_full (rt, "gray", GST_RK_BACKEND_CUDA,
      GST_RK_KERNEL_MODE_PERSISTENT, 8, 0, &err);
  g_assert_no_error (err);
  s = gst_rk_kernel_get_stats (b);
  g_assert_true (gst_structure_get_uint (s, "grid-size", &grid));
  g_assert_cmpuint (grid, ==, 1);
  gst_structure_free (s);

  /* Event-driven launches need not be resident */
  c = launch_full (rt, "echo", GST_RK_BACKEND_CUDA,
      GST_RK_KERNEL_MODE_EVENT_DRIVEN, 8, 64, &err);
  g_assert_no_error (err);

  /* Terminating frees the blocks */
  g_assert_true (gst_rk_kernel_terminate (a, NULL));
  g_assert_true (gst_rk_kernel_terminate (b, NULL));
  gst_object_unref (a);
  gst_object_unref (b);
  a = launch_full (rt, "echo", GST_RK_BACKEND_CUDA,
      GST_RK_KERNEL_MODE_PERSISTENT, 8, 8, &err);
  g_assert_no_error (err);
  g_assert_true (gst_rk_kernel_terminate (c, NULL));
  gst_object_unref (c);
  finish (rt, a);
  rk_fake_cuda_configure (4, 2);
}

static void
test_device_id (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GError *err = NULL;

  g_assert_null (gst_rk_runtime_launch (rt, "echo", NULL,
          GST_RK_BACKEND_CUDA, 3, NULL, NULL, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE);
  g_assert_cmpstr (err->message, ==, "no usable CUDA device 3 (3 found)");
  g_clear_error (&err);
  finish (rt, NULL);
}

/* ---- Beside a persistent kernel: nothing may wait for the context ---- */

static GstRkKernel *
launch_on (GstRkRuntime * rt, const gchar * kernel, GstRkKernelMode mode,
    gint device_id, guint grid, GError ** error)
{
  GstRkLaunchOptions o;

  gst_rk_launch_options_init (&o);
  o.mode = mode;
  o.input_queue_capacity = o.output_queue_capacity = 8;
  o.grid_size = grid;
  o.auto_activate = TRUE;
  return gst_rk_runtime_launch (rt, kernel, NULL, GST_RK_BACKEND_CUDA,
      device_id, &o, NULL, error);
}

static void
echo_once (GstRkKernel * k, guint64 seed, gsize size)
{
  GstBuffer *want = rk_test_make_buffer (seed, size);
  GstRkMessage msg;
  GstMapInfo map;

  send_buf (k, gst_buffer_ref (want), RK_MSG_DATA);
  msg = receive (k);
  gst_buffer_map (want, &map, GST_MAP_READ);
  g_assert_cmpuint (gst_buffer_get_size (msg.payload), ==, size);
  g_assert_cmpint (gst_buffer_memcmp (msg.payload, 0, map.data, size), ==, 0);
  gst_buffer_unmap (want, &map);
  gst_buffer_unref (want);
  gst_rk_message_clear (&msg);
}

/* The fake device's tripwires: while a persistent kernel is resident,
 * pinned allocation and free, module loads and cuMemAlloc/cuMemFree fail
 * with the reason and are counted; and a cooperative grid that cannot be
 * resident beside the running ones is refused at launch. */
static void
test_tripwires (void)
{
  const GstRkCudaOps *ops = gst_rk_cuda_get_ops ();
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkCudaDeviceProps props = { 0 };
  GstRkCudaContext *ctx;
  GstRkCudaStream *stream;
  GstRkCudaFunction *f;
  RkCudaPersistentArgs args = { 0 };
  GstRkKernel *k;
  GError *err = NULL;
  gpointer host = NULL, early = NULL;
  guint64 dev = 0;
  gchar *text;

  ctx = ops->open (0, &props, &err);
  g_assert_no_error (err);
  g_free (props.name);
  g_assert_true (ops->host_alloc (ctx, 64, &early, &dev, &err));
  g_assert_no_error (err);
  k = launch_on (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, -1, 2, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (rk_fake_cuda_tripwires (), ==, 0);

  g_assert_false (ops->host_alloc (ctx, 64, &host, &dev, &err));
  g_assert_cmpstr (err->message, ==, "cuMemHostAlloc while a persistent "
      "kernel is resident: the driver would synchronise the context and "
      "hang");
  g_clear_error (&err);
  rk_fake_cuda_expect_tripwires (TRUE);
  ops->host_free (ctx, early);
  rk_fake_cuda_expect_tripwires (FALSE);
  g_assert_cmpuint (rk_fake_cuda_tripwires (), ==, 2);
  text = rk_fake_cuda_take_tripwire ();
  g_assert_cmpstr (text, ==, "cuMemFreeHost while a persistent kernel is "
      "resident: the driver would synchronise the context and hang");
  g_free (text);

  /* A grid that does not fit beside the running one (2 of 8 blocks) */
  stream = ops->stream_new (ctx, &err);
  g_assert_no_error (err);
  f = ops->get_function (ctx, gst_rk_registry_get_implementation ("counter",
          GST_RK_BACKEND_CUDA), RK_CUDA_ENTRY_PERSISTENT, &err);
  g_assert_no_error (err);
  g_assert_false (ops->launch (stream, f, 7, 256, 0, TRUE, &args, &err));
  g_assert_cmpstr (err->message, ==, "cuLaunchCooperativeKernel: a grid of "
      "7 blocks of 256 threads does not fit beside the 2 blocks running "
      "persistent kernels hold (4 SMs of 512 threads): on a GPU the blocks "
      "would wait for SMs that never free, and the grid would hang");
  g_clear_error (&err);
  g_assert_cmpuint (rk_fake_cuda_resident_blocks (), ==, 2);
  ops->stream_free (stream);

  echo_once (k, 1, 3000);
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  gst_object_unref (k);
  g_assert_cmpuint (rk_fake_cuda_resident_blocks (), ==, 0);
  /* Nothing resident: allowed again */
  g_assert_true (ops->host_alloc (ctx, 64, &host, &dev, &err));
  ops->host_free (ctx, host);
  ops->close (ctx);
  g_assert_cmpuint (rk_fake_cuda_tripwires (), ==, 0);
  finish (rt, NULL);
}

/* Two runtimes on one device (device-id -1 and 0: the same context): the
 * second opens while the first's persistent kernel runs, the first closes
 * while the second's runs. The pinned pool is the context's, so neither
 * allocates nor frees pinned memory then. */
static void
test_two_runtimes (void)
{
  GstRkRuntime *rt1 = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkRuntime *rt2 = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, 0);
  GstRkKernel *k1, *k2;
  GError *err = NULL;

  k1 = launch_on (rt1, "echo", GST_RK_KERNEL_MODE_PERSISTENT, -1, 1, &err);
  g_assert_no_error (err);
  k2 = launch_on (rt2, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 0, 1, &err);
  g_assert_no_error (err);
  echo_once (k1, 1, 3000);
  echo_once (k2, 2, 3000);
  g_assert_true (gst_rk_kernel_terminate (k1, NULL));
  gst_object_unref (k1);
  gst_object_unref (rt1);
  echo_once (k2, 3, 5000);
  g_assert_cmpuint (rk_fake_cuda_tripwires (), ==, 0);
  finish (rt2, k2);
}

/* Another device is another context: its last runtime closing while a
 * persistent kernel runs on the first device leaves it open (its pinned
 * memory and modules) until that kernel stops; reopening it meanwhile
 * takes it back. A context first opened while the kernel runs is refused,
 * as allocating its pinned memory would stall. */
static void
test_other_device (void)
{
  GstRkRuntime *rt0 = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, 0);
  GstRkRuntime *rt1 = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, 1);
  GstRkRuntime *rt2 = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, 2);
  GstRkKernel *k0, *k1;
  GError *err = NULL;
  guint live;

  k1 = launch_on (rt1, "echo", GST_RK_KERNEL_MODE_EVENT_DRIVEN, 1, 1, &err);
  g_assert_no_error (err);
  echo_once (k1, 1, 3000);
  k0 = launch_on (rt0, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 0, 1, &err);
  g_assert_no_error (err);
  echo_once (k0, 2, 3000);

  g_assert_null (launch_on (rt2, "echo", GST_RK_KERNEL_MODE_EVENT_DRIVEN, 2,
          1, &err));
  g_assert_cmpstr (err->message, ==, "cannot open CUDA device 2 ("
      RK_FAKE_CUDA_DEVICE_NAME ") while persistent CUDA kernels run in this "
      "process: allocating its pinned memory would stall the device until "
      "they end");
  g_clear_error (&err);

  /* Device 1's last runtime goes: its context stays */
  g_assert_true (gst_rk_kernel_terminate (k1, NULL));
  gst_object_unref (k1);
  live = rk_fake_cuda_live_allocations ();
  gst_object_unref (rt1);
  echo_once (k0, 3, 3000);
  g_assert_cmpuint (rk_fake_cuda_live_allocations (), ==, live);
  /* ... and is taken back */
  rt1 = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, 1);
  k1 = launch_on (rt1, "echo", GST_RK_KERNEL_MODE_EVENT_DRIVEN, 1, 1, &err);
  g_assert_no_error (err);
  echo_once (k1, 4, 5000);
  g_assert_true (gst_rk_kernel_terminate (k1, NULL));
  gst_object_unref (k1);
  gst_object_unref (rt1);
  g_assert_cmpuint (rk_fake_cuda_tripwires (), ==, 0);
  gst_object_unref (rt2);
  /* The kernel stops: device 1's context closes, and everything goes */
  finish (rt0, k0);
}

/* Residency is the context's: persistent grids of two runtimes that cannot
 * both be resident are refused with the numbers, not launched to hang. */
static void
test_shared_residency (void)
{
  GstRkRuntime *rt1 = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkRuntime *rt2 = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, 0);
  GstRkKernel *k1, *k2;
  GError *err = NULL;
  GstStructure *s;
  guint grid = 0;

  rk_fake_cuda_configure (4, 2);        /* 8 blocks fit */
  k1 = launch_on (rt1, "echo", GST_RK_KERNEL_MODE_PERSISTENT, -1, 6, &err);
  g_assert_no_error (err);
  g_assert_null (launch_on (rt2, "counter", GST_RK_KERNEL_MODE_PERSISTENT,
          0, 3, &err));
  g_assert_cmpstr (err->message, ==, "grid-size 3 is too large for a "
      "persistent kernel on " RK_FAKE_CUDA_DEVICE_NAME ": 8 blocks of 256 "
      "threads fit at once (4 SMs) and running persistent kernels hold 6 of "
      "them; every block must stay resident (use a smaller grid-size or "
      "mode=event-driven)");
  g_clear_error (&err);
  /* The other runtime's default frame grid leaves the last SM free */
  k2 = launch_on (rt2, "gray", GST_RK_KERNEL_MODE_PERSISTENT, 0, 0, &err);
  g_assert_no_error (err);
  s = gst_rk_kernel_get_stats (k2);
  g_assert_true (gst_structure_get_uint (s, "grid-size", &grid));
  g_assert_cmpuint (grid, ==, 1);
  gst_structure_free (s);
  g_assert_true (gst_rk_kernel_terminate (k1, NULL));
  gst_object_unref (k1);
  gst_object_unref (rt1);
  finish (rt2, k2);
}

/* Blocks of different shapes: a kernel of 512-thread blocks holds a whole
 * SM per block (of 2 × 256 threads), so a grid of 256-thread blocks that
 * counts them as its own shape would not fit, and is refused. */
static void
test_mixed_shapes (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkLaunchOptions o;
  GstRkKernel *a, *b;
  GError *err = NULL;

  rk_fake_cuda_configure (4, 2);
  gst_rk_launch_options_init (&o);
  o.mode = GST_RK_KERNEL_MODE_PERSISTENT;
  o.input_queue_capacity = o.output_queue_capacity = 8;
  o.auto_activate = TRUE;
  o.grid_size = 2;
  o.block_size = 512;
  a = gst_rk_runtime_launch (rt, "echo", NULL, GST_RK_BACKEND_CUDA, -1, &o,
      NULL, &err);
  g_assert_no_error (err);
  o.grid_size = 5;
  o.block_size = 256;
  g_assert_null (gst_rk_runtime_launch (rt, "counter", NULL,
          GST_RK_BACKEND_CUDA, -1, &o, NULL, &err));
  g_assert_cmpstr (err->message, ==, "grid-size 5 is too large for a "
      "persistent kernel on " RK_FAKE_CUDA_DEVICE_NAME ": 8 blocks of 256 "
      "threads fit at once (4 SMs) and running persistent kernels hold 4 of "
      "them; every block must stay resident (use a smaller grid-size or "
      "mode=event-driven)");
  g_clear_error (&err);
  o.grid_size = 4;
  b = gst_rk_runtime_launch (rt, "counter", NULL, GST_RK_BACKEND_CUDA, -1,
      &o, NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (rk_fake_cuda_resident_blocks (), ==, 6);
  echo_once (a, 1, 3000);
  g_assert_true (gst_rk_kernel_terminate (b, NULL));
  gst_object_unref (b);
  finish (rt, a);
}

/* The pinned pool never grows while a persistent kernel is resident: a
 * message too big for what is left fails with the reason. */
static void
test_pool_full (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *p, *e;
  GError *err = NULL;

  p = launch_on (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, -1, 1, &err);
  g_assert_no_error (err);
  e = launch_on (rt, "echo", GST_RK_KERNEL_MODE_EVENT_DRIVEN, -1, 1, &err);
  g_assert_no_error (err);
  echo_once (e, 1, 4000);
  send_buf (e, rk_test_make_buffer (2, 9 << 20), RK_MSG_DATA);
  wait_failed (e, "CUDA kernel echo-2: cannot allocate 75497472 bytes of "
      "mapped host memory for echo on " RK_FAKE_CUDA_DEVICE_NAME " while "
      "persistent kernels run: its pool of pinned memory is full, and growing "
      "it would stall the device until they end", 5 * SECOND);
  g_assert_true (gst_rk_kernel_terminate (e, NULL));
  gst_object_unref (e);
  echo_once (p, 3, 3000);
  g_assert_cmpuint (rk_fake_cuda_tripwires (), ==, 0);
  finish (rt, p);
}

/* Without memory pools device memory would be cuMemAlloc/cuMemFree, which
 * wait for the context: persistent mode is refused there. */
static void
test_no_memory_pools (void)
{
  GstRkRuntime *rt;
  GstRkKernel *k;
  GError *err = NULL;

  rk_fake_cuda_set_memory_pools (FALSE);
  rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  g_assert_null (launch_on (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, -1, 1,
          &err));
  g_assert_cmpstr (err->message, ==, RK_FAKE_CUDA_DEVICE_NAME " has no "
      "memory pools (stream-ordered allocation), which persistent kernels "
      "need: use mode=event-driven");
  g_clear_error (&err);
  k = launch_on (rt, "echo", GST_RK_KERNEL_MODE_EVENT_DRIVEN, -1, 1, &err);
  g_assert_no_error (err);
  echo_once (k, 1, 3000);
  finish (rt, k);
  rk_fake_cuda_set_memory_pools (TRUE);
}

static void
add_moded (const gchar * name, GTestDataFunc func)
{
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++) {
    gchar *path = g_strdup_printf ("/cuda/runtime/%s/%s", name,
        gst_rk_kernel_mode_get_name (modes[i]));
    g_test_add_data_func (path, GINT_TO_POINTER (modes[i]), func);
    g_free (path);
  }
}

int
main (int argc, char **argv)
{
  rk_fake_cuda_install ();
  rk_fake_cuda_set_devices (3);
  rk_test_init (&argc, &argv);
  g_test_add_func ("/cuda/runtime/probe", test_probe);
  add_moded ("echo-in-order", test_echo_in_order);
  add_moded ("request-reply", test_request_reply);
  add_moded ("state-and-flush", test_state_and_flush);
  add_moded ("gray-matches-cpu", test_gray_matches_cpu);
  add_moded ("bad-input", test_bad_input);
  add_moded ("terminate-busy", test_terminate_busy);
  g_test_add_func ("/cuda/runtime/frames-in-flight", test_frames_in_flight);
  g_test_add_func ("/cuda/runtime/backpressure", test_backpressure);
  g_test_add_func ("/cuda/runtime/watchdog", test_watchdog);
  g_test_add_func ("/cuda/runtime/trap", test_trap);
  g_test_add_func ("/cuda/runtime/hang", test_hang);
  g_test_add_func ("/cuda/runtime/launch-failure", test_launch_failure);
  g_test_add_func ("/cuda/runtime/stream-deadline", test_stream_deadline);
  g_test_add_func ("/cuda/runtime/long-job", test_long_job);
  g_test_add_func ("/cuda/runtime/absent-block", test_absent_block);
  g_test_add_func ("/cuda/runtime/exit-confirmed", test_exit_confirmed);
  g_test_add_func ("/cuda/runtime/watchdog-during-copy",
      test_watchdog_during_copy);
  g_test_add_func ("/cuda/runtime/grid-checks", test_grid_checks);
  g_test_add_func ("/cuda/runtime/device-id", test_device_id);
  g_test_add_func ("/cuda/runtime/resident/tripwires", test_tripwires);
  g_test_add_func ("/cuda/runtime/resident/two-runtimes", test_two_runtimes);
  g_test_add_func ("/cuda/runtime/resident/shared-residency",
      test_shared_residency);
  g_test_add_func ("/cuda/runtime/resident/other-device", test_other_device);
  g_test_add_func ("/cuda/runtime/resident/mixed-shapes", test_mixed_shapes);
  g_test_add_func ("/cuda/runtime/resident/pool-full", test_pool_full);
  g_test_add_func ("/cuda/runtime/resident/no-memory-pools",
      test_no_memory_pools);
  return g_test_run ();
}
