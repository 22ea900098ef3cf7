/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_LATENCY_H__
#define __GST_RK_LATENCY_H__

#include <glib.h>

G_BEGIN_DECLS

/*
 * A log-linear latency histogram: 16 buckets per power of two of
 * nanoseconds, so percentiles are within about 6%, in 5 KiB, without
 * storing samples. One writer (the thread that receives outputs); readers
 * may see a sample or two in flight, which stats tolerate.
 */
#define GST_RK_LATENCY_SUB_BITS 4
#define GST_RK_LATENCY_N_BUCKETS (48 << GST_RK_LATENCY_SUB_BITS)

typedef struct
{
  guint64 counts[GST_RK_LATENCY_N_BUCKETS];
  guint64 total;
} GstRkLatencyHistogram;

void gst_rk_latency_histogram_reset (GstRkLatencyHistogram * h);
void gst_rk_latency_histogram_record (GstRkLatencyHistogram * h, guint64 ns);
guint64 gst_rk_latency_histogram_percentile (const GstRkLatencyHistogram * h,
    gdouble p);

G_END_DECLS

#endif /* __GST_RK_LATENCY_H__ */
