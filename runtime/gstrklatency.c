/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gstrklatency.h"

#define SUB (1u << GST_RK_LATENCY_SUB_BITS)

void
gst_rk_latency_histogram_reset (GstRkLatencyHistogram * h)
{
  memset (h, 0, sizeof (*h));
}

/* Values below SUB map to themselves; above, (exponent, top bits). */
static guint
bucket_of (guint64 ns)
{
  guint e;

  if (ns < SUB)
    return (guint) ns;
  e = g_bit_storage (ns) - 1;   /* position of the leading one, >= SUB_BITS */
  return MIN ((e - GST_RK_LATENCY_SUB_BITS + 1) * SUB +
      (guint) ((ns >> (e - GST_RK_LATENCY_SUB_BITS)) & (SUB - 1)),
      GST_RK_LATENCY_N_BUCKETS - 1);
}

/* The midpoint of a bucket's range. */
static guint64
value_of (guint bucket)
{
  guint e, sub;
  guint64 low;

  if (bucket < SUB)
    return bucket;
  e = bucket / SUB + GST_RK_LATENCY_SUB_BITS - 1;
  sub = bucket % SUB;
  low = ((guint64) (SUB + sub)) << (e - GST_RK_LATENCY_SUB_BITS);
  return low + ((G_GUINT64_CONSTANT (1) << (e - GST_RK_LATENCY_SUB_BITS)) >> 1);
}

void
gst_rk_latency_histogram_record (GstRkLatencyHistogram * h, guint64 ns)
{
  guint b = bucket_of (ns);

  /* One writer at a time (the caller serialises records), readers at any
   * time: plain stores, not locked adds, which would wait for the
   * recorder's other stores on every message */
  __atomic_store_n (&h->counts[b], __atomic_load_n (&h->counts[b],
          __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
  __atomic_store_n (&h->total, __atomic_load_n (&h->total,
          __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

/**
 * gst_rk_latency_histogram_percentile:
 * @p: in [0, 1]
 *
 * Returns: the latency in ns below which a fraction @p of samples fall, or 0
 * without samples.
 */
guint64
gst_rk_latency_histogram_percentile (const GstRkLatencyHistogram * h,
    gdouble p)
{
  guint64 total = __atomic_load_n (&h->total, __ATOMIC_RELAXED);
  guint64 rank, seen = 0;
  guint i;

  if (total == 0)
    return 0;
  rank = (guint64) (p * (gdouble) total);
  if (rank >= total)
    rank = total - 1;
  for (i = 0; i < GST_RK_LATENCY_N_BUCKETS; i++) {
    seen += __atomic_load_n (&h->counts[i], __ATOMIC_RELAXED);
    if (seen > rank)
      return value_of (i);
  }
  return value_of (GST_RK_LATENCY_N_BUCKETS - 1);
}
