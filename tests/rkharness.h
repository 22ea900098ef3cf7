/* A GstHarness around a ring-kernel element at the grid size the test run
 * asks for (RK_TEST_GRID_SIZE, see tests/meson.build's grid variants). */
#ifndef __RK_HARNESS_H__
#define __RK_HARNESS_H__

#include <gst/check/gstharness.h>

G_BEGIN_DECLS

GstHarness *rk_test_harness_new (const gchar * factory);
void rk_test_harness_teardown (GstHarness * h);
guint rk_test_stats_grid_size (GstElement * e);

G_END_DECLS

#endif /* __RK_HARNESS_H__ */
