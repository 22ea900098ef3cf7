/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_HLC_HDR_EXT_H__
#define __GST_RK_HLC_HDR_EXT_H__

#include <gst/gst.h>
#include <gst/rtp/rtp.h>

G_BEGIN_DECLS

#define GST_TYPE_RK_HLC_HDR_EXT (gst_rk_hlc_hdr_ext_get_type ())
G_DECLARE_FINAL_TYPE (GstRkHlcHdrExt, gst_rk_hlc_hdr_ext, GST, RK_HLC_HDR_EXT,
    GstRTPHeaderExtension)

G_END_DECLS

#endif /* __GST_RK_HLC_HDR_EXT_H__ */
