/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_VULKAN_VOLK_H__
#define __GST_RK_VULKAN_VOLK_H__

/* volk's global function pointers are named like the Vulkan API itself:
 * hidden, they can never stand in for the real vkCreateInstance of an
 * application (or a GStreamer library) that links libvulkan. */
#pragma GCC visibility push(hidden)
#include <volk.h>
#pragma GCC visibility pop

#endif /* __GST_RK_VULKAN_VOLK_H__ */
