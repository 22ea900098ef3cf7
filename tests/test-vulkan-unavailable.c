/* A machine without Vulkan: meson runs this with the Vulkan loader or its
 * drivers out of reach (RK_TEST_EXPECT_REASON says which reason to
 * expect). The plugin still loads, the CPU serves, and asking for Vulkan
 * gives that reason. */
#include <string.h>

#include "rktest.h"

static const gchar *
expected (void)
{
  const gchar *want = g_getenv ("RK_TEST_EXPECT_REASON");

  g_assert_nonnull (want);
  return want;
}

static void
test_reason (void)
{
  gchar *reason = NULL;

  g_assert_false (gst_rk_runtime_is_backend_available (GST_RK_BACKEND_VULKAN,
          &reason));
  g_test_message ("%s", reason);
  g_assert_true (g_str_has_prefix (reason, "Vulkan unavailable: "));
  g_assert_nonnull (strstr (reason, expected ()));
  g_free (reason);
}

static void
test_launch (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GError *err = NULL;
  gchar *reason = NULL;
  GstRkKernel *k;

  gst_rk_runtime_is_backend_available (GST_RK_BACKEND_VULKAN, &reason);
  g_assert_null (gst_rk_runtime_launch (rt, "echo", NULL,
          GST_RK_BACKEND_VULKAN, -1, NULL, NULL, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE);
  g_assert_cmpstr (err->message, ==, reason);
  g_clear_error (&err);
  g_free (reason);

  /* auto runs on the CPU */
  k = gst_rk_runtime_launch (rt, "echo", NULL, GST_RK_BACKEND_AUTO, -1, NULL,
      NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpint (gst_rk_kernel_get_backend (k), ==, GST_RK_BACKEND_CPU);
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  gst_object_unref (k);
  gst_object_unref (rt);
}

static void
test_elements (void)
{
  GstElement *p = gst_parse_launch ("fakesrc num-buffers=1 ! rkecho "
      "backend=vulkan ! fakesink", NULL);
  GstBus *bus = gst_element_get_bus (p);
  GError *err = NULL;
  GstMessage *m;
  gchar *want, *reason = NULL;

  /* the plugin loaded (rk_test_init), its elements exist */
  g_assert_nonnull (p);
  g_assert_cmpint (gst_element_set_state (p, GST_STATE_READY), ==,
      GST_STATE_CHANGE_FAILURE);
  m = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  g_assert_nonnull (m);
  gst_message_parse_error (m, &err, NULL);
  gst_rk_runtime_is_backend_available (GST_RK_BACKEND_VULKAN, &reason);
  want = g_strdup_printf ("Cannot launch kernel echo: %s", reason);
  g_assert_cmpstr (err->message, ==, want);
  g_free (want);
  g_free (reason);
  g_error_free (err);
  gst_message_unref (m);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);

  /* and run on the CPU */
  p = gst_parse_launch ("fakesrc num-buffers=10 ! rkecho ! rkgray backend=cpu "
      "name=g ! fakesink", NULL);
  gst_object_unref (p);
  p = gst_parse_launch ("fakesrc num-buffers=10 ! rkecho ! fakesink", NULL);
  bus = gst_element_get_bus (p);
  gst_element_set_state (p, GST_STATE_PLAYING);
  m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS |
      GST_MESSAGE_ERROR);
  g_assert_nonnull (m);
  g_assert_cmpint (GST_MESSAGE_TYPE (m), ==, GST_MESSAGE_EOS);
  gst_message_unref (m);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
}

int
main (int argc, char **argv)
{
  rk_test_init (&argc, &argv);
  g_test_add_func ("/vulkan-unavailable/reason", test_reason);
  g_test_add_func ("/vulkan-unavailable/launch", test_launch);
  g_test_add_func ("/vulkan-unavailable/elements", test_elements);
  return g_test_run ();
}
