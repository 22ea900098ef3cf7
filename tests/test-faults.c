/* Fault injection (GST_RK_FAULT): at launch, activate, mid-stream and
 * terminate, on every backend present and in both modes, a kernel failure
 * becomes an element error with a clear message, the pipeline still
 * reaches NULL within a bound, and (under the ASan build) nothing leaks. */
#include <string.h>
#include "rktest.h"
#ifdef RK_TEST_FAKE_CUDA
#include "rkfakecuda.h"
#endif
#include "gstrkfault.h"

#define STATE_BOUND (5 * GST_SECOND)

typedef struct
{
  const gchar *spec;
  const gchar *message;         /* the error's text; NULL: the stream failure's */
  const gchar *debug;           /* must appear in the debug text */
  guint64 after;                /* stream faults: the debug text's count is
                                 * at least this (a GPU backend counts in
                                 * batches, so it may strike later) */
} Case;

typedef struct
{
  const Case *c;
  GstRkBackendKind backend;
} Run;

/* A pipeline's bus drops what is posted while it goes to NULL, so errors
 * are collected as they are posted. */
static GstBusSyncReply
collect_errors (GstBus * bus, GstMessage * m, gpointer data)
{
  /* Ours only: a failed state change can make other elements complain. */
  if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR &&
      g_strcmp0 (GST_OBJECT_NAME (GST_MESSAGE_SRC (m)), "e") == 0)
    g_async_queue_push (data, gst_message_ref (m));
  return GST_BUS_PASS;
}

static void
expect_error (GAsyncQueue * errors, const Case * c, GstRkBackendKind backend)
{
  GstMessage *m = g_async_queue_timeout_pop (errors, 10 * G_USEC_PER_SEC);
  GError *err = NULL;
  gchar *debug = NULL, *message;

  g_assert_nonnull (m);
  gst_message_parse_error (m, &err, &debug);
  message = c->message ? g_strdup (c->message) :
      g_strdup_printf ("Ring kernel e failed on the %s backend.",
      gst_rk_backend_kind_get_display_name (backend));
  g_assert_cmpstr (err->message, ==, message);
  g_free (message);
  if (strstr (debug, c->debug) == NULL)
    g_error ("debug \"%s\" lacks \"%s\"", debug, c->debug);
  if (c->after > 0) {
    guint64 count = g_ascii_strtoull (strstr (debug, c->debug) +
        strlen (c->debug), NULL, 10);

    g_assert_cmpuint (count, >=, c->after);
    if (backend == GST_RK_BACKEND_CPU)
      g_assert_cmpuint (count, ==, c->after);
  }
  g_error_free (err);
  g_free (debug);
  gst_message_unref (m);
}

static void
to_null_within_bound (GstElement * p)
{
  gint64 start = g_get_monotonic_time ();
  GstState state;

  g_assert_cmpint (gst_element_set_state (p, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint (gst_element_get_state (p, &state, NULL, STATE_BOUND), ==,
      GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint (state, ==, GST_STATE_NULL);
  g_assert_cmpint (g_get_monotonic_time () - start, <,
      STATE_BOUND / GST_USECOND);
}

static GstElement *
make_pipeline (const gchar * mode, GstRkBackendKind backend)
{
  gchar *desc = g_strdup_printf ("fakesrc num-buffers=-1 sizetype=fixed "
      "sizemax=32 ! rkecho name=e mode=%s backend=%s ! fakesink sync=false",
      mode, gst_rk_backend_kind_get_name (backend));
  GstElement *p = gst_parse_launch (desc, NULL);

  g_free (desc);
  return p;
}

static void
run_case (const Case * c, GstRkBackendKind backend, const gchar * mode)
{
  GstElement *p = make_pipeline (mode, backend);
  GstBus *bus = gst_element_get_bus (p);
  GAsyncQueue *errors = g_async_queue_new_full ((GDestroyNotify)
      gst_message_unref);

  gst_bus_set_sync_handler (bus, collect_errors, errors, NULL);

  g_assert_true (gst_rk_fault_configure (c->spec, NULL));
  if (g_str_has_prefix (c->spec, "terminate")) {
    /* Runs fine; the failure comes on the way down. */
    g_assert_cmpint (gst_element_set_state (p, GST_STATE_PLAYING), !=,
        GST_STATE_CHANGE_FAILURE);
    g_assert_cmpint (gst_element_get_state (p, NULL, NULL, STATE_BOUND), ==,
        GST_STATE_CHANGE_SUCCESS);
    g_usleep (20000);
    to_null_within_bound (p);
    expect_error (errors, c, backend);
  } else {
    gst_element_set_state (p, GST_STATE_PLAYING);
    expect_error (errors, c, backend);
    to_null_within_bound (p);
  }
  /* One error per failure from the failing element */
  {
    GstMessage *extra = g_async_queue_try_pop (errors);
    if (extra) {
      GError *e = NULL;
      gchar *d = NULL;
      gst_message_parse_error (extra, &e, &d);
      g_error ("a second error: %s (%s)", e->message, d);
    }
  }
  g_assert_true (gst_rk_fault_configure (NULL, NULL));
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  g_async_queue_unref (errors);
  gst_object_unref (bus);
  gst_object_unref (p);
}

static const Case cases[] = {
  {"launch:echo", "Cannot launch kernel echo: injected fault: launch of echo "
        "failed", ""},
  {"activate", "Cannot activate kernel e.",
      "injected fault: activate of echo failed"},
  {"stream:echo@500", NULL,
      "injected fault: the device running echo failed after ", 500},
  {"terminate:echo", "Ring kernel e did not stop cleanly.",
      "injected fault: terminate of echo failed"},
};

static void
test_case (gconstpointer data)
{
  const Run *r = data;
  gchar *reason = NULL;

  if (!rk_test_backend_usable (r->backend, &reason)) {
    g_test_skip (reason);
    g_free (reason);
    return;
  }
  /* A CUDA persistent kernel's counts reach the runtime only when its
   * stats are read (gstrkcudapersistent.c count_progress), so a fault
   * after N messages, injected there, never fires mid-stream: only the
   * event-driven mode can run that case until the faults move into the
   * backends. */
  if (!(r->backend == GST_RK_BACKEND_CUDA &&
          g_str_has_prefix (r->c->spec, "stream:")))
    run_case (r->c, r->backend, "persistent");
  run_case (r->c, r->backend, "event-driven");
}

/* A fault aimed at another kernel leaves this one alone. */
static void
test_other_kernel (void)
{
  GstElement *p = gst_parse_launch ("fakesrc num-buffers=200 ! rkecho ! "
      "fakesink", NULL);
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *m;

  g_assert_true (gst_rk_fault_configure ("launch:gray", NULL));
  gst_element_set_state (p, GST_STATE_PLAYING);
  m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_cmpint (GST_MESSAGE_TYPE (m), ==, GST_MESSAGE_EOS);
  gst_message_unref (m);
  to_null_within_bound (p);
  g_assert_true (gst_rk_fault_configure (NULL, NULL));
  gst_object_unref (bus);
  gst_object_unref (p);
}

static void
test_bad_specs (void)
{
  static const struct
  {
    const gchar *spec, *message;
  } bad[] = {
    {"explode", "GST_RK_FAULT: unknown fault point \"explode\" (launch, "
          "activate, stream or terminate)"},
    {"stream@0", "GST_RK_FAULT: \"0\" is not a positive message count"},
    {"stream@x", "GST_RK_FAULT: \"x\" is not a positive message count"},
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    GError *err = NULL;

    g_assert_false (gst_rk_fault_configure (bad[i].spec, &err));
    g_assert_cmpstr (err->message, ==, bad[i].message);
    g_error_free (err);
  }
}

int
main (int argc, char **argv)
{
  static const GstRkBackendKind backends[] = { GST_RK_BACKEND_CPU,
    GST_RK_BACKEND_VULKAN, GST_RK_BACKEND_CUDA
  };
  static Run runs[G_N_ELEMENTS (backends) * G_N_ELEMENTS (cases)];
  const gchar *only = g_getenv ("RK_TEST_BACKENDS");
  guint n = 0;

#ifdef RK_TEST_FAKE_CUDA
  rk_fake_cuda_install ();
#endif
  rk_test_init (&argc, &argv);
  for (guint b = 0; b < G_N_ELEMENTS (backends); b++) {
    if (only && !strstr (only, gst_rk_backend_kind_get_name (backends[b])))
      continue;
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++, n++) {
      gchar *name = g_strdup_printf ("/faults/%s/%s",
          gst_rk_backend_kind_get_name (backends[b]), cases[i].spec);

      runs[n].c = &cases[i];
      runs[n].backend = backends[b];
      g_test_add_data_func (name, &runs[n], test_case);
      g_free (name);
    }
  }
  g_test_add_func ("/faults/other-kernel", test_other_kernel);
  g_test_add_func ("/faults/bad-specs", test_bad_specs);
  return g_test_run ();
}
