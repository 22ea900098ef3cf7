/* The CUDA backend on a real GPU: the kernels' outputs against the CPU
 * backend's, in both modes, and the persistent protocol's guarantees on
 * real mapped memory. Skips (exit 77) with the reason when no CUDA device
 * is usable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/video/video.h>

#include "rktest.h"

#define SECOND (G_USEC_PER_SEC)

static GstRkKernel *
launch (GstRkRuntime * rt, const gchar * kernel, GstRkBackendKind backend,
    GstRkKernelMode mode)
{
  GstRkLaunchOptions o;
  GError *err = NULL;
  GstRkKernel *k;

  gst_rk_launch_options_init (&o);
  o.mode = mode;
  o.input_queue_capacity = o.output_queue_capacity = 64;
  o.auto_activate = TRUE;
  k = gst_rk_runtime_launch (rt, kernel, NULL, backend, -1, &o, NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpint (gst_rk_kernel_get_backend (k), ==, backend);
  return k;
}

static GstRkMessage
receive (GstRkKernel * k)
{
  GstRkMessage msg;
  GError *err = NULL;

  g_assert_true (gst_rk_kernel_receive (k, &msg,
          g_get_monotonic_time () + 10 * SECOND, &err));
  g_assert_no_error (err);
  return msg;
}

static void
assert_same (GstBuffer * a, GstBuffer * b)
{
  GstMapInfo ma, mb;

  g_assert_true ((a == NULL) == (b == NULL));
  if (a == NULL)
    return;
  gst_buffer_map (a, &ma, GST_MAP_READ);
  gst_buffer_map (b, &mb, GST_MAP_READ);
  g_assert_cmpmem (ma.data, ma.size, mb.data, mb.size);
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
  g_assert_cmpuint (GST_BUFFER_PTS (a), ==, GST_BUFFER_PTS (b));
}

/* Sends the same messages to a CUDA and a CPU kernel; outputs must match. */
static void
compare (GstRkKernel * cuda, GstRkKernel * cpu, GstBuffer * buf, guint32 type)
{
  GstRkMessage a, b;

  g_assert_true (gst_rk_kernel_send (cpu, gst_buffer_copy (buf), type, 5,
          GST_RK_WAIT_FOREVER, NULL, NULL));
  g_assert_true (gst_rk_kernel_send (cuda, buf, type, 5, GST_RK_WAIT_FOREVER,
          NULL, NULL));
  a = receive (cuda);
  b = receive (cpu);
  g_assert_cmpuint (a.env.type, ==, b.env.type);
  g_assert_cmpuint (a.env.message_id, ==, b.env.message_id);
  g_assert_cmpuint (a.env.correlation_id, ==, b.env.correlation_id);
  assert_same (a.payload, b.payload);
  gst_rk_message_clear (&a);
  gst_rk_message_clear (&b);
}

static void
test_echo (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkKernel *cuda = launch (rt, "echo", GST_RK_BACKEND_CUDA, mode);
  GstRkKernel *cpu = launch (rt, "echo", GST_RK_BACKEND_CPU, mode);
  static const gsize sizes[] = { 1, 8, 64, 192, 193, 4096, 100000, 3 };

  for (guint r = 0; r < 50; r++)
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      compare (cuda, cpu, rk_test_make_buffer (r * 10 + i, sizes[i]),
          i % 2 ? RK_MSG_REQUEST : RK_MSG_DATA);
  g_assert_true (gst_rk_runtime_shutdown (rt, NULL));
  gst_object_unref (cuda);
  gst_object_unref (cpu);
  gst_object_unref (rt);
}

static void
test_counter (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkKernel *cuda = launch (rt, "counter", GST_RK_BACKEND_CUDA, mode);
  GstRkKernel *cpu = launch (rt, "counter", GST_RK_BACKEND_CPU, mode);

  for (guint i = 0; i < 100; i++) {
    compare (cuda, cpu, rk_test_make_buffer (i, 16), RK_MSG_DATA);
    if (i == 40) {
      g_assert_true (gst_rk_kernel_deactivate (cuda, NULL));
      g_assert_true (gst_rk_kernel_deactivate (cpu, NULL));
      g_assert_true (gst_rk_kernel_activate (cuda, NULL));
      g_assert_true (gst_rk_kernel_activate (cpu, NULL));
    }
    if (i == 70) {
      g_assert_true (gst_rk_kernel_send_control (cuda,
              RK_CONTROL_RESET_STATE, NULL));
      g_assert_true (gst_rk_kernel_send_control (cpu,
              RK_CONTROL_RESET_STATE, NULL));
    }
  }
  g_assert_true (gst_rk_runtime_shutdown (rt, NULL));
  gst_object_unref (cuda);
  gst_object_unref (cpu);
  gst_object_unref (rt);
}

static void
test_gray (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  static const gchar *formats[] = { "RGBA", "BGRA", "RGBx", "BGRx", "NV12",
    "I420"
  };
  static const guint sizes[][2] = { {1, 1}, {33, 17}, {1920, 1080},
  {3840, 2160}, {641, 479}
  };
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkKernel *cuda = launch (rt, "gray", GST_RK_BACKEND_CUDA, mode);
  GstRkKernel *cpu = launch (rt, "gray", GST_RK_BACKEND_CPU, mode);

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++) {
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++) {
      GstCaps *caps = gst_caps_new_simple ("video/x-raw", "format",
          G_TYPE_STRING, formats[f], "width", G_TYPE_INT, sizes[s][0],
          "height", G_TYPE_INT, sizes[s][1], "framerate", GST_TYPE_FRACTION,
          30, 1, NULL);
      GstVideoInfo vi;

      g_assert_true (gst_video_info_from_caps (&vi, caps));
      g_assert_true (gst_rk_kernel_set_caps (cuda, caps, NULL, NULL));
      g_assert_true (gst_rk_kernel_set_caps (cpu, caps, NULL, NULL));
      gst_caps_unref (caps);
      for (guint i = 0; i < 3; i++)
        compare (cuda, cpu, rk_test_make_buffer (f * 100 + s * 10 + i,
                GST_VIDEO_INFO_SIZE (&vi)), RK_MSG_DATA);
    }
  }
  g_assert_true (gst_rk_runtime_shutdown (rt, NULL));
  gst_object_unref (cuda);
  gst_object_unref (cpu);
  gst_object_unref (rt);
}

/* The heartbeat moves while a persistent kernel idles, and terminate
 * returns in bounded time. */
static void
test_persistent_lifecycle (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  GstRkKernel *k = launch (rt, "echo", GST_RK_BACKEND_CUDA,
      GST_RK_KERNEL_MODE_PERSISTENT);
  GstStructure *s;
  guint64 beat1 = 0, beat2 = 0;
  gint64 start;

  s = gst_rk_kernel_get_stats (k);
  g_assert_true (gst_structure_get_uint64 (s, "heartbeat", &beat1));
  gst_structure_free (s);
  g_usleep (100000);
  s = gst_rk_kernel_get_stats (k);
  g_assert_true (gst_structure_get_uint64 (s, "heartbeat", &beat2));
  gst_structure_free (s);
  g_assert_cmpuint (beat2, >, beat1);
  g_assert_true (gst_rk_kernel_check (k, NULL));

  start = g_get_monotonic_time ();
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * SECOND);
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* The CUDA user-kernel example counter.cu, compiled by NVRTC and run on
 * the GPU: replies 1, 2, 3 to three calls */
static void
test_user_counter (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  GError *err = NULL;
  GstRkBackendKind backend;
  const GstRkKernelInfo *info = gst_rk_user_kernel_load (RK_EXAMPLES_DIR
      "/counter.cu", NULL, 0, NULL, &backend, &err);
  GstRkRuntime *rt;
  GstRkKernel *k;
  GstRkMessage reply;

  g_assert_no_error (err);
  g_assert_cmpint (backend, ==, GST_RK_BACKEND_CUDA);
  rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  k = launch (rt, info->name, GST_RK_BACKEND_CUDA, mode);
  for (guint64 i = 1; i <= 3; i++) {
    g_assert_true (gst_rk_kernel_call (k, gst_buffer_new_allocate (NULL, 4,
                NULL), 5 * G_USEC_PER_SEC, &reply, &err));
    g_assert_no_error (err);
    g_assert_cmpuint (rk_test_read_u64 (reply.payload), ==, i);
    gst_rk_message_clear (&reply);
  }
  g_assert_true (gst_rk_runtime_shutdown (rt, NULL));
  gst_object_unref (k);
  gst_object_unref (rt);
}

int
main (int argc, char **argv)
{
  gchar *reason = NULL;

  rk_test_init (&argc, &argv);
  if (!rk_test_backend_usable (GST_RK_BACKEND_CUDA, &reason)) {
    printf ("SKIP: %s\n", reason);
    g_free (reason);
    return 77;
  }
  g_test_add_data_func ("/cuda/device/echo/persistent",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_PERSISTENT), test_echo);
  g_test_add_data_func ("/cuda/device/echo/event-driven",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_EVENT_DRIVEN), test_echo);
  g_test_add_data_func ("/cuda/device/counter/persistent",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_PERSISTENT), test_counter);
  g_test_add_data_func ("/cuda/device/counter/event-driven",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_EVENT_DRIVEN), test_counter);
  g_test_add_data_func ("/cuda/device/gray/persistent",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_PERSISTENT), test_gray);
  g_test_add_data_func ("/cuda/device/gray/event-driven",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_EVENT_DRIVEN), test_gray);
  g_test_add_data_func ("/cuda/device/user-counter/persistent",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_PERSISTENT), test_user_counter);
  g_test_add_data_func ("/cuda/device/user-counter/event-driven",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_EVENT_DRIVEN), test_user_counter);
  g_test_add_func ("/cuda/device/persistent-lifecycle",
      test_persistent_lifecycle);
  return g_test_run ();
}
