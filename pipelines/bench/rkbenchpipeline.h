/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __RK_BENCH_PIPELINE_H__
#define __RK_BENCH_PIPELINE_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* What the element named "sink" saw, and the process's threads while it
 * saw buffers (0 unless asked for). */
typedef struct
{
  guint64 count;
  guint64 first_ns;
  guint64 last_ns;
  gint started;                 /* atomic: the sink has seen a buffer */
  gboolean sample_threads;
  guint first_threads;          /* at the first buffer, by the sink's thread */
  guint max_threads;
  guint64 host_bytes;           /* payload bytes ring kernels copied between
                                 * host and device (their stats) */
} RkBenchTiming;

GstElement *rk_bench_parse (const gchar * desc);
guint64 rk_bench_run_pipeline (const gchar * desc, RkBenchTiming * timing,
    gboolean sample_threads);
guint rk_bench_count_threads (void);
guint rk_bench_settle_threads (void);
void rk_bench_print_bus_error (GstElement * pipeline, const gchar * desc);

G_END_DECLS

#endif /* __RK_BENCH_PIPELINE_H__ */
