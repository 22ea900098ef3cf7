/* Loading the CUDA driver at run time: every way it can be missing gives a
 * clear reason, the plugin still loads and the CPU backend serves. Each
 * case runs in a subprocess, because the driver is probed once per
 * process. */
#include <string.h>

#include <gmodule.h>

#include "rktest.h"
#include "gstrkregistryprivate.h"
#include "gstrkcudadriver.h"
#include "gstrkcudakernel.h"

/* In a subprocess: the reason CUDA is unavailable with GST_RK_CUDA_DRIVER
 * set to @library (NULL: the default libcuda.so.1). */
static void
expect_reason (const gchar * library, const gchar * want)
{
  gchar *reason = NULL;

  if (library)
    g_setenv ("GST_RK_CUDA_DRIVER", library, TRUE);
  else
    g_unsetenv ("GST_RK_CUDA_DRIVER");
  g_assert_false (gst_rk_runtime_is_backend_available (GST_RK_BACKEND_CUDA,
          &reason));
  g_assert_cmpstr (reason, ==, want);
  g_free (reason);
}

static void
test_default_library (void)
{
  GModule *m = g_module_open ("libcuda.so.1", G_MODULE_BIND_LAZY);

  if (m) {
    g_module_close (m);
    g_test_skip ("a CUDA driver (libcuda.so.1) is installed here");
    return;
  }
  if (g_test_subprocess ()) {
    expect_reason (NULL, "CUDA unavailable: libcuda.so.1 not found");
    return;
  }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_missing_library (void)
{
  if (g_test_subprocess ()) {
    expect_reason ("/nonexistent/libcuda.so.1",
        "CUDA unavailable: /nonexistent/libcuda.so.1 not found");
    return;
  }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A library without the driver's entry points */
static void
test_not_a_driver (void)
{
  if (g_test_subprocess ()) {
    expect_reason ("libm.so.6",
        "CUDA unavailable: libm.so.6 has no cuInit (driver too old?)");
    return;
  }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* The toolkit's stub library has every entry point (so this also checks
 * each versioned name the loader asks for) and cuInit says 34. */
static void
test_stub_library (void)
{
  if (!g_file_test (RK_CUDA_STUB_LIBRARY, G_FILE_TEST_EXISTS)) {
    g_test_skip ("no CUDA stub library at " RK_CUDA_STUB_LIBRARY);
    return;
  }
  if (g_test_subprocess ()) {
    expect_reason (RK_CUDA_STUB_LIBRARY,
        "CUDA unavailable: cuInit failed: CUDA_ERROR_STUB_LIBRARY (34)");
    return;
  }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* CUDA_DEVICE_MAX_CONNECTIONS is raised to 32 before cuInit, so fewer
 * streams share a hardware queue with a persistent kernel; a value the
 * user set stays. */
static void
test_max_connections (void)
{
  if (!g_file_test (RK_CUDA_STUB_LIBRARY, G_FILE_TEST_EXISTS)) {
    g_test_skip ("no CUDA stub library at " RK_CUDA_STUB_LIBRARY);
    return;
  }
  if (g_test_subprocess ()) {
    const gchar *mine = g_getenv ("RK_TEST_MAX_CONNECTIONS");

    if (mine)
      g_setenv ("CUDA_DEVICE_MAX_CONNECTIONS", mine, TRUE);
    else
      g_unsetenv ("CUDA_DEVICE_MAX_CONNECTIONS");
    expect_reason (RK_CUDA_STUB_LIBRARY,
        "CUDA unavailable: cuInit failed: CUDA_ERROR_STUB_LIBRARY (34)");
    g_assert_cmpstr (g_getenv ("CUDA_DEVICE_MAX_CONNECTIONS"), ==,
        mine ? mine : "32");
    return;
  }
  g_unsetenv ("RK_TEST_MAX_CONNECTIONS");
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_setenv ("RK_TEST_MAX_CONNECTIONS", "4", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_unsetenv ("RK_TEST_MAX_CONNECTIONS");
}

/* Without a driver: auto runs on the CPU and says why; cuda named is an
 * error with the reason, from the C API and from an element. */
static void
test_fallback (void)
{
  if (g_test_subprocess ()) {
    GstRkRuntime *rt;
    GstRkKernel *k;
    GstElement *pipeline;
    GstMessage *msg;
    GError *err = NULL;
    gchar *dbg = NULL;

    g_setenv ("GST_RK_CUDA_DRIVER", "/nonexistent/libcuda.so.1", TRUE);
    rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
    k = gst_rk_runtime_launch (rt, "echo", NULL, GST_RK_BACKEND_AUTO, -1,
        NULL, NULL, &err);
    g_assert_no_error (err);
    g_assert_cmpint (gst_rk_kernel_get_backend (k), !=, GST_RK_BACKEND_CUDA);
    g_assert_nonnull (strstr (gst_rk_kernel_get_selection_note (k),
            "; CUDA: /nonexistent/libcuda.so.1 not found"));
    g_assert_true (gst_rk_kernel_terminate (k, NULL));
    gst_object_unref (k);

    g_assert_null (gst_rk_runtime_launch (rt, "echo", NULL,
            GST_RK_BACKEND_CUDA, -1, NULL, NULL, &err));
    g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE);
    g_assert_cmpstr (err->message, ==,
        "CUDA unavailable: /nonexistent/libcuda.so.1 not found");
    g_clear_error (&err);
    gst_object_unref (rt);

    pipeline = gst_parse_launch ("fakesrc num-buffers=1 ! rkecho "
        "backend=cuda ! fakesink", &err);
    g_assert_no_error (err);
    g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PAUSED), ==,
        GST_STATE_CHANGE_FAILURE);
    msg = gst_bus_pop_filtered (GST_ELEMENT_BUS (pipeline),
        GST_MESSAGE_ERROR);
    g_assert_nonnull (msg);
    gst_message_parse_error (msg, &err, &dbg);
    g_assert_cmpstr (err->message, ==, "Cannot launch kernel echo: CUDA "
        "unavailable: /nonexistent/libcuda.so.1 not found");
    g_clear_error (&err);
    g_free (dbg);
    gst_message_unref (msg);
    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (pipeline);
    return;
  }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_result_names (void)
{
  gchar *s = gst_rk_cuda_result_describe (CUDA_ERROR_STUB_LIBRARY);
  GError *err = NULL;

  g_assert_cmpstr (s, ==, "CUDA_ERROR_STUB_LIBRARY (34)");
  g_free (s);
  s = gst_rk_cuda_result_describe ((CUresult) 12345);
  g_assert_cmpstr (s, ==, "CUresult (12345)");
  g_free (s);
  g_assert_true (gst_rk_cuda_check (CUDA_SUCCESS, "cuNothing", &err));
  g_assert_false (gst_rk_cuda_check (CUDA_ERROR_ILLEGAL_ADDRESS, "cuThing",
          &err));
  g_assert_cmpstr (err->message, ==,
      "cuThing failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)");
  g_error_free (err);
}

/* The kernels' modules are embedded fatbins (magic 0xBA55ED50); a build
 * without nvcc embeds empty images, which the driver probe refuses */
static void
test_embedded_fatbins (void)
{
  const GstRkCudaKernel *kernels[] = { &gst_rk_cuda_kernel_echo,
    &gst_rk_cuda_kernel_gray,
    gst_rk_registry_get_implementation ("counter", GST_RK_BACKEND_CUDA),
  };

  for (guint i = 0; i < G_N_ELEMENTS (kernels); i++) {
    const guint32 *header = kernels[i]->image;

    g_assert_nonnull (kernels[i]);
    if (GST_RK_CUDA_DEVICE_CODE) {
      g_assert_cmphex (header[0], ==, 0xBA55ED50u);
      g_assert_cmpuint (header[1] & 0xffff, ==, 1);     /* version */
    } else {
      g_assert_cmphex (header[0], ==, 0);
      g_assert_cmphex (header[1], ==, 0);
    }
    g_assert_true (gst_rk_registry_get_implementation (kernels[i]->name,
            GST_RK_BACKEND_CUDA) == kernels[i]);
  }
}

int
main (int argc, char **argv)
{
  rk_test_init (&argc, &argv);
  g_test_add_func ("/cuda/loader/default-library", test_default_library);
  g_test_add_func ("/cuda/loader/missing-library", test_missing_library);
  g_test_add_func ("/cuda/loader/not-a-driver", test_not_a_driver);
  g_test_add_func ("/cuda/loader/stub-library", test_stub_library);
  g_test_add_func ("/cuda/loader/max-connections", test_max_connections);
  g_test_add_func ("/cuda/loader/fallback", test_fallback);
  g_test_add_func ("/cuda/loader/result-names", test_result_names);
  g_test_add_func ("/cuda/loader/embedded-fatbins", test_embedded_fatbins);
  return g_test_run ();
}
