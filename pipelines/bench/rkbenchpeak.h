/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __RK_BENCH_PEAK_H__
#define __RK_BENCH_PEAK_H__

#include "rkbenchjson.h"

G_BEGIN_DECLS

void rk_bench_simd_peak (RkJson * j, gdouble seconds, guint repeats);

G_END_DECLS

#endif /* __RK_BENCH_PEAK_H__ */
