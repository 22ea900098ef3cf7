/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The benchmarks' clock and sample sorting: one monotonic clock in
 * nanoseconds, latency samples sorted in place for percentiles, and the
 * median of a few repeats.
 */
#ifndef __RK_BENCH_CLOCK_H__
#define __RK_BENCH_CLOCK_H__

#include <stdlib.h>
#include <time.h>
#include <glib.h>

static inline guint64
rk_bench_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (guint64) ts.tv_sec * 1000000000u + (guint64) ts.tv_nsec;
}

static inline int
rk_bench_cmp_u64 (const void *a, const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* Sorts @n samples in place; afterwards rk_bench_percentile() reads them. */
static inline void
rk_bench_sort_u64 (guint64 * v, guint64 n)
{
  qsort (v, n, sizeof (guint64), rk_bench_cmp_u64);
}

/* The @p-quantile (0..1) of @n sorted samples. */
static inline guint64
rk_bench_percentile (const guint64 * sorted, guint64 n, gdouble p)
{
  return sorted[MIN ((guint64) (p * n), n - 1)];
}

static inline int
rk_bench_cmp_double (const void *a, const void *b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

/* The median of @n values (left in their order). */
static inline gdouble
rk_bench_median (const gdouble * v, guint n)
{
  gdouble *c = g_memdup2 (v, n * sizeof (gdouble)), m;

  qsort (c, n, sizeof (gdouble), rk_bench_cmp_double);
  m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  g_free (c);
  return m;
}

#endif /* __RK_BENCH_CLOCK_H__ */
