/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CUDA_PAYLOAD_H__
#define __GST_RK_CUDA_PAYLOAD_H__

#include "gstrkcudadevice.h"

G_BEGIN_DECLS

extern const GstRkDeviceMemoryOps gst_rk_cuda_payload_ops;

guint64 gst_rk_cuda_payload_get_ptr (gpointer handle);
void gst_rk_cuda_payload_close (GstRkCudaDevice * dev);

G_END_DECLS

#endif /* __GST_RK_CUDA_PAYLOAD_H__ */
