/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_DEVICE_MEMORY_H__
#define __GST_RK_DEVICE_MEMORY_H__

#include <gst/gst.h>
#include "gstrkapi.h"

G_BEGIN_DECLS

/**
 * GST_CAPS_FEATURE_MEMORY_RK_DEVICE:
 *
 * The caps feature of buffers whose payload stays on a ring kernel's device
 * (GstRkDeviceMemory). Two ring-kernel elements on one device negotiate it
 * between them, so a frame crosses to the host only where a host element
 * needs it.
 */
#define GST_CAPS_FEATURE_MEMORY_RK_DEVICE "memory:RingKernelDevice"

/**
 * GST_RK_DEVICE_MEMORY_TYPE:
 *
 * The memory type (and allocator name) of GstRkDeviceMemory.
 */
#define GST_RK_DEVICE_MEMORY_TYPE "RingKernelDevice"

GST_RK_API
gboolean gst_is_rk_device_memory (GstMemory * mem);

GST_RK_API
GstCaps *gst_rk_caps_with_device_memory (const GstCaps * caps);

G_END_DECLS

#endif /* __GST_RK_DEVICE_MEMORY_H__ */
