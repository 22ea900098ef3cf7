/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __RK_BENCH_RING_H__
#define __RK_BENCH_RING_H__

#include "rkbenchjson.h"

G_BEGIN_DECLS

void rk_bench_ring_vs_element (RkJson * j, guint64 messages, guint repeats);
void rk_bench_ring_roundtrip (guint64 messages, guint64 * samples);

G_END_DECLS

#endif /* __RK_BENCH_RING_H__ */
