/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_DEVICE_MEMORY_PRIVATE_H__
#define __GST_RK_DEVICE_MEMORY_PRIVATE_H__

#include "gstrkdevicememory.h"
#include "gstrkbackend.h"

G_BEGIN_DECLS

GstMemory *gst_rk_device_memory_new (GstRkDevice * device, gsize size,
    GError ** error);
gpointer gst_rk_device_memory_get_handle (GstBuffer * buffer,
    GstRkDevice * device);
gpointer gst_rk_device_memory_get_handle_of (GstMemory * mem);
void gst_rk_device_memory_drop_cache (GstRkDevice * device);

G_END_DECLS

#endif /* __GST_RK_DEVICE_MEMORY_PRIVATE_H__ */
