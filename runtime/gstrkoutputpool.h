/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_OUTPUT_POOL_H__
#define __GST_RK_OUTPUT_POOL_H__

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RK_OUTPUT_POOL (gst_rk_output_pool_get_type ())
G_DECLARE_FINAL_TYPE (GstRkOutputPool, gst_rk_output_pool, GST, RK_OUTPUT_POOL,
    GstBufferPool)

GstBufferPool *gst_rk_output_pool_new (void);

G_END_DECLS

#endif /* __GST_RK_OUTPUT_POOL_H__ */
