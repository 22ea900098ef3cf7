/* The bad-input catalogue: every class of bad input gets a clear error and
 * loses nothing. The README's troubleshooting table lists these texts.
 * Classes covered elsewhere: wrong caps (test-elements /wrong-caps,
 * test-kernels-video /sobel-refuses-rgba), a backend that is not present
 * (/missing-backend), a queue capacity of 0 (/bad-capacity), EOS with no data
 * (/eos-without-data), buffers after EOS (/eos-after-drain), a partial audio
 * frame (test-kernels-sensor /partial-frame-refused), malformed envelope
 * bytes in depth (test-envelope, fuzz-envelope). */
#include <string.h>
#include "rktest.h"

/* Out-of-range element properties are refused by GObject, with its
 * warning, and the property keeps its value. */
static void
test_property_out_of_range (void)
{
  GstElement *blur = gst_element_factory_make ("rkblur", NULL);
  GParamSpecDouble *pspec = G_PARAM_SPEC_DOUBLE (g_object_class_find_property
      (G_OBJECT_GET_CLASS (blur), "sigma"));
  gdouble sigma = -2;
  guint grid = 0;

  /* kept at the default, then at a value set before */
  g_test_expect_message ("GLib-GObject", G_LOG_LEVEL_WARNING,
      "*out of range for property 'sigma'*");
  g_object_set (blur, "sigma", -1.0, NULL);
  g_test_assert_expected_messages ();
  g_object_get (blur, "sigma", &sigma, NULL);
  g_assert_cmpfloat (sigma, ==, pspec->default_value);
  g_object_set (blur, "sigma", pspec->default_value + 1.25, NULL);
  g_test_expect_message ("GLib-GObject", G_LOG_LEVEL_WARNING,
      "*out of range for property 'sigma'*");
  g_object_set (blur, "sigma", 1000.0, NULL);
  g_test_assert_expected_messages ();
  g_object_get (blur, "sigma", &sigma, NULL);
  g_assert_cmpfloat (sigma, ==, pspec->default_value + 1.25);

  g_test_expect_message ("GLib-GObject", G_LOG_LEVEL_WARNING,
      "*out of range for property 'grid-size'*");
  g_object_set (blur, "grid-size", 70000, NULL);
  g_test_assert_expected_messages ();
  g_object_get (blur, "grid-size", &grid, NULL);
  g_assert_cmpuint (grid, ==, 0);
  gst_object_unref (blur);
}

/* A property value that does not parse fails the pipeline description. */
static void
test_property_malformed (void)
{
  GError *err = NULL;
  GstElement *p = gst_parse_launch ("fakesrc ! rkecho name=e "
      "input-queue-capacity=lots ! fakesink", &err);

  g_assert_error (err, GST_PARSE_ERROR, GST_PARSE_ERROR_COULD_NOT_SET_PROPERTY);
  g_assert_cmpstr (err->message, ==, "could not set property "
      "\"input-queue-capacity\" in element \"rkecho\" to \"lots\"");
  g_clear_error (&err);
  gst_clear_object (&p);
}

/* Kernel parameters given through the C API are checked by the runtime. */
static void
test_kernel_params (void)
{
  static const struct
  {
    const gchar *kernel, *params, *message;
  } bad[] = {
    {"blur", "params, sigma=(double)-1.0",
        "parameter sigma of kernel blur is -1, outside 0 to 16"},
    {"blur", "params, sigma=(string)wide",
        "parameter sigma of kernel blur cannot take a gchararray"},
    {"blur", "params, radius=(double)2.0",
        "kernel blur has no parameter named radius"},
    {"fir", "params, taps=(string)<a, b>",
        "parameter taps of kernel fir: value 0 is a gchararray, not a double"},
  };
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    GstRkKernel *k = gst_rk_runtime_launch (rt, bad[i].kernel, NULL,
        GST_RK_BACKEND_CPU, -1, NULL, NULL, NULL);
    GstStructure *s = gst_structure_from_string (bad[i].params, NULL);
    GError *err = NULL;

    g_assert_nonnull (s);
    g_assert_false (gst_rk_kernel_set_params (k, s, &err));
    g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT);
    g_assert_cmpstr (err->message, ==, bad[i].message);
    g_error_free (err);
    gst_structure_free (s);
    gst_rk_kernel_terminate (k, NULL);
    gst_object_unref (k);
  }
  gst_object_unref (rt);
}

/* Launch options through the C API: a grid too large and a zero queue. */
static void
test_launch_options (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkLaunchOptions o;
  GError *err = NULL;

  gst_rk_launch_options_init (&o);
  o.grid_size = 70000;
  g_assert_null (gst_rk_runtime_launch (rt, "gray", NULL, GST_RK_BACKEND_CPU,
          -1, &o, NULL, &err));
  g_assert_cmpstr (err->message, ==, "grid-size 70000 is larger than the "
      "maximum of 65535 blocks");
  g_clear_error (&err);
  gst_object_unref (rt);
}

/* Untrusted message bytes: a clear error naming what is wrong. */
static void
test_message_bytes (void)
{
  guint8 bytes[RK_ENVELOPE_SIZE] = { 0 };
  GstRkEnvelope env;
  GError *err = NULL;

  g_assert_false (gst_rk_envelope_decode (bytes, 10, &env, &err));
  g_assert_cmpstr (err->message, ==, "truncated envelope: 10 bytes, a header "
      "needs 64");
  g_clear_error (&err);
  g_assert_false (gst_rk_envelope_decode (bytes, sizeof (bytes), &env, &err));
  g_assert_cmpstr (err->message, ==, "bad envelope magic 0x00000000 "
      "(expected 0x56454b52)");
  g_clear_error (&err);
}

/* A frame smaller than its caps say fails the kernel with the sizes named,
 * and the pipeline can still be stopped. */
static void
test_short_frame (void)
{
  GstElement *p = gst_parse_launch ("appsrc name=src caps=video/x-raw,"
      "format=RGBA,width=64,height=48,framerate=30/1 format=time ! rkgray "
      "name=g ! fakesink", NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (p), "src");
  GstBus *bus = gst_element_get_bus (p);
  GstBuffer *tiny = gst_buffer_new_allocate (NULL, 100, NULL);
  GstFlowReturn ret;
  GstMessage *m;
  GError *err = NULL;
  gchar *debug = NULL;

  gst_element_set_state (p, GST_STATE_PLAYING);
  GST_BUFFER_PTS (tiny) = 0;
  g_signal_emit_by_name (src, "push-buffer", tiny, &ret);
  g_assert_cmpint (ret, ==, GST_FLOW_OK);
  gst_buffer_unref (tiny);
  m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
  g_assert_nonnull (m);
  gst_message_parse_error (m, &err, &debug);
  g_assert_cmpstr (err->message, ==, "Ring kernel g failed on the CPU "
      "backend.");
  g_assert_nonnull (strstr (debug, "buffer of 100 bytes is smaller than a "
          "64x48 RGBA frame (12288 bytes)"));
  g_error_free (err);
  g_free (debug);
  gst_message_unref (m);
  g_assert_cmpint (gst_element_set_state (p, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (p);
}

int
main (int argc, char **argv)
{
  rk_test_init (&argc, &argv);
  g_test_add_func ("/bad-input/property-out-of-range",
      test_property_out_of_range);
  g_test_add_func ("/bad-input/property-malformed", test_property_malformed);
  g_test_add_func ("/bad-input/kernel-params", test_kernel_params);
  g_test_add_func ("/bad-input/launch-options", test_launch_options);
  g_test_add_func ("/bad-input/message-bytes", test_message_bytes);
  g_test_add_func ("/bad-input/short-frame", test_short_frame);
  return g_test_run ();
}
