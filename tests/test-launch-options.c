/* Launch options: seed defaults, validation, power-of-two rounding. */
#include "ringkernel.h"

static void
test_defaults (void)
{
  GstRkLaunchOptions o;

  gst_rk_launch_options_init (&o);
  g_assert_cmpint (o.mode, ==, GST_RK_KERNEL_MODE_AUTO);
  g_assert_cmpuint (o.grid_size, ==, 0);
  g_assert_cmpuint (o.block_size, ==, 256);
  g_assert_cmpuint (o.input_queue_capacity, ==, 1024);
  g_assert_cmpuint (o.output_queue_capacity, ==, 1024);
  g_assert_cmpuint (o.shared_memory_size, ==, 0);
  g_assert_true (o.auto_activate);
  g_assert_true (gst_rk_launch_options_validate (&o, NULL));
}

static void
test_rounding (void)
{
  static const guint32 in[] = { 1, 2, 3, 16, 17, 1000, 1024, 1025, 1 << 20 };
  static const guint32 out[] = { 1, 2, 4, 16, 32, 1024, 1024, 2048, 1 << 20 };

  for (guint i = 0; i < G_N_ELEMENTS (in); i++) {
    GstRkLaunchOptions o;

    gst_rk_launch_options_init (&o);
    o.input_queue_capacity = in[i];
    o.output_queue_capacity = in[i];
    g_assert_true (gst_rk_launch_options_validate (&o, NULL));
    g_assert_cmpuint (o.input_queue_capacity, ==, out[i]);
    g_assert_cmpuint (o.output_queue_capacity, ==, out[i]);
  }
}

typedef struct
{
  void (*set) (GstRkLaunchOptions * o);
  const gchar *message;
} BadCase;

static void set_in0 (GstRkLaunchOptions * o) { o->input_queue_capacity = 0; }
static void set_out0 (GstRkLaunchOptions * o) { o->output_queue_capacity = 0; }
static void set_in_huge (GstRkLaunchOptions * o) { o->input_queue_capacity = (1u << 20) + 1; }
static void set_grid (GstRkLaunchOptions * o) { o->grid_size = 70000; }
static void set_block0 (GstRkLaunchOptions * o) { o->block_size = 0; }
static void set_block_huge (GstRkLaunchOptions * o) { o->block_size = 2048; }
static void set_shm (GstRkLaunchOptions * o) { o->shared_memory_size = 1u << 30; }
static void set_mode (GstRkLaunchOptions * o) { o->mode = 7; }

static void
test_refusals (void)
{
  static const BadCase cases[] = {
    {set_in0, "input-queue-capacity is 0: a queue needs at least one slot"},
    {set_out0, "output-queue-capacity is 0: a queue needs at least one slot"},
    {set_in_huge, "input-queue-capacity 1048577 is larger than the maximum of "
          "1048576 slots"},
    {set_grid, "grid-size 70000 is larger than the maximum of 65535 blocks"},
    {set_block0, "block-size 0 is outside 1 to 1024 threads"},
    {set_block_huge, "block-size 2048 is outside 1 to 1024 threads"},
    {set_shm, "shared-memory-size 1073741824 is larger than the maximum of "
          "262144 bytes"},
    {set_mode, "mode 7 is not a kernel mode"},
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    GstRkLaunchOptions o;
    GError *err = NULL;

    gst_rk_launch_options_init (&o);
    cases[i].set (&o);
    g_assert_false (gst_rk_launch_options_validate (&o, &err));
    g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT);
    g_assert_cmpstr (err->message, ==, cases[i].message);
    g_error_free (err);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/launch-options/defaults", test_defaults);
  g_test_add_func ("/launch-options/rounding", test_rounding);
  g_test_add_func ("/launch-options/refusals", test_refusals);
  return g_test_run ();
}
