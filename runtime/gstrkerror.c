/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkerrorprivate.h"

G_DEFINE_QUARK (gst-ringkernel-error-quark, gst_rk_error);

/**
 * gst_rk_error_not_negotiated:
 * @kernel: the kernel's registry name
 *
 * The error of a kernel handed data before its caps set it up (a config
 * without the layout or blob the kernel needs). Shared by every backend.
 */
void
gst_rk_error_not_negotiated (GError ** error, const gchar * kernel)
{
  g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
      "rk%s received a buffer before its caps were negotiated", kernel);
}
