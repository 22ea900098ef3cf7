/* Lifecycle states: the seed's predicates and the transition rules. */
#include "ringkernel.h"

static const GstRkKernelState all[] = {
  GST_RK_KERNEL_STATE_CREATED, GST_RK_KERNEL_STATE_LAUNCHED,
  GST_RK_KERNEL_STATE_ACTIVE, GST_RK_KERNEL_STATE_DEACTIVATED,
  GST_RK_KERNEL_STATE_TERMINATING, GST_RK_KERNEL_STATE_TERMINATED,
};

static void
test_predicates (void)
{
  /* The seed's test_kernel_state_transitions, plus the rest of the table. */
  g_assert_true (gst_rk_kernel_state_can_activate (GST_RK_KERNEL_STATE_LAUNCHED));
  g_assert_true (gst_rk_kernel_state_can_activate (GST_RK_KERNEL_STATE_DEACTIVATED));
  g_assert_false (gst_rk_kernel_state_can_activate (GST_RK_KERNEL_STATE_ACTIVE));
  g_assert_false (gst_rk_kernel_state_can_activate (GST_RK_KERNEL_STATE_TERMINATED));
  g_assert_false (gst_rk_kernel_state_can_activate (GST_RK_KERNEL_STATE_CREATED));

  g_assert_true (gst_rk_kernel_state_can_deactivate (GST_RK_KERNEL_STATE_ACTIVE));
  g_assert_false (gst_rk_kernel_state_can_deactivate (GST_RK_KERNEL_STATE_LAUNCHED));
  g_assert_false (gst_rk_kernel_state_can_deactivate (GST_RK_KERNEL_STATE_DEACTIVATED));

  g_assert_true (gst_rk_kernel_state_can_terminate (GST_RK_KERNEL_STATE_ACTIVE));
  g_assert_true (gst_rk_kernel_state_can_terminate (GST_RK_KERNEL_STATE_DEACTIVATED));
  g_assert_true (gst_rk_kernel_state_can_terminate (GST_RK_KERNEL_STATE_LAUNCHED));
  g_assert_false (gst_rk_kernel_state_can_terminate (GST_RK_KERNEL_STATE_TERMINATED));
  g_assert_false (gst_rk_kernel_state_can_terminate (GST_RK_KERNEL_STATE_CREATED));
  g_assert_false (gst_rk_kernel_state_can_terminate (GST_RK_KERNEL_STATE_TERMINATING));

  for (guint i = 0; i < G_N_ELEMENTS (all); i++) {
    g_assert_cmpint (gst_rk_kernel_state_is_running (all[i]), ==,
        all[i] == GST_RK_KERNEL_STATE_ACTIVE);
    g_assert_cmpint (gst_rk_kernel_state_is_finished (all[i]), ==,
        all[i] == GST_RK_KERNEL_STATE_TERMINATED);
  }
}

static gboolean
legal (GstRkKernelState from, GstRkKernelState to)
{
  switch (to) {
    case GST_RK_KERNEL_STATE_LAUNCHED:
      return from == GST_RK_KERNEL_STATE_CREATED;
    case GST_RK_KERNEL_STATE_ACTIVE:
      return from == GST_RK_KERNEL_STATE_LAUNCHED ||
          from == GST_RK_KERNEL_STATE_DEACTIVATED;
    case GST_RK_KERNEL_STATE_DEACTIVATED:
      return from == GST_RK_KERNEL_STATE_ACTIVE;
    case GST_RK_KERNEL_STATE_TERMINATING:
      return from == GST_RK_KERNEL_STATE_LAUNCHED ||
          from == GST_RK_KERNEL_STATE_ACTIVE ||
          from == GST_RK_KERNEL_STATE_DEACTIVATED;
    case GST_RK_KERNEL_STATE_TERMINATED:
      return from == GST_RK_KERNEL_STATE_TERMINATING;
    default:
      return FALSE;
  }
}

static void
test_transitions (void)
{
  guint n_legal = 0;

  for (guint i = 0; i < G_N_ELEMENTS (all); i++) {
    for (guint j = 0; j < G_N_ELEMENTS (all); j++) {
      GError *err = NULL;
      gboolean ok = gst_rk_kernel_state_check_transition (all[i], all[j], &err);

      g_assert_cmpint (ok, ==, legal (all[i], all[j]));
      if (ok) {
        g_assert_no_error (err);
        n_legal++;
      } else {
        gchar *expected = g_strdup_printf ("illegal kernel state transition "
            "from %s to %s", gst_rk_kernel_state_get_name (all[i]),
            gst_rk_kernel_state_get_name (all[j]));
        g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_INVALID_STATE);
        g_assert_cmpstr (err->message, ==, expected);
        g_free (expected);
        g_error_free (err);
      }
    }
  }
  /* 1 launch + 2 activate + 1 deactivate + 3 terminate + 1 finish */
  g_assert_cmpuint (n_legal, ==, 8);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/state/predicates", test_predicates);
  g_test_add_func ("/state/transitions", test_transitions);
  return g_test_run ();
}
