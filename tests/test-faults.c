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
  const gchar *debug;           /* must appear in the debug text (a launch
                                 * error has its text in the message: the
                                 * debug then only names the element) */
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
  g_assert_cmpuint (strlen (c->debug), >, 0);   /* "" would match anything */
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
        "failed", "/GstRkEcho:e"},
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

/* ---- Faults inside the backends ----
 *
 * alloc, pipeline and memory strike where the backend itself makes the
 * call, so its own cleanup runs. A sweep fails the 1st, 2nd, ... such call
 * of one run each, until a run ends without the fault striking: every
 * call site that the pipeline reaches fails once. Each failure must give
 * exactly one error from a ring kernel element, naming it, with the
 * backend's own text; the pipeline reaches NULL; and the kernels' memory
 * is all given back (the runtime's counts; on the fake CUDA device, its
 * live allocations once the runtime closed; ASan and valgrind see the
 * rest). */

typedef struct
{
  GstRkBackendKind backend;
  const gchar *point;
  const gchar *kernel;          /* registry name, NULL for memory */
  const gchar *desc;            /* "@B@": the backend; "@M@": the mode */
  const gchar *pattern;         /* the backend's error text */
  guint min_strikes;            /* call sites the pipeline surely reaches */
  gboolean frames;              /* a frame kernel: no persistent shader on
                                 * Vulkan */
  guint min_event_strikes;      /* event-driven's, where more (CUDA: its
                                 * rings and slots are the kernel's own) */
} Sweep;

static gchar *
replace (const gchar * s, const gchar * what, const gchar * with)
{
  gchar **parts = g_strsplit (s, what, -1);
  gchar *r = g_strjoinv (with, parts);

  g_strfreev (parts);
  return r;
}

static GstBusSyncReply
collect_kernel_errors (GstBus * bus, GstMessage * m, gpointer data)
{
  GstElementFactory *f;
  GError *err = NULL;
  gchar *debug = NULL;
  gboolean relay;

  if (GST_MESSAGE_TYPE (m) != GST_MESSAGE_ERROR ||
      !GST_IS_ELEMENT (GST_MESSAGE_SRC (m)))
    return GST_BUS_PASS;
  f = gst_element_get_factory (GST_ELEMENT (GST_MESSAGE_SRC (m)));
  if (f == NULL || !g_str_has_prefix (GST_OBJECT_NAME (f), "rk"))
    return GST_BUS_PASS;
  /* An element upstream of the failed one stops its task on the
   * GST_FLOW_ERROR it got back and says so, as basesrc does: that is not a
   * second failure. */
  gst_message_parse_error (m, &err, &debug);
  relay = g_error_matches (err, GST_STREAM_ERROR, GST_STREAM_ERROR_FAILED) &&
      debug && g_str_has_suffix (debug, "reason error (-5)");
  g_error_free (err);
  g_free (debug);
  if (!relay)
    g_async_queue_push (data, gst_message_ref (m));
  return GST_BUS_PASS;
}

static void
expect_kernel_error (GAsyncQueue * errors, const Sweep * s,
    const gchar * spec)
{
  GstMessage *m = g_async_queue_timeout_pop (errors, 10 * G_USEC_PER_SEC);
  const gchar *name;
  GError *err = NULL;
  gchar *debug = NULL, *names_element, *names_kernel, *both;

  if (m == NULL)
    g_error ("%s struck, and no ring kernel posted an error", spec);
  gst_message_parse_error (m, &err, &debug);
  name = GST_OBJECT_NAME (GST_MESSAGE_SRC (m));
  if (s->kernel)
    g_assert_cmpstr (name, ==, "e");
  /* "Cannot launch kernel <kernel>: ...", or the element's name */
  names_element = g_strdup_printf ("kernel %s", name);
  names_kernel = g_strdup_printf ("kernel %s:", s->kernel ? s->kernel : "");
  if (!strstr (err->message, names_element) && (s->kernel == NULL ||
          !strstr (err->message, names_kernel)))
    g_error ("%s: \"%s\" names no kernel", spec, err->message);
  both = g_strdup_printf ("%s\n%s", err->message, debug ? debug : "");
  if (!g_regex_match_simple (s->pattern, both, G_REGEX_MULTILINE, 0))
    g_error ("%s: \"%s\" lacks /%s/", spec, both, s->pattern);
  g_free (both);
  g_free (names_element);
  g_free (names_kernel);
  g_error_free (err);
  g_free (debug);
  gst_message_unref (m);
}

/* One run with the @n-th call failing. Returns whether the fault struck. */
static gboolean
sweep_run (const Sweep * s, const gchar * mode, guint n)
{
  gchar *with_backend = replace (s->desc, "@B@",
      gst_rk_backend_kind_get_name (s->backend));
  gchar *desc = replace (with_backend, "@M@", mode);
  gchar *spec = g_strdup_printf ("%s%s%s@%u", s->point, s->kernel ? ":" : "",
      s->kernel ? s->kernel : "", n);
#ifdef RK_TEST_FAKE_CUDA
  guint live = rk_fake_cuda_live_allocations ();
#endif
  GstRkRuntime *rt = gst_rk_runtime_new (s->backend, -1);
  GstContext *ctx = gst_rk_context_new (rt);
  GError *err = NULL;
  GstElement *p = gst_parse_launch (desc, &err);
  GstBus *bus = gst_element_get_bus (p);
  GAsyncQueue *errors = g_async_queue_new_full ((GDestroyNotify)
      gst_message_unref);
  GstRkRuntimeMetrics m;
  GstMessage *msg, *extra;
  gboolean struck;

  g_assert_no_error (err);
  gst_element_set_context (p, ctx);
  gst_context_unref (ctx);
  gst_bus_set_sync_handler (bus, collect_kernel_errors, errors, NULL);
  g_assert_true (gst_rk_fault_configure (spec, NULL));

  gst_element_set_state (p, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  struck = gst_rk_fault_get_strikes () > 0;
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
    /* ran to the end: then the fault never came (an error comes first) */
    if (struck)
      g_error ("%s struck, and the stream still reached EOS", spec);
    g_assert_cmpint (g_async_queue_length (errors), ==, 0);
  } else {
    g_assert_true (struck);
    expect_kernel_error (errors, s, spec);
  }
  gst_message_unref (msg);
  to_null_within_bound (p);

  extra = g_async_queue_try_pop (errors);
  if (extra) {
    GError *e = NULL;
    gchar *d = NULL;

    gst_message_parse_error (extra, &e, &d);
    g_error ("%s: a second error from %s: %s (%s)", spec,
        GST_OBJECT_NAME (GST_MESSAGE_SRC (extra)), e->message, d);
  }
  g_assert_cmpuint (gst_rk_fault_get_strikes (), ==, struck ? 1 : 0);
  g_assert_true (gst_rk_fault_configure (NULL, NULL));

  /* Payload memory kept for reuse stays with the device; the kernels'
   * own memory must all be back. */
  gst_rk_runtime_get_metrics (rt, &m);
  g_assert_cmpuint (m.active_kernels, ==, 0);
  if (m.device_payloads == 0) {
    g_assert_cmpuint (m.gpu_memory_used, ==, 0);
    g_assert_cmpuint (m.host_memory_used, ==, 0);
  }

  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  g_async_queue_unref (errors);
  gst_object_unref (bus);
  gst_object_unref (p);
  gst_object_unref (rt);
#ifdef RK_TEST_FAKE_CUDA
  /* and, the runtime closed, all of the device's memory: GStreamer's task
   * threads may drop the last buffers (frames on the device hold it open)
   * just after the pipeline is gone, so within a bound; a leak never
   * comes back */
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (rk_fake_cuda_live_allocations () != live &&
        g_get_monotonic_time () < deadline)
      g_usleep (1000);
    g_assert_cmpuint (rk_fake_cuda_live_allocations (), ==, live);
  }
#endif
  g_free (with_backend);
  g_free (desc);
  g_free (spec);
  return struck;
}

#define ECHO_DESC "fakesrc num-buffers=64 sizetype=fixed sizemax=32 ! " \
  "rkecho name=e backend=@B@ mode=@M@ ! fakesink sync=false"
/* a frame kernel with state (and, on Vulkan, a bulk pipeline and arena) */
#define BGSUB_DESC "videotestsrc num-buffers=6 ! " \
  "video/x-raw,format=RGBA,width=32,height=24 ! rkbgsub name=e " \
  "backend=@B@ mode=@M@ ! fakesink sync=false"
/* an audio kernel with state and a blob (its taps' spectrum, uploaded
 * through a staging buffer on Vulkan) */
#define FIR_DESC "audiotestsrc num-buffers=6 samplesperbuffer=512 ! " \
  "audio/x-raw,format=F32LE,channels=2,rate=48000 ! rkfir name=e " \
  "backend=@B@ mode=@M@ taps=\"<0.25, 0.5, 0.25>\" ! fakesink sync=false"
/* frames that stay on the device between the kernels */
#define CHAIN_DESC "videotestsrc num-buffers=6 ! " \
  "video/x-raw,format=RGBA,width=32,height=24 ! rkgray name=k0 " \
  "backend=@B@ mode=@M@ ! rkblur name=k1 backend=@B@ ! rksobel name=k2 " \
  "backend=@B@ ! fakesink sync=false"

#define CPU_ALLOC "cannot allocate [0-9]+ bytes of (queues|state) for "
#define VK_ERROR(e, what) "Vulkan error " e " while " what " on "
/* gstrkcudadevice.c's text for memory of a kernel (or of a frame) */
#define CUDA_OOM(where, kernel, call) "cannot allocate [0-9]+ bytes of " \
  where " memory" kernel " on .+: " call " failed: CUDA_ERROR_OUT_OF_MEMORY " \
  "\\(2\\)"
#define CUDA_ALLOC(k) "(" CUDA_OOM ("device", " for " k, \
      "cuMemAlloc(Async)?") "|" CUDA_OOM ("mapped host", " for " k, \
      "cuMemHostAlloc") "|cannot allocate [0-9]+ bytes of queues for " k "$)"
#define CUDA_PIPELINE(k) "loading the CUDA module of kernel " k ": " \
  "cuModuleLoadData failed: CUDA_ERROR_OUT_OF_MEMORY \\(2\\)"

static const Sweep sweeps[] = {
  {GST_RK_BACKEND_CPU, "alloc", "echo", ECHO_DESC, CPU_ALLOC "echo$", 1},
  {GST_RK_BACKEND_CPU, "alloc", "bgsub", BGSUB_DESC, CPU_ALLOC "bgsub$", 2,
      TRUE},
  {GST_RK_BACKEND_CPU, "alloc", "fir", FIR_DESC, CPU_ALLOC "fir$", 2, TRUE},
  {GST_RK_BACKEND_VULKAN, "alloc", "fir", FIR_DESC,
      VK_ERROR ("VK_ERROR_OUT_OF_DEVICE_MEMORY", "allocating memory"), 4, TRUE},
  {GST_RK_BACKEND_VULKAN, "alloc", "echo", ECHO_DESC,
      VK_ERROR ("VK_ERROR_OUT_OF_DEVICE_MEMORY", "allocating memory"), 2},
  {GST_RK_BACKEND_VULKAN, "alloc", "bgsub", BGSUB_DESC,
      VK_ERROR ("VK_ERROR_OUT_OF_DEVICE_MEMORY", "allocating memory"), 4, TRUE},
  {GST_RK_BACKEND_VULKAN, "pipeline", "echo", ECHO_DESC,
        "(" VK_ERROR ("VK_ERROR_OUT_OF_HOST_MEMORY", "making a compute pipeline")
        "|" VK_ERROR ("VK_ERROR_OUT_OF_POOL_MEMORY", "setting up a kernel") ")",
      2},
  {GST_RK_BACKEND_VULKAN, "pipeline", "bgsub", BGSUB_DESC,
        "(" VK_ERROR ("VK_ERROR_OUT_OF_HOST_MEMORY", "making a compute pipeline")
        "|" VK_ERROR ("VK_ERROR_OUT_OF_POOL_MEMORY", "setting up a kernel") ")",
      2, TRUE},
  {GST_RK_BACKEND_VULKAN, "memory", NULL, CHAIN_DESC,
      VK_ERROR ("VK_ERROR_OUT_OF_DEVICE_MEMORY", "allocating memory"), 1, TRUE},
  {GST_RK_BACKEND_CUDA, "alloc", "echo", ECHO_DESC, CUDA_ALLOC ("echo"), 2,
      FALSE, 7},
  {GST_RK_BACKEND_CUDA, "alloc", "bgsub", BGSUB_DESC, CUDA_ALLOC ("bgsub"), 6,
      TRUE, 10},
  {GST_RK_BACKEND_CUDA, "alloc", "fir", FIR_DESC, CUDA_ALLOC ("fir"), 7, TRUE,
      11},
  {GST_RK_BACKEND_CUDA, "pipeline", "echo", ECHO_DESC, CUDA_PIPELINE ("echo"),
      1},
  {GST_RK_BACKEND_CUDA, "pipeline", "bgsub", BGSUB_DESC,
      CUDA_PIPELINE ("bgsub"), 1, TRUE},
  {GST_RK_BACKEND_CUDA, "memory", NULL, CHAIN_DESC,
      CUDA_OOM ("device", "", "cuMemAlloc(Async)?"), 1, TRUE},
};

static void
test_sweep (gconstpointer data)
{
  const Sweep *s = data;
  gchar *reason = NULL;
  const gchar *modes[] = { "persistent", "event-driven" };

  if (!rk_test_backend_usable (s->backend, &reason)) {
    g_test_skip (reason);
    g_free (reason);
    return;
  }
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++) {
    guint n, strikes = 0, min_strikes = i == 1 ?
        MAX (s->min_strikes, s->min_event_strikes) : s->min_strikes;

    /* frame kernels have no persistent shader on Vulkan */
    if (s->backend == GST_RK_BACKEND_VULKAN && i == 0 && s->frames)
      continue;
    for (n = 1; sweep_run (s, modes[i], n); n++) {
      strikes++;
      g_assert_cmpuint (n, <, 64);
    }
    g_test_message ("%s %s/%s %s: %u call sites", s->point,
        gst_rk_backend_kind_get_name (s->backend),
        s->kernel ? s->kernel : "chain", modes[i], strikes);
    g_assert_cmpuint (strikes, >=, min_strikes);
  }
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
          "activate, stream, terminate, alloc, pipeline or memory)"},
    {"memory:blur", "GST_RK_FAULT: memory belongs to a device, not to "
          "kernel \"blur\""},
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
  for (guint i = 0; i < G_N_ELEMENTS (sweeps); i++) {
    const gchar *backend = gst_rk_backend_kind_get_name (sweeps[i].backend);
    gchar *name;

    if (only && !strstr (only, backend))
      continue;
    name = g_strdup_printf ("/faults/%s/inside/%s/%s", backend,
        sweeps[i].point, sweeps[i].kernel ? sweeps[i].kernel : "chain");
    g_test_add_data_func (name, &sweeps[i], test_sweep);
    g_free (name);
  }
  g_test_add_func ("/faults/other-kernel", test_other_kernel);
  g_test_add_func ("/faults/bad-specs", test_bad_specs);
  return g_test_run ();
}
