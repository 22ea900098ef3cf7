/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __RK_BENCH_DEVICE_CHAIN_H__
#define __RK_BENCH_DEVICE_CHAIN_H__

#include "rkbenchjson.h"

G_BEGIN_DECLS

void rk_bench_device_chain (RkJson * j, guint frames, guint width,
    guint height, guint repeats);

G_END_DECLS

#endif /* __RK_BENCH_DEVICE_CHAIN_H__ */
