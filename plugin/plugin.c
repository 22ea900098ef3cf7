/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * plugin-ringkernel:
 *
 * Persistent ring kernels: one element rk<kernel> per registered kernel,
 * on the CPU, CUDA or Vulkan backend. The plugin loads and every element
 * works on machines without a GPU: the CPU backend serves.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrkelement.h"
#include "gstrkuser.h"
#include "gstrkhlchdrext.h"
#include "gstrkenvelopeparse.h"

/* A kernel registered after the plugin loaded becomes an element too. */
static void
kernel_registered (const GstRkKernelInfo * info, gpointer plugin)
{
  if (!(info->flags & GST_RK_KERNEL_FLAG_NO_ELEMENT))
    gst_rk_element_register (plugin, info, GST_RANK_NONE);
}

static gboolean
plugin_init (GstPlugin * plugin)
{
  GPtrArray *kernels;
  gboolean ok = TRUE;
  guint i;

  gst_rk_init ();
  gst_type_mark_as_plugin_api (GST_TYPE_RK_BACKEND_KIND, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_RK_KERNEL_MODE, 0);

  gst_rk_registry_add_listener (kernel_registered, plugin);
  /* The element for user kernels, loaded from files */
  ok &= gst_element_register (plugin, "ringkernel", GST_RANK_NONE,
      GST_TYPE_RK_USER);
  /* The HLC stamp across RTP: a rank, so that payloaders and depayloaders
   * with auto-header-extension find it by its URI. */
  ok &= gst_element_register (plugin, "rtphdrextrkhlc", GST_RANK_MARGINAL,
      GST_TYPE_RK_HLC_HDR_EXT);
  /* application/x-ringkernel from the network, one message a buffer */
  ok &= gst_element_register (plugin, "rkenvelopeparse", GST_RANK_NONE,
      GST_TYPE_RK_ENVELOPE_PARSE);
  kernels = gst_rk_registry_list ();
  for (i = 0; i < kernels->len; i++)
    kernel_registered (g_ptr_array_index (kernels, i), plugin);
  g_ptr_array_unref (kernels);
  return ok;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, ringkernel,
    "Persistent ring kernels (CPU, CUDA, Vulkan) as GStreamer elements",
    plugin_init, PACKAGE_VERSION, "LGPL", "gst-ringkernel",
    "Unknown package origin")
