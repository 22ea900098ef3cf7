/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkerror.h"

G_DEFINE_QUARK (gst-ringkernel-error-quark, gst_rk_error);
