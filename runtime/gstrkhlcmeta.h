/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_HLC_META_H__
#define __GST_RK_HLC_META_H__

#include <gst/gst.h>
#include "gstrkapi.h"
#include "gstrkhlc.h"

G_BEGIN_DECLS

#define GST_RK_HLC_META_API_TYPE (gst_rk_hlc_meta_api_get_type ())
#define GST_RK_HLC_META_INFO (gst_rk_hlc_meta_get_info ())

/**
 * GstRkHlcMeta:
 * @meta: parent
 * @stamp: HLC stamp of the message the buffer came out of
 * @kernel_id: the kernel that emitted it (0 = host)
 * @message_id: message id within that kernel
 * @correlation_id: request/response correlation, 0 when none
 *
 * Every buffer a ring-kernel element pushes carries one. A ring-kernel
 * element that receives a buffer with one first merges the stamp into its
 * clock, so stamps strictly increase along a chain of kernels.
 */
typedef struct
{
  GstMeta meta;

  GstRkHlcTimestamp stamp;
  guint32 kernel_id;
  guint64 message_id;
  guint64 correlation_id;
} GstRkHlcMeta;

GST_RK_API
GType gst_rk_hlc_meta_api_get_type (void);
GST_RK_API
const GstMetaInfo *gst_rk_hlc_meta_get_info (void);

GST_RK_API
GstRkHlcMeta *gst_buffer_get_rk_hlc_meta (GstBuffer * buffer);

GST_RK_API
GstRkHlcMeta *gst_buffer_add_rk_hlc_meta (GstBuffer * buffer,
    const GstRkHlcTimestamp * stamp, guint32 kernel_id, guint64 message_id,
    guint64 correlation_id);

G_END_DECLS

#endif /* __GST_RK_HLC_META_H__ */
