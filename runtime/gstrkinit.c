/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/gst.h>

#include "gstrkinit.h"
#include "gstrkbackend.h"
#include "gstrkfault.h"
#include "gstrkhlcmeta.h"
#include "kernels/gstrkbuiltinkernels.h"

/**
 * gst_rk_init:
 *
 * Registers the built-in kernels, every built backend's implementations of
 * them, and the HLC meta. Idempotent and thread-safe; the plugin and
 * gst_rk_runtime_new() call it, so applications rarely need to. Call
 * gst_init() first.
 */
void
gst_rk_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    static const GstRkBackendKind kinds[] = { GST_RK_BACKEND_CPU,
      GST_RK_BACKEND_CUDA, GST_RK_BACKEND_VULKAN
    };
    guint i;

    gst_rk_builtin_kernels_register ();
    for (i = 0; i < G_N_ELEMENTS (kinds); i++) {
      const GstRkBackend *backend = gst_rk_backend_get (kinds[i]);
      if (backend && backend->register_kernels)
        backend->register_kernels ();
    }
    gst_rk_hlc_meta_get_info ();
    if (g_getenv ("GST_RK_FAULT")) {
      GError *err = NULL;
      if (!gst_rk_fault_configure (g_getenv ("GST_RK_FAULT"), &err)) {
        g_warning ("%s", err->message);
        g_error_free (err);
      }
    }
    g_once_init_leave (&done, 1);
  }
}
