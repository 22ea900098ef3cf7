/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkpluginstatic.h"

GST_PLUGIN_STATIC_DECLARE (ringkernel);

/**
 * gst_rk_plugin_register_static:
 *
 * Registers the plugin linked into this binary (after gst_init()). The
 * binary carries its own runtime: a ringkernel plugin file loaded into the
 * process as well (found on GST_PLUGIN_PATH and scanned in-process) would
 * bring libgstringkernel-1.0.so, a second runtime with the same type names,
 * so that is a fatal error saying what to change. A plugin file that is
 * only listed in the registry is harmless: the elements registered here
 * replace its elements of the same names.
 */
void
gst_rk_plugin_register_static (void)
{
  GstPlugin *file = gst_registry_find_plugin (gst_registry_get (),
      "ringkernel");

  if (file != NULL) {
    if (gst_plugin_is_loaded (file))
      g_error ("the ringkernel plugin %s is loaded, but this program "
          "carries the plugin and the runtime itself: keep that file off "
          "GST_PLUGIN_PATH_1_0 (and GST_PLUGIN_SYSTEM_PATH_1_0) for it",
          GST_STR_NULL (gst_plugin_get_filename (file)));
    gst_object_unref (file);
  }
  GST_PLUGIN_STATIC_REGISTER (ringkernel);
}
