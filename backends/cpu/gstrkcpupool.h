/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CPU_POOL_H__
#define __GST_RK_CPU_POOL_H__

#include <glib.h>

G_BEGIN_DECLS

/*
 * Grid × block emulation: a fork-join pool that splits [0, n_items) into
 * n_blocks ranges and runs them on helper threads and the caller. Several
 * kernels may run jobs at once; helpers take blocks from any of them.
 */
typedef struct _GstRkCpuPool GstRkCpuPool;

typedef void (*GstRkCpuRangeFunc) (guint begin, guint end, gpointer user_data);

GstRkCpuPool *gst_rk_cpu_pool_new (guint n_threads);
void gst_rk_cpu_pool_free (GstRkCpuPool * pool);
guint gst_rk_cpu_pool_get_n_threads (GstRkCpuPool * pool);

void gst_rk_cpu_pool_run (GstRkCpuPool * pool, guint n_items, guint n_blocks,
    GstRkCpuRangeFunc func, gpointer user_data);

G_END_DECLS

#endif /* __GST_RK_CPU_POOL_H__ */
