/* libFuzzer target: user kernel files. The input bytes become a .spv file
 * that is loaded the way the ringkernel element loads kernel-file: framing
 * checks, SPIR-V validation, the scan for the entry point and the ABI
 * constants, then the pipeline. Refusals are fine; crashes, leaks and
 * out-of-bounds reads are not.
 *
 * Only SPIR-V is fuzzed: a CPU kernel is a shared object (ld.so parses it,
 * and loading one runs its code) and a CUDA kernel is a source NVIDIA's
 * NVRTC compiles; what we check around both is covered by the tests. */
#include <glib/gstdio.h>
#include "ringkernel.h"
#include "gstrkuserkernel.h"
#include "fuzzbytes.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static gchar *dir;
static gboolean have_vulkan;
static guint64 n_files;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  gchar *reason = NULL;

  gst_init (NULL, NULL);
  gst_rk_init ();
  have_vulkan = gst_rk_runtime_is_backend_available (GST_RK_BACKEND_VULKAN,
      &reason);
  if (!have_vulkan)
    g_printerr ("fuzz-userkernel: %s: only the checks before the backend "
        "run\n", reason);
  g_free (reason);
  dir = g_dir_make_tmp ("rk-fuzz-XXXXXX", NULL);
  g_assert (dir != NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  /* A new name each time: loaded kernels are remembered by path, time and
   * size, and a remembered one is not checked again. */
  gchar *path = g_strdup_printf ("%s/k%" G_GUINT64_FORMAT ".spv", dir,
      n_files++);
  GError *err = NULL;

  rk_fuzz_selftest ();
  if (g_file_set_contents (path, (const gchar *) data, (gssize) size, NULL)) {
    const GstRkKernelInfo *info = gst_rk_user_kernel_load (path,
        size % 2 ? "main" : NULL, 0, NULL, NULL, &err);

    g_assert ((info == NULL) == (err != NULL));
    g_clear_error (&err);
    g_unlink (path);
  }
  g_free (path);
  return 0;
}
