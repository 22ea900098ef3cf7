/* Latency histogram: percentiles within the bucket precision. */
#include "ringkernel.h"
#include "gstrklatency.h"

static void
test_percentiles (void)
{
  GstRkLatencyHistogram *h = g_new (GstRkLatencyHistogram, 1);

  gst_rk_latency_histogram_reset (h);
  g_assert_cmpuint (gst_rk_latency_histogram_percentile (h, 0.5), ==, 0);

  /* 1 .. 100000 ns, one sample each */
  for (guint64 v = 1; v <= 100000; v++)
    gst_rk_latency_histogram_record (h, v);
  for (gdouble p = 0.1; p < 1.0; p += 0.1) {
    gdouble exact = p * 100000, got =
        (gdouble) gst_rk_latency_histogram_percentile (h, p);
    g_assert_cmpfloat (ABS (got - exact) / exact, <, 1.0 / 16);
  }
  gst_rk_latency_histogram_record (h, G_MAXUINT64);     /* clamps, no overflow */
  g_assert_cmpuint (gst_rk_latency_histogram_percentile (h, 1.0), >, 1000000);

  /* Small values are exact */
  gst_rk_latency_histogram_reset (h);
  for (guint i = 0; i < 10; i++)
    gst_rk_latency_histogram_record (h, 7);
  g_assert_cmpuint (gst_rk_latency_histogram_percentile (h, 0.99), ==, 7);
  g_free (h);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/latency/percentiles", test_percentiles);
  return g_test_run ();
}
