/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __RK_BENCH_SPLIT_H__
#define __RK_BENCH_SPLIT_H__

#include "rkbenchjson.h"

G_BEGIN_DECLS

void rk_bench_roundtrip_split (RkJson * j, GList * backends,
    guint64 messages);

G_END_DECLS

#endif /* __RK_BENCH_SPLIT_H__ */
