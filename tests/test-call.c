/* The call pattern: correlation ids, timeouts, late replies, concurrency. */
#include <string.h>
#include "rktest.h"

#define SECOND G_USEC_PER_SEC

static GstRkKernel *
launch (GstRkRuntime * rt, const gchar * name, gboolean activate)
{
  GstRkLaunchOptions o;
  GstRkKernel *k;

  gst_rk_launch_options_init (&o);
  o.auto_activate = activate;
  o.input_queue_capacity = o.output_queue_capacity = 64;
  k = gst_rk_runtime_launch (rt, name, NULL, GST_RK_BACKEND_CPU, -1, &o,
      NULL, NULL);
  g_assert_nonnull (k);
  return k;
}

static void
test_call_echo (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *k = launch (rt, "echo", TRUE);
  GstRkMessage reply;
  GError *err = NULL;

  for (guint i = 0; i < 100; i++) {
    g_assert_true (gst_rk_kernel_call (k, rk_test_make_buffer (i, 40),
            5 * SECOND, &reply, &err));
    g_assert_no_error (err);
    g_assert_cmpuint (reply.env.type, ==, RK_MSG_REPLY);
    g_assert_true (reply.env.correlation_id & GST_RK_CALL_CORRELATION_BIT);
    g_assert_cmpuint (rk_test_read_u64 (reply.payload), ==, i);
    g_assert_cmpuint (gst_buffer_get_size (reply.payload), ==, 40);
    gst_rk_message_clear (&reply);
  }
  g_assert_cmpuint (rk_test_kernel_stat (k, "emitted"), ==, 100);
  g_assert_cmpuint (rk_test_kernel_stat (k, "orphan-replies"), ==, 0);
  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* A kernel that is not running cannot answer: the call times out; the
 * reply that comes later is dropped and counted, not handed to the next
 * call. */
static void
test_timeout_and_orphan (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *k = launch (rt, "counter", FALSE);
  GstRkMessage reply;
  GError *err = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_false (gst_rk_kernel_call (k, rk_test_make_buffer (1, 8), 50000,
          &reply, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
  g_assert_cmpstr (err->message, ==,
      "no reply from kernel counter-1 to call 1 within 50 ms");
  g_clear_error (&err);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 50000);

  g_assert_true (gst_rk_kernel_activate (k, NULL));
  /* The next call gets its own reply: count 2 (the first request was
   * processed too, its reply dropped). */
  g_assert_true (gst_rk_kernel_call (k, rk_test_make_buffer (2, 8), 5 * SECOND,
          &reply, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (rk_test_read_u64 (reply.payload), ==, 2);
  gst_rk_message_clear (&reply);
  g_assert_cmpuint (rk_test_kernel_stat (k, "orphan-replies"), ==, 1);
  g_assert_cmpuint (rk_test_kernel_stat (k, "emitted"), ==, 1);

  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (k);
  gst_object_unref (rt);
}

#define N_CALLS 2000

typedef struct
{
  GstRkKernel *k;
  guint thread;
  guint ok;
} Caller;

static gpointer
caller_main (gpointer data)
{
  Caller *c = data;

  for (guint i = 0; i < N_CALLS; i++) {
    guint64 tag = ((guint64) c->thread << 32) | i;
    GstRkMessage reply;
    GError *err = NULL;

    if (!gst_rk_kernel_call (c->k, rk_test_make_buffer (tag, 24),
            10 * SECOND, &reply, &err))
      g_error ("call %u of thread %u: %s", i, c->thread, err->message);
    if (rk_test_read_u64 (reply.payload) == tag)
      c->ok++;
    gst_rk_message_clear (&reply);
  }
  return NULL;
}

typedef struct
{
  GstRkKernel *k;
  guint64 next;
  gboolean in_order;
} Consumer;

/* A regular sender/receiver on the same kernel, at the same time: its data
 * must come back complete and in order, never as someone's reply. */
static gpointer
consumer_main (gpointer data)
{
  Consumer *c = data;
  guint64 sent = 0;

  while (c->next < N_CALLS) {
    GstRkMessage msg;

    while (sent < N_CALLS && sent - c->next < 16)
      g_assert_true (gst_rk_kernel_send (c->k, rk_test_make_buffer (sent++,
                  16), RK_MSG_DATA, 0, GST_RK_WAIT_FOREVER, NULL, NULL));
    if (!gst_rk_kernel_receive (c->k, &msg, g_get_monotonic_time () +
            10 * SECOND, NULL))
      g_error ("consumer: no output");
    if (msg.env.type != RK_MSG_DATA ||
        rk_test_read_u64 (msg.payload) != c->next)
      c->in_order = FALSE;
    c->next++;
    gst_rk_message_clear (&msg);
  }
  return NULL;
}

static void
test_two_callers_and_a_consumer (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *k = launch (rt, "echo", TRUE);
  Caller callers[2] = { {k, 1, 0}, {k, 2, 0} };
  Consumer consumer = { k, 0, TRUE };
  GThread *t[3];

  t[0] = g_thread_new ("caller-1", caller_main, &callers[0]);
  t[1] = g_thread_new ("caller-2", caller_main, &callers[1]);
  t[2] = g_thread_new ("consumer", consumer_main, &consumer);
  for (guint i = 0; i < 3; i++)
    g_thread_join (t[i]);

  g_assert_cmpuint (callers[0].ok, ==, N_CALLS);
  g_assert_cmpuint (callers[1].ok, ==, N_CALLS);
  g_assert_true (consumer.in_order);
  g_assert_cmpuint (consumer.next, ==, N_CALLS);
  g_assert_cmpuint (rk_test_kernel_stat (k, "emitted"), ==, 3 * N_CALLS);
  g_assert_cmpuint (rk_test_kernel_stat (k, "orphan-replies"), ==, 0);

  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* A reply whose correlation id has the reserved bit but no caller (e.g. a
 * forged envelope) is counted and dropped, not delivered as data. */
static void
test_reply_for_nobody (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *k = launch (rt, "echo", TRUE);
  GstRkMessage msg;
  GError *err = NULL;

  g_assert_true (gst_rk_kernel_send (k, rk_test_make_buffer (5, 8),
          RK_MSG_REQUEST, GST_RK_CALL_CORRELATION_BIT | 12345,
          GST_RK_WAIT_FOREVER, NULL, NULL));
  g_assert_false (gst_rk_kernel_receive (k, &msg, g_get_monotonic_time () +
          100000, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
  g_clear_error (&err);
  g_assert_cmpuint (rk_test_kernel_stat (k, "orphan-replies"), ==, 1);

  /* An application's own correlation ids pass through as usual */
  g_assert_true (gst_rk_kernel_send (k, rk_test_make_buffer (6, 8),
          RK_MSG_REQUEST, 777, GST_RK_WAIT_FOREVER, NULL, NULL));
  g_assert_true (gst_rk_kernel_receive (k, &msg, g_get_monotonic_time () +
          5 * SECOND, NULL));
  g_assert_cmpuint (msg.env.correlation_id, ==, 777);
  gst_rk_message_clear (&msg);

  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (k);
  gst_object_unref (rt);
}

int
main (int argc, char **argv)
{
  rk_test_init (&argc, &argv);
  g_test_add_func ("/call/echo", test_call_echo);
  g_test_add_func ("/call/timeout-and-orphan", test_timeout_and_orphan);
  g_test_add_func ("/call/two-callers-and-a-consumer",
      test_two_callers_and_a_consumer);
  g_test_add_func ("/call/reply-for-nobody", test_reply_for_nobody);
  return g_test_run ();
}
