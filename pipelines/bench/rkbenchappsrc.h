/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __RK_BENCH_APPSRC_H__
#define __RK_BENCH_APPSRC_H__

#include <gst/gst.h>

#include "rkbenchjson.h"

G_BEGIN_DECLS

gchar *rk_bench_appsrc_pipeline (const gchar * element);
gboolean rk_bench_appsrc_echo_one (GstElement * pipeline);
void rk_bench_appsrc_roundtrip (RkJson * j, guint64 messages, guint repeats);

G_END_DECLS

#endif /* __RK_BENCH_APPSRC_H__ */
