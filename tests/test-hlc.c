/* Hybrid logical clock: the update rules, drift rejection, and uniqueness
 * under two threads. */
#include <stdlib.h>
#include "ringkernel.h"

static guint64
fake_now (gpointer data)
{
  return *(guint64 *) data;
}

static guint64
packed (const GstRkHlcTimestamp * t)
{
  return (t->physical << GST_RK_HLC_LOGICAL_BITS) + t->logical;
}

static void
test_tick_rules (void)
{
  GstRkHlc hlc;
  GstRkHlcTimestamp a, b;
  guint64 now = 1000000;

  gst_rk_hlc_init (&hlc, 7, GST_RK_HLC_DEFAULT_MAX_DRIFT_US);
  gst_rk_hlc_set_now_func (&hlc, fake_now, &now);

  gst_rk_hlc_tick (&hlc, &a);
  g_assert_cmpuint (a.physical, ==, 1000000);
  g_assert_cmpuint (a.logical, ==, 0);
  g_assert_cmpuint (a.node, ==, 7);

  /* Physical time stands still: the logical part counts. */
  gst_rk_hlc_tick (&hlc, &b);
  g_assert_cmpuint (b.physical, ==, 1000000);
  g_assert_cmpuint (b.logical, ==, 1);

  /* Physical time moves on: logical resets. */
  now = 1000005;
  gst_rk_hlc_tick (&hlc, &b);
  g_assert_cmpuint (b.physical, ==, 1000005);
  g_assert_cmpuint (b.logical, ==, 0);

  /* Physical time goes backwards: the clock does not. */
  now = 999000;
  gst_rk_hlc_tick (&hlc, &b);
  g_assert_cmpuint (b.physical, ==, 1000005);
  g_assert_cmpuint (b.logical, ==, 1);

  /* 4096 stamps in one microsecond carry into the physical part. */
  for (guint i = 0; i < 4095; i++)
    gst_rk_hlc_tick (&hlc, &b);
  g_assert_cmpuint (b.physical, ==, 1000006);
  g_assert_cmpuint (b.logical, ==, 0);
}

static void
test_update_rules (void)
{
  GstRkHlc hlc;
  GstRkHlcTimestamp out, remote = { 0, 0, 99 };
  guint64 now = 5000;

  gst_rk_hlc_init (&hlc, 1, 1000);
  gst_rk_hlc_set_now_func (&hlc, fake_now, &now);
  gst_rk_hlc_tick (&hlc, &out);         /* (5000, 0) */

  /* Remote ahead (within drift): adopt its physical part, logical + 1. */
  remote.physical = 5500;
  remote.logical = 3;
  g_assert_true (gst_rk_hlc_update (&hlc, &remote, &out, NULL));
  g_assert_cmpuint (out.physical, ==, 5500);
  g_assert_cmpuint (out.logical, ==, 4);

  /* Remote behind: local logical + 1. */
  remote.physical = 4000;
  remote.logical = 50;
  g_assert_true (gst_rk_hlc_update (&hlc, &remote, &out, NULL));
  g_assert_cmpuint (out.physical, ==, 5500);
  g_assert_cmpuint (out.logical, ==, 5);

  /* Same physical, remote logical larger: max + 1. */
  remote.physical = 5500;
  remote.logical = 20;
  g_assert_true (gst_rk_hlc_update (&hlc, &remote, &out, NULL));
  g_assert_cmpuint (out.logical, ==, 21);

  /* Local physical clock overtakes everything: (now, 0). */
  now = 9000;
  g_assert_true (gst_rk_hlc_update (&hlc, &remote, &out, NULL));
  g_assert_cmpuint (out.physical, ==, 9000);
  g_assert_cmpuint (out.logical, ==, 0);
}

static void
test_drift (void)
{
  GstRkHlc hlc;
  GstRkHlcTimestamp before, after, remote = { 0, 0, 42 };
  GError *err = NULL;
  guint64 now = 10000;

  gst_rk_hlc_init (&hlc, 1, 1000);
  gst_rk_hlc_set_now_func (&hlc, fake_now, &now);
  gst_rk_hlc_tick (&hlc, &before);

  remote.physical = 11001;
  g_assert_false (gst_rk_hlc_update (&hlc, &remote, NULL, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_CLOCK_DRIFT);
  g_assert_cmpstr (err->message, ==, "remote HLC stamp from node 42 is 1001 "
      "us ahead of the local clock (maximum drift 1000 us)");
  g_clear_error (&err);
  gst_rk_hlc_peek (&hlc, &after);
  g_assert_cmpint (gst_rk_hlc_timestamp_compare (&before, &after), ==, 0);

  /* A logical part large enough to carry past the drift bound also counts */
  remote.physical = 10000;
  remote.logical = 2000u << GST_RK_HLC_LOGICAL_BITS;
  g_assert_false (gst_rk_hlc_update (&hlc, &remote, NULL, &err));
  g_clear_error (&err);

  /* Physical times beyond the clock's range */
  remote.physical = G_MAXUINT64;
  remote.logical = 0;
  g_assert_false (gst_rk_hlc_update (&hlc, &remote, NULL, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_CLOCK_DRIFT);
  g_clear_error (&err);

  /* Exactly at the bound is accepted */
  remote.physical = 11000;
  g_assert_true (gst_rk_hlc_update (&hlc, &remote, &after, NULL));
  g_assert_cmpuint (after.physical, ==, 11000);
}

static void
test_compare (void)
{
  GstRkHlcTimestamp a = { 10, 5, 1 }, b = { 10, 5, 2 }, c = { 10, 6, 0 },
      d = { 11, 0, 0 };

  g_assert_cmpint (gst_rk_hlc_timestamp_compare (&a, &b), <, 0);
  g_assert_cmpint (gst_rk_hlc_timestamp_compare (&b, &c), <, 0);
  g_assert_cmpint (gst_rk_hlc_timestamp_compare (&c, &d), <, 0);
  g_assert_cmpint (gst_rk_hlc_timestamp_compare (&d, &a), >, 0);
  g_assert_cmpint (gst_rk_hlc_timestamp_compare (&a, &a), ==, 0);
}

#define N_TICKS 1000000

typedef struct
{
  GstRkHlc *hlc;
  guint64 *stamps;
} Ticker;

static gpointer
ticker_main (gpointer data)
{
  Ticker *t = data;

  for (guint i = 0; i < N_TICKS; i++) {
    GstRkHlcTimestamp ts;
    gst_rk_hlc_tick (t->hlc, &ts);
    t->stamps[i] = packed (&ts);
  }
  return NULL;
}

static int
cmp_u64 (const void *a, const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return x < y ? -1 : x > y;
}

static void
test_two_threads_unique (void)
{
  GstRkHlc hlc;
  Ticker t[2];
  GThread *th[2];
  guint64 *all = g_new (guint64, 2 * N_TICKS);

  gst_rk_hlc_init (&hlc, 3, GST_RK_HLC_DEFAULT_MAX_DRIFT_US);
  for (guint k = 0; k < 2; k++) {
    t[k].hlc = &hlc;
    t[k].stamps = all + k * N_TICKS;
    th[k] = g_thread_new ("ticker", ticker_main, &t[k]);
  }
  for (guint k = 0; k < 2; k++)
    g_thread_join (th[k]);

  /* No step backwards within a thread */
  for (guint k = 0; k < 2; k++)
    for (guint i = 1; i < N_TICKS; i++)
      if (t[k].stamps[i] <= t[k].stamps[i - 1])
        g_error ("thread %u: stamp %u not after stamp %u", k, i, i - 1);

  /* No duplicate across threads */
  qsort (all, 2 * N_TICKS, sizeof (guint64), cmp_u64);
  for (guint i = 1; i < 2 * N_TICKS; i++)
    if (all[i] == all[i - 1])
      g_error ("duplicate stamp %" G_GUINT64_FORMAT, all[i]);
  g_free (all);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hlc/tick-rules", test_tick_rules);
  g_test_add_func ("/hlc/update-rules", test_update_rules);
  g_test_add_func ("/hlc/drift", test_drift);
  g_test_add_func ("/hlc/compare", test_compare);
  g_test_add_func ("/hlc/two-threads-unique", test_two_threads_unique);
  return g_test_run ();
}
