/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __RK_BENCH_FRAMES_H__
#define __RK_BENCH_FRAMES_H__

#include "rkbenchjson.h"

G_BEGIN_DECLS

void rk_bench_frames (RkJson * j, GList * backends, guint frames,
    guint width, guint height, const gchar * format, guint in_flight);

G_END_DECLS

#endif /* __RK_BENCH_FRAMES_H__ */
