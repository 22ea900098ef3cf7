/* See rkharness.h. */
#include <stdlib.h>

#include "rkharness.h"
#include "rktest.h"

/* A harness around a new @factory element, at RK_TEST_GRID_SIZE if set
 * (before the harness starts it: the kernel launches with its grid). */
GstHarness *
rk_test_harness_new (const gchar * factory)
{
  GstElement *e = gst_element_factory_make (factory, NULL);
  GstHarness *h;

  g_assert_nonnull (e);
  rk_test_set_grid_size (e);
  h = gst_harness_new_with_element (e, "sink", "src");
  gst_object_unref (e);
  return h;
}

/* The grid the CPU kernel ran with (0 when no CPU kernel says). */
guint
rk_test_stats_grid_size (GstElement * e)
{
  GstStructure *stats = NULL;
  guint grid = 0;

  if (!g_object_class_find_property (G_OBJECT_GET_CLASS (e), "stats"))
    return 0;                   /* a reference element of GStreamer's */
  g_object_get (e, "stats", &stats, NULL);
  if (stats)
    gst_structure_get_uint (stats, "grid-size", &grid);
  g_clear_pointer (&stats, gst_structure_free);
  return grid;
}

/* Tears @h down, after checking that RK_TEST_GRID_SIZE reached a CPU
 * kernel that ran. */
void
rk_test_harness_teardown (GstHarness * h)
{
  const gchar *grid = g_getenv ("RK_TEST_GRID_SIZE");
  guint ran = rk_test_stats_grid_size (h->element);

  if (grid && ran)
    g_assert_cmpuint (ran, ==, atoi (grid));
  gst_harness_teardown (h);
}
