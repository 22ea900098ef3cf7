/* Event count: no lost wake-ups, deadlines honoured. */
#include "ringkernel.h"
#include "gstrkwakeup.h"

typedef struct
{
  GstRkWakeup a, b;
  gint turn;                    /* whose turn: 0 = ping, 1 = pong */
  guint rounds;
} PingPong;

static gboolean
is_pong_turn (gpointer data)
{
  return g_atomic_int_get (&((PingPong *) data)->turn) == 1;
}

static gboolean
is_ping_turn (gpointer data)
{
  return g_atomic_int_get (&((PingPong *) data)->turn) == 0;
}

static gpointer
pong_main (gpointer data)
{
  PingPong *pp = data;

  for (guint i = 0; i < pp->rounds; i++) {
    gst_rk_wakeup_wait (&pp->b, is_pong_turn, pp, 0, GST_RK_WAIT_FOREVER);
    g_atomic_int_set (&pp->turn, 0);
    gst_rk_wakeup_notify (&pp->a);
  }
  return NULL;
}

/* Every wait sleeps (no spinning), so a lost wake-up hangs the test. */
static void
test_ping_pong (void)
{
  PingPong pp = { 0 };
  GThread *t;

  gst_rk_wakeup_init (&pp.a);
  gst_rk_wakeup_init (&pp.b);
  pp.rounds = 20000;
  t = g_thread_new ("pong", pong_main, &pp);
  for (guint i = 0; i < pp.rounds; i++) {
    gst_rk_wakeup_wait (&pp.a, is_ping_turn, &pp, 0, GST_RK_WAIT_FOREVER);
    g_atomic_int_set (&pp.turn, 1);
    gst_rk_wakeup_notify (&pp.b);
  }
  g_thread_join (t);
  g_assert_cmpint (pp.turn, ==, 0);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
test_deadline (void)
{
  GstRkWakeup w;
  gint64 start = g_get_monotonic_time ();

  gst_rk_wakeup_init (&w);
  g_assert_false (gst_rk_wakeup_wait (&w, never, NULL, 10, start + 20000));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 20000);
  g_assert_cmpuint (w.waiters, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wakeup/ping-pong", test_ping_pong);
  g_test_add_func ("/wakeup/deadline", test_deadline);
  return g_test_run ();
}
