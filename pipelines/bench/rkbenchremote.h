/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __RK_BENCH_REMOTE_H__
#define __RK_BENCH_REMOTE_H__

#include "rkbenchjson.h"

G_BEGIN_DECLS

void rk_bench_remote_call (RkJson * j, const gchar * self_path,
    guint64 calls);
int rk_bench_remote_serve (const gchar * transport, gint port_a, gint port_b);
void rk_bench_hdrext_cost (RkJson * j, guint64 buffers, guint repeats);

G_END_DECLS

#endif /* __RK_BENCH_REMOTE_H__ */
