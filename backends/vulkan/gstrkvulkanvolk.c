/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* volk, header-only: its implementation is compiled here, once. The
 * loader is opened at run time (gstrkvulkaninstance.c), never linked.
 *
 * <dlfcn.h> comes first, outside the hidden-visibility region volk is
 * compiled in: a hidden reference to dlopen would hide libc's. */
#include <dlfcn.h>

#define VOLK_IMPLEMENTATION
#include "gstrkvulkanvolk.h"
