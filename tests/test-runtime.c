/* The runtime and kernels through the C API, on the CPU backend. */
#include <string.h>
#include "gstrkbackend.h"
#include "rktest.h"

#define SECOND (G_USEC_PER_SEC)

/* @driven: run the kernel on its receiver's thread (as elements do);
 * @params: (nullable): the kernel's parameters, as a structure string */
static GstRkKernel *
launch_full (GstRkRuntime * rt, const gchar * kernel, GstRkKernelMode mode,
    guint32 capacity, gboolean activate, gboolean driven,
    const gchar * params)
{
  GstStructure *p = params ? gst_structure_from_string (params, NULL) : NULL;
  GstRkLaunchOptions o;
  GError *err = NULL;
  GstRkKernel *k;

  gst_rk_launch_options_init (&o);
  o.mode = mode;
  o.input_queue_capacity = o.output_queue_capacity = capacity;
  o.auto_activate = activate;
  o.receiver_drives = driven;
  k = gst_rk_runtime_launch (rt, kernel, NULL, GST_RK_BACKEND_CPU, -1, &o, p,
      &err);
  g_assert_no_error (err);
  if (p)
    gst_structure_free (p);
  return k;
}

static GstRkKernel *
launch (GstRkRuntime * rt, const gchar * kernel, GstRkKernelMode mode,
    guint32 capacity, gboolean activate)
{
  return launch_full (rt, kernel, mode, capacity, activate, FALSE, NULL);
}

static void
receive_check (GstRkKernel * k, guint64 expect_id, guint64 expect_value)
{
  GstRkMessage msg;
  GError *err = NULL;

  g_assert_true (gst_rk_kernel_receive (k, &msg,
          g_get_monotonic_time () + 5 * SECOND, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (msg.env.message_id, ==, expect_id);
  g_assert_cmpuint (rk_test_read_u64 (msg.payload), ==, expect_value);
  gst_rk_message_clear (&msg);
}

static void
send_value (GstRkKernel * k, guint64 v)
{
  GError *err = NULL;

  g_assert_true (gst_rk_kernel_send (k, rk_test_make_buffer (v, 64),
          RK_MSG_DATA, 0, GST_RK_WAIT_FOREVER, NULL, &err));
  g_assert_no_error (err);
}

static void
test_echo_in_order (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkKernel *k = launch (rt, "echo", mode, 16, TRUE);
  guint64 sent = 0, got = 0;

  g_assert_cmpint (gst_rk_kernel_get_mode (k), ==, mode);
  g_assert_cmpint (gst_rk_kernel_get_state (k), ==, GST_RK_KERNEL_STATE_ACTIVE);
  /* Interleave sends and receives with the queue often full */
  while (got < 5000) {
    GstRkMessage msg;

    while (sent < 5000 && sent - got < 20)
      send_value (k, sent++);
    g_assert_true (gst_rk_kernel_receive (k, &msg, GST_RK_WAIT_FOREVER, NULL));
    g_assert_cmpuint (msg.env.type, ==, RK_MSG_DATA);
    g_assert_cmpuint (msg.env.message_id, ==, got + 1);
    g_assert_cmpuint (msg.env.source, ==, gst_rk_kernel_get_id (k));
    g_assert_cmpuint (rk_test_read_u64 (msg.payload), ==, got);
    /* measured by the receiver: the device side leaves host payloads alone */
    g_assert_cmpuint (msg.env.payload_size, ==,
        gst_buffer_get_size (msg.payload));
    g_assert_nonnull (gst_buffer_get_rk_hlc_meta (msg.payload));
    gst_rk_message_clear (&msg);
    got++;
  }
  {
    GstStructure *s = gst_rk_kernel_get_stats (k);
    guint64 received, processed, emitted, flushed, dropped;

    g_assert_true (gst_structure_get (s, "received", G_TYPE_UINT64, &received,
            "processed", G_TYPE_UINT64, &processed, "emitted", G_TYPE_UINT64,
            &emitted, "flushed", G_TYPE_UINT64, &flushed, "dropped",
            G_TYPE_UINT64, &dropped, NULL));
    g_assert_cmpuint (received, ==, 5000);
    g_assert_cmpuint (processed, ==, 5000);
    g_assert_cmpuint (emitted, ==, 5000);
    g_assert_cmpuint (flushed, ==, 0);
    g_assert_cmpuint (dropped, ==, 0);
    g_assert_cmpstr (gst_structure_get_string (s, "state"), ==, "active");
    g_assert_cmpstr (gst_structure_get_string (s, "backend"), ==, "cpu");
    g_assert_cmpstr (gst_structure_get_string (s, "mode"), ==,
        gst_rk_kernel_mode_get_name (mode));
    gst_structure_free (s);
  }
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  g_assert_cmpint (gst_rk_kernel_get_state (k), ==,
      GST_RK_KERNEL_STATE_TERMINATED);
  gst_object_unref (k);
  gst_object_unref (rt);
}

static void
test_request_reply (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *k = launch (rt, "echo", GST_RK_KERNEL_MODE_AUTO, 8, TRUE);
  GstRkMessage msg;
  guint64 id = 0;

  g_assert_true (gst_rk_kernel_send (k, rk_test_make_buffer (7, 8),
          RK_MSG_REQUEST, 0xABCDEF, GST_RK_WAIT_FOREVER, &id, NULL));
  g_assert_cmpuint (id, ==, 1);
  g_assert_true (gst_rk_kernel_receive (k, &msg, GST_RK_WAIT_FOREVER, NULL));
  g_assert_cmpuint (msg.env.type, ==, RK_MSG_REPLY);
  g_assert_cmpuint (msg.env.correlation_id, ==, 0xABCDEF);
  g_assert_cmpuint (gst_buffer_get_rk_hlc_meta (msg.payload)->correlation_id,
      ==, 0xABCDEF);
  gst_rk_message_clear (&msg);
  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* The CPU backend has one device: asked for by name with another index it
 * refuses, saying so; 0 and "any" are the same device. */
static void
test_cpu_device_id (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GError *err = NULL;
  GstRkKernel *a, *b, *k;

  k = gst_rk_runtime_launch (rt, "echo", NULL, GST_RK_BACKEND_CPU, 1, NULL,
      NULL, &err);
  g_assert_null (k);
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE);
  g_assert_cmpstr (err->message, ==, "the CPU backend has one device (0), "
      "not 1");
  g_clear_error (&err);

  a = gst_rk_runtime_launch (rt, "echo", NULL, GST_RK_BACKEND_CPU, 0, NULL,
      NULL, &err);
  g_assert_no_error (err);
  b = gst_rk_runtime_launch (rt, "echo", NULL, GST_RK_BACKEND_CPU, -1, NULL,
      NULL, &err);
  g_assert_no_error (err);
  g_assert_true (gst_rk_kernel_get_device (a) == gst_rk_kernel_get_device (b));
  g_assert_true (gst_rk_kernel_terminate (a, NULL));
  g_assert_true (gst_rk_kernel_terminate (b, NULL));
  gst_object_unref (a);
  gst_object_unref (b);
  gst_object_unref (rt);
}

static void
test_ids_lookup_metrics (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *a = launch (rt, "echo", GST_RK_KERNEL_MODE_AUTO, 8, TRUE);
  GstRkKernel *b = launch (rt, "counter", GST_RK_KERNEL_MODE_AUTO, 8, FALSE);
  GstRkKernel *found;
  GstRkRuntimeMetrics m;
  GList *list;

  /* Kernels are numbered from 1: 0 is the host */
  g_assert_cmpuint (gst_rk_kernel_get_id (a), ==, 1);
  g_assert_cmpuint (gst_rk_kernel_get_id (b), ==, 2);
  g_assert_cmpstr (GST_OBJECT_NAME (b), ==, "counter-2");

  found = gst_rk_runtime_get_kernel (rt, "counter-2");
  g_assert_true (found == b);
  gst_object_unref (found);
  g_assert_null (gst_rk_runtime_get_kernel (rt, "nope"));
  list = gst_rk_runtime_list_kernels (rt);
  g_assert_cmpuint (g_list_length (list), ==, 2);
  g_assert_true (list->data == a && list->next->data == b);
  g_list_free_full (list, gst_object_unref);

  send_value (a, 1);
  receive_check (a, 1, 1);
  gst_rk_runtime_get_metrics (rt, &m);
  g_assert_cmpuint (m.active_kernels, ==, 1);
  g_assert_cmpuint (m.total_launched, ==, 2);
  g_assert_cmpuint (m.messages_sent, ==, 1);
  g_assert_cmpuint (m.messages_received, ==, 1);
  g_assert_cmpuint (m.gpu_memory_used, ==, 0);
  g_assert_cmpuint (m.host_memory_used, >, 0);

  /* shutdown terminates every kernel */
  g_assert_true (gst_rk_runtime_shutdown (rt, NULL));
  g_assert_cmpint (gst_rk_kernel_get_state (a), ==,
      GST_RK_KERNEL_STATE_TERMINATED);
  g_assert_cmpint (gst_rk_kernel_get_state (b), ==,
      GST_RK_KERNEL_STATE_TERMINATED);
  list = gst_rk_runtime_list_kernels (rt);
  g_assert_null (list);
  gst_rk_runtime_get_metrics (rt, &m);
  g_assert_cmpuint (m.host_memory_used, ==, 0);

  {
    GError *err = NULL;
    g_assert_false (gst_rk_kernel_send (a, NULL, RK_MSG_DATA, 0,
            GST_RK_WAIT_FOREVER, NULL, &err));
    g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_INVALID_STATE);
    g_assert_cmpstr (err->message, ==, "cannot send to kernel echo-1 while "
        "it is terminated");
    g_clear_error (&err);
    g_assert_false (gst_rk_kernel_activate (a, &err));
    g_assert_cmpstr (err->message, ==, "illegal kernel state transition from "
        "terminated to active");
    g_error_free (err);
  }
  gst_object_unref (a);
  gst_object_unref (b);
  gst_object_unref (rt);
}

static void
test_launch_errors (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkLaunchOptions o;
  GError *err = NULL;
  gchar *reason = NULL;

  g_assert_null (gst_rk_runtime_launch (rt, "nosuch", NULL,
          GST_RK_BACKEND_CPU, -1, NULL, NULL, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_UNKNOWN_KERNEL);
  g_assert_cmpstr (err->message, ==, "no kernel named \"nosuch\" is registered");
  g_clear_error (&err);

  gst_rk_launch_options_init (&o);
  o.input_queue_capacity = 0;
  g_assert_null (gst_rk_runtime_launch (rt, "echo", NULL, GST_RK_BACKEND_CPU,
          -1, &o, NULL, &err));
  g_assert_cmpstr (err->message, ==,
      "input-queue-capacity is 0: a queue needs at least one slot");
  g_clear_error (&err);

  /* A backend asked for by name and missing: the reason, not a crash */
  if (!gst_rk_runtime_is_backend_available (GST_RK_BACKEND_CUDA, &reason)) {
    g_assert_true (g_str_has_prefix (reason, "CUDA unavailable: "));
    g_assert_null (gst_rk_runtime_launch (rt, "echo", NULL,
            GST_RK_BACKEND_CUDA, -1, NULL, NULL, &err));
    g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE);
    g_assert_cmpstr (err->message, ==, reason);
    g_clear_error (&err);
    g_free (reason);
  }
  gst_object_unref (rt);
}

static void
test_auto_selection (void)
{
  gchar *note = NULL, *reason = NULL;
  GstRkBackendKind chosen = gst_rk_runtime_select_backend (GST_RK_BACKEND_AUTO,
      &note);

  g_assert_nonnull (note);
  if (gst_rk_runtime_is_backend_available (GST_RK_BACKEND_CUDA, NULL)) {
    g_assert_cmpint (chosen, ==, GST_RK_BACKEND_CUDA);
  } else {
    g_assert_false (gst_rk_runtime_is_backend_available (GST_RK_BACKEND_CUDA,
            &reason));
    /* The note says why CUDA was not taken */
    g_assert_nonnull (strstr (note, reason + strlen ("CUDA unavailable: ")));
    g_free (reason);
    g_assert_cmpint (chosen, !=, GST_RK_BACKEND_CUDA);
  }
  g_assert_true (g_str_has_prefix (note, "backend=auto chose "));
  g_free (note);
  /* A named backend is taken as is */
  g_assert_cmpint (gst_rk_runtime_select_backend (GST_RK_BACKEND_CPU, NULL),
      ==, GST_RK_BACKEND_CPU);
}

/* Deactivation keeps device state and queued messages; flush discards the
 * queue and keeps the state. */
static void
test_state_and_flush (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *k = launch (rt, "counter", mode, 16, TRUE);
  GstRkMessage msg;
  GError *err = NULL;
  GstStructure *s;
  guint64 flushed;

  for (guint i = 1; i <= 3; i++) {
    send_value (k, i);
    receive_check (k, i, i);
  }
  g_assert_true (gst_rk_kernel_deactivate (k, NULL));
  g_assert_cmpint (gst_rk_kernel_get_state (k), ==,
      GST_RK_KERNEL_STATE_DEACTIVATED);

  /* Queued while deactivated: nothing comes out */
  send_value (k, 4);
  g_assert_false (gst_rk_kernel_receive (k, &msg,
          g_get_monotonic_time () + 50000, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
  g_clear_error (&err);

  /* ... until activated again, and the count goes on: state kept */
  g_assert_true (gst_rk_kernel_activate (k, NULL));
  receive_check (k, 4, 4);

  /* Flush while deactivated: the queued messages go, the state stays */
  g_assert_true (gst_rk_kernel_deactivate (k, NULL));
  for (guint i = 5; i <= 14; i++)
    send_value (k, i);
  g_assert_true (gst_rk_kernel_flush (k, NULL));
  s = gst_rk_kernel_get_stats (k);
  g_assert_true (gst_structure_get_uint64 (s, "flushed", &flushed));
  g_assert_cmpuint (flushed, ==, 10);
  gst_structure_free (s);
  g_assert_true (gst_rk_kernel_activate (k, NULL));
  send_value (k, 15);
  receive_check (k, 15, 5);     /* 5th message the kernel processed */

  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* A full queue blocks the sender (backpressure) until a deadline, or until
 * the kernel is set flushing. */
static void
test_backpressure (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *k = launch (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 4,
      FALSE);
  GError *err = NULL;
  gint64 start;

  for (guint i = 0; i < 4; i++)
    send_value (k, i);
  start = g_get_monotonic_time ();
  g_assert_false (gst_rk_kernel_send (k, rk_test_make_buffer (9, 8),
          RK_MSG_DATA, 0, start + 30000, NULL, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 30000);
  g_clear_error (&err);

  rk_test_assert_flushing_unblocks_send (k, 8);

  gst_rk_kernel_set_flushing (k, FALSE);
  g_assert_true (gst_rk_kernel_activate (k, NULL));
  for (guint i = 0; i < 4; i++)
    receive_check (k, i + 1, i);
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* Terminate with messages in flight and a full output queue nobody reads:
 * it must still finish, and free every queued buffer (valgrind/ASan). */
static void
test_terminate_busy (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *k = launch (rt, "echo", mode, 8, TRUE);
  gint64 start;

  for (guint i = 0; i < 16; i++)
    send_value (k, i);
  start = g_get_monotonic_time ();
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * SECOND);
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* No reference cycle: the runtime holds its kernels weakly, a kernel does
 * not hold its runtime. A runtime dropped with a kernel still running
 * terminates it; a kernel dropped goes at once. */
static void
test_weak_references (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *a = launch (rt, "echo", GST_RK_KERNEL_MODE_AUTO, 8, TRUE);
  GstRkKernel *b = launch (rt, "echo", GST_RK_KERNEL_MODE_AUTO, 8, TRUE);
  gpointer weak_rt = rt, weak_a = a;
  GList *list;

  g_object_add_weak_pointer (G_OBJECT (rt), &weak_rt);
  g_object_add_weak_pointer (G_OBJECT (a), &weak_a);

  /* A terminated kernel's last reference frees it; the runtime forgets it */
  g_assert_true (gst_rk_kernel_terminate (a, NULL));
  gst_object_unref (a);
  g_assert_null (weak_a);
  list = gst_rk_runtime_list_kernels (rt);
  g_assert_cmpuint (g_list_length (list), ==, 1);
  g_assert_true (list->data == b);
  g_list_free_full (list, gst_object_unref);

  /* A running kernel does not keep its runtime alive */
  send_value (b, 7);
  receive_check (b, 1, 7);
  gst_object_unref (rt);
  g_assert_null (weak_rt);
  g_assert_cmpint (gst_rk_kernel_get_state (b), ==,
      GST_RK_KERNEL_STATE_TERMINATED);
  gst_object_unref (b);
}

/* ---- Receiver-driven kernels and the item stream ---- */

static GstRkKernel *
launch_driven (GstRkRuntime * rt, const gchar * kernel, GstRkKernelMode mode,
    guint32 capacity, const gchar * params)
{
  return launch_full (rt, kernel, mode, capacity, TRUE, TRUE, params);
}

typedef struct
{
  GstRkKernel *kernel;
  guint n;
  guint every;
} Feeder;

/* Sends n numbered messages and a marker (its number) after every
 * @every of them. */
static gpointer
feed (gpointer data)
{
  Feeder *f = data;

  for (guint i = 0; i < f->n; i++) {
    send_value (f->kernel, i);
    if ((i + 1) % f->every == 0)
      gst_rk_kernel_add_marker (f->kernel, GUINT_TO_POINTER (i + 1), NULL);
  }
  return NULL;
}

/* A receiver-driven kernel runs on the thread that takes its items: the
 * stream has each output (fanout: three per message, through an output
 * queue of 4 that the kernel fills faster than anyone empties it) and each
 * marker right after the outputs of the messages before it, while another
 * thread sends. */
static void
test_receiver_drives (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *k = launch_driven (rt, "fanout", mode, 4,
      "params,outputs=3");
  Feeder f = { k, 428 * 7, 7 };   /* ends with a marker: all consumed */
  GThread *feeder = g_thread_new ("feeder", feed, &f);
  guint64 outputs = 0, markers = 0;
  GstRkItem item;

  while (markers < f.n / f.every) {
    g_assert_true (gst_rk_kernel_next_item (k, &item,
            g_get_monotonic_time () + 10 * SECOND));
    if (item.type == GST_RK_ITEM_MARKER) {
      g_assert_cmpuint (GPOINTER_TO_UINT (item.marker), ==, outputs / 3);
      g_assert_cmpuint (GPOINTER_TO_UINT (item.marker), ==,
          (markers + 1) * f.every);
      markers++;
      continue;
    }
    g_assert_cmpint (item.type, ==, GST_RK_ITEM_OUTPUT);
    g_assert_cmpuint (item.msg.env.message_id, ==, outputs / 3 + 1);
    g_assert_cmpuint (rk_test_read_u64 (item.msg.payload), ==, outputs / 3);
    outputs++;
    gst_rk_item_clear (&item);
  }
  g_thread_join (feeder);
  g_assert_cmpuint (outputs, ==, 3 * (f.n / f.every) * f.every);

  /* Nobody receives: a flush runs the kernel to discard what is queued */
  for (guint i = 0; i < 3; i++)
    send_value (k, i);
  g_assert_true (gst_rk_kernel_flush (k, NULL));
  g_assert_cmpuint (rk_test_kernel_stat (k, "received"), ==, f.n + 3);
  g_assert_false (gst_rk_kernel_next_item (k, &item,
          g_get_monotonic_time () + SECOND / 20));
  g_assert_cmpint (item.type, ==, GST_RK_ITEM_NONE);

  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* A call on a receiver-driven kernel runs the kernel on the caller */
static void
test_receiver_drives_call (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *k = launch_driven (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT,
      8, NULL);
  GstRkMessage reply;
  GError *err = NULL;

  for (guint i = 0; i < 100; i++) {
    g_assert_true (gst_rk_kernel_call (k, rk_test_make_buffer (i, 16),
            5 * SECOND, &reply, &err));
    g_assert_no_error (err);
    g_assert_cmpuint (rk_test_read_u64 (reply.payload), ==, i);
    gst_rk_message_clear (&reply);
  }
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* The error is the last item, after the outputs published before it */
static void
test_error_item (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstRkKernel *k = launch_driven (rt, "gray", GST_RK_KERNEL_MODE_AUTO, 8,
      NULL);
  GstCaps *caps = gst_caps_from_string
      ("video/x-raw,format=RGBA,width=4,height=2,framerate=1/1");
  GstRkItem item;
  static gint eos;

  g_assert_true (gst_rk_kernel_set_caps (k, caps, NULL, NULL));
  gst_caps_unref (caps);
  for (guint i = 0; i < 2; i++)
    g_assert_true (gst_rk_kernel_send (k, gst_buffer_new_allocate (NULL, 32,
                NULL), RK_MSG_DATA, 0, GST_RK_WAIT_FOREVER, NULL, NULL));
  g_assert_true (gst_rk_kernel_send (k, gst_buffer_new_allocate (NULL, 31,
              NULL), RK_MSG_DATA, 0, GST_RK_WAIT_FOREVER, NULL, NULL));
  gst_rk_kernel_add_marker (k, &eos, NULL);
  for (guint i = 0; i < 2; i++) {
    g_assert_true (gst_rk_kernel_next_item (k, &item, GST_RK_WAIT_FOREVER));
    g_assert_cmpint (item.type, ==, GST_RK_ITEM_OUTPUT);
    g_assert_cmpuint (item.msg.env.message_id, ==, i + 1);
    gst_rk_item_clear (&item);
  }
  for (guint i = 0; i < 2; i++) {
    g_assert_true (gst_rk_kernel_next_item (k, &item, GST_RK_WAIT_FOREVER));
    g_assert_cmpint (item.type, ==, GST_RK_ITEM_ERROR);
    g_assert_cmpstr (item.error->message, ==, "buffer of 31 bytes is smaller "
        "than a 4x2 RGBA frame (32 bytes)");
    gst_rk_item_clear (&item);
  }
  gst_rk_kernel_terminate (k, NULL);
  gst_object_unref (k);
  gst_object_unref (rt);
}

int
main (int argc, char **argv)
{
  rk_test_init (&argc, &argv);
  g_test_add_data_func ("/runtime/echo-in-order/persistent",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_PERSISTENT), test_echo_in_order);
  g_test_add_data_func ("/runtime/echo-in-order/event-driven",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_EVENT_DRIVEN), test_echo_in_order);
  g_test_add_func ("/runtime/request-reply", test_request_reply);
  g_test_add_func ("/runtime/ids-lookup-metrics", test_ids_lookup_metrics);
  g_test_add_func ("/runtime/cpu-device-id", test_cpu_device_id);
  g_test_add_func ("/runtime/weak-references", test_weak_references);
  g_test_add_data_func ("/runtime/receiver-drives/persistent",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_PERSISTENT), test_receiver_drives);
  g_test_add_data_func ("/runtime/receiver-drives/event-driven",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_EVENT_DRIVEN),
      test_receiver_drives);
  g_test_add_func ("/runtime/receiver-drives/call",
      test_receiver_drives_call);
  g_test_add_func ("/runtime/error-item", test_error_item);
  g_test_add_func ("/runtime/launch-errors", test_launch_errors);
  g_test_add_func ("/runtime/auto-selection", test_auto_selection);
  g_test_add_data_func ("/runtime/state-and-flush/persistent",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_PERSISTENT), test_state_and_flush);
  g_test_add_data_func ("/runtime/state-and-flush/event-driven",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_EVENT_DRIVEN), test_state_and_flush);
  g_test_add_func ("/runtime/backpressure", test_backpressure);
  g_test_add_data_func ("/runtime/terminate-busy/persistent",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_PERSISTENT), test_terminate_busy);
  g_test_add_data_func ("/runtime/terminate-busy/event-driven",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_EVENT_DRIVEN), test_terminate_busy);
  return g_test_run ();
}
