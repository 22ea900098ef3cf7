/* CUDA user kernels (NVRTC), with the fake device standing in for a GPU:
 * the examples compile and declare what they are; every bad file is
 * refused with a clear error (compile error with the compiler's log, wrong
 * entry, wrong ABI version, no RK_USER_KERNEL, not text, libnvrtc
 * missing). NVRTC runs without a GPU, so all of that runs here. Running
 * the compiled PTX needs a GPU (the fake device runs only the built-in
 * kernels' host builds): test-cuda-device.c's /cuda/device/user-counter
 * runs the counter.cu example there, in both modes. */
#include <string.h>
#include <glib/gstdio.h>
#include <gmodule.h>

#include "gstrkuserkernel.h"
#include "gstrkruntime.h"
#include "gstrkerror.h"
#include "rktest.h"
#include "rkfakecuda.h"

static gchar *tmp_dir;

/* NVRTC is the toolkit's (meson points GST_RK_CUDA_NVRTC at it) or the
 * loader's: on a machine with neither, the cases that compile skip, unless
 * RK_TEST_REQUIRE_CUDA=1 says this machine has CUDA. */
static gboolean
skip_without_nvrtc (void)
{
  static const gchar *names[] = { "libnvrtc.so.13", "libnvrtc.so.12",
    "libnvrtc.so"
  };
  GModule *m = NULL;

  if (g_getenv ("GST_RK_CUDA_NVRTC"))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names) && m == NULL; i++)
    m = g_module_open (names[i], G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (m) {
    g_module_close (m);
    return FALSE;
  }
  if (g_strcmp0 (g_getenv ("RK_TEST_REQUIRE_CUDA"), "1") == 0)
    g_error ("RK_TEST_REQUIRE_CUDA=1 but no libnvrtc was found");
  g_test_skip ("no libnvrtc here (the CUDA toolkit is not installed)");
  return TRUE;
}

static gchar *
write_kernel (const gchar * name, const gchar * text)
{
  gchar *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static const GstRkKernelInfo *
load (const gchar * path, const gchar * entry, GError ** err)
{
  GstRkBackendKind backend = GST_RK_BACKEND_AUTO;
  const GstRkKernelInfo *info = gst_rk_user_kernel_load (path, entry, 0,
      NULL, &backend, err);

  if (info)
    g_assert_cmpint (backend, ==, GST_RK_BACKEND_CUDA);
  return info;
}

static void
assert_load_fails (const gchar * path, const gchar * entry,
    const gchar * const *expect)
{
  GError *err = NULL;

  g_assert_null (load (path, entry, &err));
  g_assert_nonnull (err);
  for (guint i = 0; expect[i]; i++) {
    if (strstr (err->message, expect[i]) == NULL)
      g_error ("\"%s\" not in the error: %s", expect[i], err->message);
  }
  g_error_free (err);
}

static void
test_examples_compile (void)
{
  GError *err = NULL;
  const GstRkKernelInfo *counter, *vignette;

  if (skip_without_nvrtc ())
    return;
  counter = load (RK_EXAMPLES_DIR "/counter.cu", NULL, &err);
  g_assert_no_error (err);
  g_assert_nonnull (counter);
  g_assert_cmpuint (counter->state_size, ==, 8);
  g_assert_cmpint (counter->kind, ==, GST_RK_KERNEL_KIND_MESSAGE);
  vignette = load (RK_EXAMPLES_DIR "/vignette.cu", NULL, &err);
  g_assert_no_error (err);
  g_assert_nonnull (vignette);
  g_assert_cmpint (vignette->kind, ==, GST_RK_KERNEL_KIND_FRAME);
}

static void
test_compile_error (void)
{
  gchar *path = write_kernel ("broken.cu", "RK_USER_KERNEL (8, 0);\n"
      "__device__ int\nrk_kernel (rk_cuda_message *msg)\n{\n"
      "  return undefined_thing;\n}\n");
  const gchar *expect[] = { "broken.cu does not compile",
    "broken.cu(5): error", "identifier \"undefined_thing\" is undefined",
    NULL
  };

  if (skip_without_nvrtc ()) {
    g_free (path);
    return;
  }
  assert_load_fails (path, NULL, expect);
  g_free (path);
}

static void
test_wrong_entry (void)
{
  const gchar *expect[] = { "counter.cu has no device function rk_nope",
    "__device__ int rk_nope (rk_cuda_message *msg)", NULL
  };

  if (skip_without_nvrtc ())
    return;

  assert_load_fails (RK_EXAMPLES_DIR "/counter.cu", "rk_nope", expect);
}

static void
test_wrong_abi (void)
{
  gchar *path = write_kernel ("old-abi.cu", "RK_USER_KERNEL_ABI (2, 8, 0);\n"
      "__device__ int\nrk_kernel (rk_cuda_message *msg)\n{\n"
      "  return 0;\n}\n");
  const gchar *expect[] = { "old-abi.cu was written for user-kernel ABI "
        "version 2, this plugin has version 1", NULL
  };

  if (skip_without_nvrtc ()) {
    g_free (path);
    return;
  }
  assert_load_fails (path, NULL, expect);
  g_free (path);
}

static void
test_no_declaration (void)
{
  gchar *path = write_kernel ("undeclared.cu", "__device__ int\n"
      "rk_kernel (rk_cuda_message *msg)\n{\n  return 0;\n}\n");
  const gchar *expect[] = { "undeclared.cu does not declare RK_USER_KERNEL "
        "(state_size, flags)", NULL
  };

  if (skip_without_nvrtc ()) {
    g_free (path);
    return;
  }
  assert_load_fails (path, NULL, expect);
  g_free (path);
}

static void
test_not_text (void)
{
  gchar *path = g_build_filename (tmp_dir, "binary.cu", NULL);
  static const gchar bytes[] = { 0x7f, 'E', 'L', 'F', 0, 1, 2, 3 };
  const gchar *expect[] = { "binary.cu is not CUDA source text", NULL };

  g_assert_true (g_file_set_contents (path, bytes, sizeof (bytes), NULL));
  assert_load_fails (path, NULL, expect);
  g_free (path);
}

/* In a child process: libnvrtc is opened once per process */
static void
test_missing_nvrtc (void)
{
  if (g_test_subprocess ()) {
    const gchar *expect[] = { "NVRTC unavailable: no usable libnvrtc "
          "(tried /nonexistent/libnvrtc.so.13; GST_RK_CUDA_NVRTC names "
          "another)", NULL
    };

    g_setenv ("GST_RK_CUDA_NVRTC", "/nonexistent/libnvrtc.so.13", TRUE);
    assert_load_fails (RK_EXAMPLES_DIR "/counter.cu", NULL, expect);
    return;
  }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* ---- Beside a persistent kernel: modules load with the kernel ---- */

static GstRkKernel *
launch_on (GstRkRuntime * rt, const gchar * name, GstRkKernelMode mode,
    GError ** error)
{
  GstRkLaunchOptions o;

  gst_rk_launch_options_init (&o);
  o.mode = mode;
  o.grid_size = 1;
  o.input_queue_capacity = o.output_queue_capacity = 8;
  return gst_rk_runtime_launch (rt, name, NULL, GST_RK_BACKEND_CUDA, -1, &o,
      NULL, error);
}

/* A user kernel loaded while the device is open is loaded into its
 * context at once, so its launch beside a persistent kernel loads nothing
 * (it then fails only because the fake device cannot run PTX). */
static void
test_loaded_with_kernel (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  const GstRkKernelInfo *info;
  GstRkKernel *ev, *k;
  GError *err = NULL;

  if (skip_without_nvrtc ()) {
    gst_object_unref (rt);
    return;
  }
  ev = launch_on (rt, "echo", GST_RK_KERNEL_MODE_EVENT_DRIVEN, &err);
  g_assert_no_error (err);      /* the device is open */
  info = load (RK_EXAMPLES_DIR "/counter.cu", NULL, &err);
  g_assert_no_error (err);
  k = launch_on (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, &err);
  g_assert_no_error (err);
  g_assert_null (launch_on (rt, info->name, GST_RK_KERNEL_MODE_PERSISTENT,
          &err));
  if (strstr (err->message, "the fake device cannot run PTX") == NULL)
    g_error ("not the fake device's refusal: %s", err->message);
  g_clear_error (&err);
  g_assert_cmpuint (rk_fake_cuda_tripwires (), ==, 0);
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  g_assert_true (gst_rk_kernel_terminate (ev, NULL));
  gst_object_unref (k);
  gst_object_unref (ev);
  gst_object_unref (rt);
}

/* One loaded only once a persistent kernel runs is refused with the
 * reason, rather than loaded (which would stall the device). */
static void
test_loaded_too_late (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CUDA, -1);
  const GstRkKernelInfo *info;
  GstRkKernel *k;
  GError *err = NULL;
  gchar *text = NULL, *path;

  if (skip_without_nvrtc ()) {
    gst_object_unref (rt);
    return;
  }
  /* A file of its own: one loaded before would be loaded at open */
  g_assert_true (g_file_get_contents (RK_EXAMPLES_DIR "/counter.cu", &text,
          NULL, NULL));
  path = write_kernel ("late.cu", text);
  g_free (text);
  k = launch_on (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, &err);
  g_assert_no_error (err);
  info = load (path, NULL, &err);
  g_assert_no_error (err);
  g_free (path);
  g_assert_null (launch_on (rt, info->name, GST_RK_KERNEL_MODE_EVENT_DRIVEN,
          &err));
  if (strstr (err->message, "is not loaded on " RK_FAKE_CUDA_DEVICE_NAME
          ", and loading it while persistent kernels run would stall the "
          "device until they end: load the kernel before any persistent "
          "kernel starts") == NULL)
    g_error ("not the refusal: %s", err->message);
  g_clear_error (&err);
  g_assert_cmpuint (rk_fake_cuda_tripwires (), ==, 0);
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  gst_object_unref (k);
  gst_object_unref (rt);
}

int
main (int argc, char **argv)
{
  int ret;

  rk_fake_cuda_install ();
  rk_test_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("rk-cuda-user-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/cuda/user/examples-compile", test_examples_compile);
  g_test_add_func ("/cuda/user/compile-error", test_compile_error);
  g_test_add_func ("/cuda/user/wrong-entry", test_wrong_entry);
  g_test_add_func ("/cuda/user/wrong-abi", test_wrong_abi);
  g_test_add_func ("/cuda/user/no-declaration", test_no_declaration);
  g_test_add_func ("/cuda/user/not-text", test_not_text);
  g_test_add_func ("/cuda/user/missing-nvrtc", test_missing_nvrtc);
  g_test_add_func ("/cuda/user/loaded-with-kernel", test_loaded_with_kernel);
  g_test_add_func ("/cuda/user/loaded-too-late", test_loaded_too_late);
  ret = g_test_run ();
  rk_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
