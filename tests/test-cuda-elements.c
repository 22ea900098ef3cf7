/* rk* elements on the CUDA backend, on the fake device (rkfakecuda.c):
 * outputs equal to the CPU backend's, EOS after drain, settings errors,
 * and a kernel that stops mid-stream becoming an element error within a
 * bounded time, after which the pipeline still reaches NULL with nothing
 * left allocated. */
#include <string.h>

#include <gst/app/gstappsrc.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "rktest.h"
#include "rkfakecuda.h"

#define SECOND (G_USEC_PER_SEC)

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
  GST_BUFFER_DURATION (buf) = GST_MSECOND;
  return buf;
}

/* rkgray on CUDA and on the CPU, frame for frame */
static void
test_gray_matches_cpu (gconstpointer data)
{
  const gchar *mode = data;
  static const gchar *formats[] = { "RGBA", "BGRx", "I420", "NV12" };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++) {
    gchar *caps = g_strdup_printf ("video/x-raw,format=%s,width=37,"
        "height=29,framerate=30/1", formats[f]);
    gchar *desc = g_strdup_printf ("rkgray backend=cuda mode=%s", mode);
    GstHarness *cuda = gst_harness_new_parse (desc);
    GstHarness *cpu = gst_harness_new_parse ("rkgray backend=cpu");
    GstVideoInfo vi;
    GstCaps *c = gst_caps_from_string (caps);
    GstStructure *s;

    g_assert_true (gst_video_info_from_caps (&vi, c));
    gst_caps_unref (c);
    gst_harness_set_src_caps_str (cuda, caps);
    gst_harness_set_src_caps_str (cpu, caps);
    for (guint i = 0; i < 8; i++) {
      GstBuffer *frame = random_frame (GST_VIDEO_INFO_SIZE (&vi), i + f * 10);
      GstBuffer *a, *b;
      GstMapInfo ma, mb;

      /* deep: no GstMemory shared between the two kernels (TSan) */
      g_assert_cmpint (gst_harness_push (cpu, gst_buffer_copy_deep (frame)),
          ==, GST_FLOW_OK);
      g_assert_cmpint (gst_harness_push (cuda, frame), ==, GST_FLOW_OK);
      a = gst_harness_pull (cuda);
      b = gst_harness_pull (cpu);
      gst_buffer_map (a, &ma, GST_MAP_READ);
      gst_buffer_map (b, &mb, GST_MAP_READ);
      g_assert_cmpmem (ma.data, ma.size, mb.data, mb.size);
      gst_buffer_unmap (a, &ma);
      gst_buffer_unmap (b, &mb);
      g_assert_cmpuint (GST_BUFFER_PTS (a), ==, GST_BUFFER_PTS (b));
      g_assert_cmpuint (GST_BUFFER_DURATION (a), ==, GST_BUFFER_DURATION (b));
      gst_buffer_unref (a);
      gst_buffer_unref (b);
    }
    {
      GstElement *gray = gst_harness_find_element (cuda, "rkgray");

      g_object_get (gray, "stats", &s, NULL);
      gst_object_unref (gray);
    }
    g_assert_cmpstr (gst_structure_get_string (s, "backend"), ==, "cuda");
    g_assert_cmpstr (gst_structure_get_string (s, "mode"), ==, mode);
    gst_structure_free (s);
    gst_harness_teardown (cuda);
    gst_harness_teardown (cpu);
    g_free (caps);
    g_free (desc);
  }
  g_assert_cmpuint (rk_fake_cuda_live_allocations (), ==, 0);
}

static GstMessage *
run_until (GstElement * pipeline, GstMessageType types, gint64 timeout_us)
{
  return gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline),
      timeout_us * GST_USECOND, types);
}

/* EOS comes after every frame went through */
static void
test_eos_after_drain (gconstpointer data)
{
  const gchar *mode = data;
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=40 ! "
      "video/x-raw,format=RGBA,width=320,height=240 ! rkgray name=k "
      "backend=cuda mode=%s input-queue-capacity=4 ! fakesink name=sink "
      "sync=false signal-handoffs=true", mode);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *k = gst_bin_get_by_name (GST_BIN (pipeline), "k");
  GstMessage *msg;
  GstStructure *s;
  guint64 processed = 0, emitted = 0;

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  msg = run_until (pipeline, GST_MESSAGE_EOS | GST_MESSAGE_ERROR, 30 * SECOND);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_message_unref (msg);
  g_object_get (k, "stats", &s, NULL);
  g_assert_true (gst_structure_get_uint64 (s, "processed", &processed));
  g_assert_true (gst_structure_get_uint64 (s, "emitted", &emitted));
  g_assert_cmpuint (processed, ==, 40);
  g_assert_cmpuint (emitted, ==, 40);
  gst_structure_free (s);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (k);
  gst_object_unref (pipeline);
  g_free (desc);
  g_assert_cmpuint (rk_fake_cuda_live_allocations (), ==, 0);
}

/* A grid that cannot stay resident is refused at NULL → READY */
static void
test_grid_too_large (void)
{
  GstElement *pipeline = gst_parse_launch ("fakesrc num-buffers=1 ! "
      "rkecho backend=cuda mode=persistent grid-size=100 ! fakesink", NULL);
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (GST_ELEMENT_BUS (pipeline), GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  gst_message_parse_error (msg, &err, &dbg);
  g_assert_error (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS);
  g_assert_true (g_str_has_prefix (err->message, "Invalid settings for "
          "rkecho0: grid-size 100 is too large for a persistent kernel on "
          RK_FAKE_CUDA_DEVICE_NAME ": 8 blocks of 256 threads fit at once"));
  g_clear_error (&err);
  g_free (dbg);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  g_assert_cmpuint (rk_fake_cuda_live_allocations (), ==, 0);
}

/* A frame too small for its caps: the same error on CUDA as on the CPU,
 * and the pipeline still goes down to NULL (on either backend). */
static void
test_bad_input (gconstpointer data)
{
  const gchar *backend = data;
  gchar *desc = g_strdup_printf ("appsrc name=src caps=video/x-raw,"
      "format=RGBA,width=8,height=8,framerate=30/1 ! rkgray backend=%s ! "
      "fakesink", backend);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (src),
          gst_buffer_new_memdup ("0123456789", 10)), ==, GST_FLOW_OK);
  msg = run_until (pipeline, GST_MESSAGE_ERROR, 5 * SECOND);
  g_assert_nonnull (msg);
  gst_message_parse_error (msg, &err, &dbg);
  g_assert_nonnull (strstr (dbg, "buffer of 10 bytes is smaller than a 8x8 "
          "RGBA frame (256 bytes)"));
  g_clear_error (&err);
  g_free (dbg);
  gst_message_unref (msg);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (src);
  gst_object_unref (pipeline);
  g_free (desc);
  g_assert_cmpuint (rk_fake_cuda_live_allocations (), ==, 0);
}

/* The kernel stops beating mid-stream (or dies): an element error within
 * the watchdog's bound, then NULL with nothing leaked. */
static void
test_fault_mid_stream (gconstpointer data)
{
  RkFakeCudaFault fault = GPOINTER_TO_INT (data);
  GstElement *pipeline = gst_parse_launch ("videotestsrc ! "
      "video/x-raw,format=RGBA,width=64,height=48 ! rkgray name=k "
      "backend=cuda mode=persistent ! fakesink sync=false", NULL);
  GstElement *k = gst_bin_get_by_name (GST_BIN (pipeline), "k");
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;
  GstStructure *s;
  guint64 processed = 0;
  gint64 start;

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  start = g_get_monotonic_time ();
  while (processed < 20) {
    g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * SECOND);
    g_usleep (10000);
    g_object_get (k, "stats", &s, NULL);
    gst_structure_get_uint64 (s, "processed", &processed);
    gst_structure_free (s);
  }

  rk_fake_cuda_set_fault (fault);
  start = g_get_monotonic_time ();
  /* The source's "Internal data stream error" (its push failed) and the
   * EOS it then sends may come first on a loaded machine (the kernel's
   * error is posted from the runtime's thread): the kernel's own error is
   * wanted. */
  while ((msg = run_until (pipeline, GST_MESSAGE_ERROR | GST_MESSAGE_EOS,
              5 * SECOND)) && GST_MESSAGE_SRC (msg) != GST_OBJECT (k))
    gst_message_unref (msg);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_ERROR);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * SECOND);
  gst_message_parse_error (msg, &err, &dbg);
  g_assert_cmpstr (err->message, ==, "Ring kernel k failed on the CUDA "
      "backend.");
  if (fault == RK_FAKE_CUDA_FAULT_STALL)
    g_assert_nonnull (strstr (dbg, "CUDA kernel k stopped responding: no "
            "heartbeat for 1000 ms"));
  else
    g_assert_nonnull (strstr (dbg, "CUDA kernel k failed: cuStreamQuery "
            "failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)"));
  g_clear_error (&err);
  g_free (dbg);
  gst_message_unref (msg);

  start = g_get_monotonic_time ();
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * SECOND);
  gst_object_unref (k);
  gst_object_unref (pipeline);
  rk_fake_cuda_set_fault (RK_FAKE_CUDA_FAULT_NONE);
  g_assert_cmpuint (rk_fake_cuda_running_kernels (), ==, 0);
  g_assert_cmpuint (rk_fake_cuda_live_allocations (), ==, 0);
}

int
main (int argc, char **argv)
{
  rk_fake_cuda_install ();
  rk_test_init (&argc, &argv);
  g_test_add_data_func ("/cuda/elements/gray-matches-cpu/persistent",
      "persistent", test_gray_matches_cpu);
  g_test_add_data_func ("/cuda/elements/gray-matches-cpu/event-driven",
      "event-driven", test_gray_matches_cpu);
  g_test_add_data_func ("/cuda/elements/eos-after-drain/persistent",
      "persistent", test_eos_after_drain);
  g_test_add_data_func ("/cuda/elements/eos-after-drain/event-driven",
      "event-driven", test_eos_after_drain);
  g_test_add_func ("/cuda/elements/grid-too-large", test_grid_too_large);
  g_test_add_data_func ("/cuda/elements/bad-input/cuda", "cuda",
      test_bad_input);
  g_test_add_data_func ("/cuda/elements/bad-input/cpu", "cpu",
      test_bad_input);
  g_test_add_data_func ("/cuda/elements/watchdog",
      GINT_TO_POINTER (RK_FAKE_CUDA_FAULT_STALL), test_fault_mid_stream);
  g_test_add_data_func ("/cuda/elements/device-error",
      GINT_TO_POINTER (RK_FAKE_CUDA_FAULT_TRAP), test_fault_mid_stream);
  return g_test_run ();
}
