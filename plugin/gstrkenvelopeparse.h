/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_ENVELOPE_PARSE_H__
#define __GST_RK_ENVELOPE_PARSE_H__

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RK_ENVELOPE_PARSE (gst_rk_envelope_parse_get_type ())
G_DECLARE_FINAL_TYPE (GstRkEnvelopeParse, gst_rk_envelope_parse, GST,
    RK_ENVELOPE_PARSE, GstElement)

G_END_DECLS

#endif /* __GST_RK_ENVELOPE_PARSE_H__ */
