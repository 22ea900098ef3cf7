/* User kernels: the ringkernel element and gst_rk_user_kernel_load() with
 * the example kernels (pipelines/examples/cpu/), raw envelopes, and every
 * kind of bad kernel file. */
#include <string.h>
#include <glib/gstdio.h>
#include <gst/check/gstharness.h>

#include "rktest.h"

#ifndef RK_EXAMPLES_DIR
#error RK_EXAMPLES_DIR must name the built examples
#endif

static gchar *
example (const gchar * name)
{
  return g_build_filename (RK_EXAMPLES_DIR, name, NULL);
}

static gchar *
module (const gchar * name)
{
  return g_build_filename (RK_TEST_MODULES_DIR, name, NULL);
}

static GstHarness *
harness_for (const gchar * file, const gchar * caps)
{
  gchar *desc = g_strdup_printf ("ringkernel kernel-file=\"%s\"", file);
  GstHarness *h = gst_harness_new_parse (desc);

  g_free (desc);
  gst_harness_set_src_caps_str (h, caps);
  return h;
}

static GstElement *
rk_of (GstHarness * h)
{
  GstIterator *it = gst_bin_iterate_elements (GST_BIN (h->element));
  GValue v = G_VALUE_INIT;
  GstElement *e = NULL;

  if (gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
    e = g_value_dup_object (&v);
    g_value_unset (&v);
  }
  gst_iterator_free (it);
  return e;
}

static guint64
push_pull_u64 (GstHarness * h, gsize size)
{
  GstBuffer *out;
  guint64 v;

  g_assert_cmpint (gst_harness_push (h, gst_buffer_new_allocate (NULL, size,
              NULL)), ==, GST_FLOW_OK);
  out = gst_harness_pull (h);
  v = rk_test_read_u64 (out);
  gst_buffer_unref (out);
  return v;
}

static void
restart_stream (GstHarness * h)
{
  GstSegment seg;
  GstCaps *caps = gst_caps_from_string ("application/x-test");

  gst_segment_init (&seg, GST_FORMAT_TIME);
  gst_harness_push_event (h, gst_event_new_stream_start ("again"));
  gst_harness_push_event (h, gst_event_new_caps (caps));
  gst_harness_push_event (h, gst_event_new_segment (&seg));
  gst_caps_unref (caps);
}

static void
test_counter_element (void)
{
  gchar *file = example ("counter.so");
  GstHarness *h = harness_for (file, "application/x-test");
  GstElement *rk;

  for (guint64 i = 1; i <= 5; i++)
    g_assert_cmpuint (push_pull_u64 (h, 16), ==, i);

  /* The count is kernel state: it survives PAUSED → READY → PAUSED */
  gst_element_set_state (h->element, GST_STATE_READY);
  gst_element_set_state (h->element, GST_STATE_PLAYING);
  restart_stream (h);
  g_assert_cmpuint (push_pull_u64 (h, 16), ==, 6);

  /* reset starts it afresh */
  rk = rk_of (h);
  g_signal_emit_by_name (rk, "reset");
  gst_object_unref (rk);
  g_assert_cmpuint (push_pull_u64 (h, 16), ==, 1);
  gst_harness_teardown (h);
  g_free (file);
}

/* An independent statement of the vignette (pipelines/examples/cpu/). */
static guint8
vignette_ref (guint8 v, gint64 x, gint64 y, gint64 w, gint64 h, gint64 s)
{
  gint64 dx = 2 * x + 1 - w, dy = 2 * y + 1 - h;
  gint64 f = 256 - s * (dx * dx + dy * dy) / (w * w + h * h);

  return (guint8) ((v * MAX (f, 0) + 128) >> 8);
}

static void
check_vignette (const gchar * format, guint w, guint h, gdouble strength)
{
  gchar *file = example ("vignette.so");
  gchar *caps = g_strdup_printf ("video/x-raw,format=%s,width=%u,height=%u,"
      "framerate=30/1", format, w, h);
  GstHarness *h_ = harness_for (file, caps);
  GstStructure *params = gst_structure_new ("params", "param0", G_TYPE_DOUBLE,
      strength, NULL);
  guint bpp = g_str_equal (format, "RGBA") ? 4 : 1;
  guint stride = bpp == 4 ? w * 4 : GST_ROUND_UP_4 (w);
  GstBuffer *in = gst_buffer_new_allocate (NULL, stride * h, NULL), *out;
  GRand *rand = g_rand_new_with_seed (w * 31 + h);
  gint64 s = (gint64) (strength * 256 + 0.5);
  GstMapInfo im, om;

  {
    GstElement *rk = rk_of (h_);
    g_object_set (rk, "params", params, NULL);
    gst_object_unref (rk);
  }
  gst_structure_free (params);
  gst_buffer_map (in, &im, GST_MAP_WRITE);
  for (gsize i = 0; i < im.size; i++)
    im.data[i] = g_rand_int (rand);
  gst_buffer_unmap (in, &im);

  g_assert_cmpint (gst_harness_push (h_, gst_buffer_ref (in)), ==,
      GST_FLOW_OK);
  out = gst_harness_pull (h_);
  gst_buffer_map (in, &im, GST_MAP_READ);
  gst_buffer_map (out, &om, GST_MAP_READ);
  g_assert_cmpuint (om.size, ==, im.size);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      for (guint c = 0; c < bpp; c++) {
        gsize at = (gsize) y * stride + x * bpp + c;
        guint8 expect = c == 3 ? im.data[at] :
            vignette_ref (im.data[at], x, y, w, h, s);
        if (om.data[at] != expect)
          g_error ("%s %ux%u strength %g: (%u,%u,%u) is %u, expected %u",
              format, w, h, strength, x, y, c, om.data[at], expect);
      }
  gst_buffer_unmap (in, &im);
  gst_buffer_unmap (out, &om);
  gst_buffer_unref (in);
  gst_buffer_unref (out);
  g_rand_free (rand);
  gst_harness_teardown (h_);
  g_free (caps);
  g_free (file);
}

static void
test_vignette_element (void)
{
  check_vignette ("RGBA", 33, 17, 0.9);
  check_vignette ("RGBA", 64, 48, 0.0);
  check_vignette ("GRAY8", 31, 9, 1.0);
}

static GstBuffer *
envelope_buffer (guint32 type, guint16 flags, guint64 correlation,
    const guint8 * payload, gsize size)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, RK_ENVELOPE_SIZE + size,
      NULL);
  GstRkEnvelope env;
  GstMapInfo map;

  gst_rk_envelope_init (&env, type);
  env.flags = flags;
  env.payload_size = (guint32) size;
  env.correlation_id = correlation;
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  gst_rk_envelope_encode (&env, map.data);
  if (size)
    memcpy (map.data + RK_ENVELOPE_SIZE, payload, size);
  gst_buffer_unmap (buf, &map);
  return buf;
}

/* application/x-ringkernel: requests and replies as bytes. */
static void
test_raw_envelopes (void)
{
  gchar *file = example ("counter.so");
  GstHarness *h = harness_for (file, "application/x-ringkernel");
  guint8 payload[8] = { 0 };

  for (guint64 id = 40; id < 45; id++) {
    GstBuffer *out;
    GstRkEnvelope env;
    GstMapInfo map;

    g_assert_cmpint (gst_harness_push (h, envelope_buffer (RK_MSG_REQUEST,
                RK_FLAG_INLINE, id, payload, 8)), ==, GST_FLOW_OK);
    out = gst_harness_pull (h);
    gst_buffer_map (out, &map, GST_MAP_READ);
    g_assert_true (gst_rk_envelope_decode (map.data, map.size, &env, NULL));
    g_assert_cmpuint (env.type, ==, RK_MSG_REPLY);
    g_assert_cmpuint (env.correlation_id, ==, id);
    g_assert_cmpuint (env.payload_size, ==, 8);
    g_assert_cmpuint (env.hlc_physical, >, 0);
    g_assert_cmpuint (map.data[RK_ENVELOPE_SIZE], ==, id - 39);
    gst_buffer_unmap (out, &map);
    gst_buffer_unref (out);
  }
  gst_harness_teardown (h);
  g_free (file);
}

static void
expect_raw_refusal (GstBuffer * buf, const gchar * reason)
{
  gchar *file = example ("counter.so");
  GstElement *p, *src;
  GstBus *bus;
  GstMessage *m;
  GError *err = NULL;
  gchar *debug = NULL, *desc;
  GstFlowReturn ret;

  desc = g_strdup_printf ("appsrc name=src caps=application/x-ringkernel ! "
      "ringkernel name=rk kernel-file=\"%s\" ! fakesink", file);
  p = gst_parse_launch (desc, NULL);
  src = gst_bin_get_by_name (GST_BIN (p), "src");
  bus = gst_element_get_bus (p);
  gst_element_set_state (p, GST_STATE_PLAYING);
  g_signal_emit_by_name (src, "push-buffer", buf, &ret);
  gst_buffer_unref (buf);
  m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
  g_assert_nonnull (m);
  gst_message_parse_error (m, &err, &debug);
  g_assert_cmpstr (err->message, ==, "Malformed ring-kernel message in rk.");
  if (strstr (debug, reason) == NULL)
    g_error ("debug \"%s\" lacks \"%s\"", debug, reason);
  g_error_free (err);
  g_free (debug);
  gst_message_unref (m);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (p);
  g_free (desc);
  g_free (file);
}

static void
test_raw_malformed (void)
{
  guint8 junk[20] = { 1, 2, 3 };
  guint8 payload[4] = { 0 };

  expect_raw_refusal (gst_buffer_new_memdup (junk, sizeof (junk)),
      "truncated envelope: 20 bytes, a header needs 64");
  expect_raw_refusal (envelope_buffer (RK_MSG_REPLY, RK_FLAG_INLINE, 1,
          payload, 4), "a reply message cannot be sent to a kernel");
  expect_raw_refusal (envelope_buffer (RK_MSG_DATA, RK_FLAG_HOST, 1, payload,
          4), "a message from outside must carry its payload inline");
}

/* ---- bad kernel files ---- */

static void
expect_load_error (const gchar * file, const gchar * entry,
    const gchar * reason)
{
  GstElement *e = gst_element_factory_make ("ringkernel", "rk");
  GstBus *bus = gst_bus_new ();
  GstMessage *m;
  GError *err = NULL;
  gchar *expected = g_strdup_printf ("Cannot load the kernel of rk: %s",
      reason);

  gst_element_set_bus (e, bus);
  g_object_set (e, "kernel-file", file, NULL);
  if (entry)
    g_object_set (e, "kernel-entry", entry, NULL);
  g_assert_cmpint (gst_element_set_state (e, GST_STATE_READY), ==,
      GST_STATE_CHANGE_FAILURE);
  m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_assert_nonnull (m);
  gst_message_parse_error (m, &err, NULL);
  if (!g_str_has_prefix (err->message, expected))
    g_error ("error \"%s\" does not start with \"%s\"", err->message,
        expected);
  g_error_free (err);
  gst_message_unref (m);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
  g_free (expected);
}

static void
test_bad_files (void)
{
  gchar *tmp = g_dir_make_tmp ("rk-user-XXXXXX", NULL);
  gchar *text_so = g_build_filename (tmp, "text.so", NULL);
  gchar *txt = g_build_filename (tmp, "kernel.txt", NULL);
  gchar *missing = g_build_filename (tmp, "missing.so", NULL);
  gchar *counter = example ("counter.so");
  gchar *bad_abi = module ("bad-abi.so");
  gchar *no_kernel = module ("no-kernel.so");
  gchar *msg;

  g_file_set_contents (text_so, "not a shared object\n", -1, NULL);
  g_file_set_contents (txt, "kernel\n", -1, NULL);

  expect_load_error (NULL, NULL, "no kernel file given");
  expect_load_error ("counter.so", NULL, "kernel file \"counter.so\" has no "
      "directory: give a path such as ./counter.so (kernel files are never "
      "searched for)");
  msg = g_strdup_printf ("kernel file %s does not exist or is not a regular "
      "file", missing);
  expect_load_error (missing, NULL, msg);
  g_free (msg);
  msg = g_strdup_printf ("kernel file %s is of no known kind (.so: a CPU "
      "shared object, .spv: Vulkan SPIR-V, .cu: a CUDA source)", txt);
  expect_load_error (txt, NULL, msg);
  g_free (msg);
  msg = g_strdup_printf ("cannot load kernel file %s: ", text_so);
  expect_load_error (text_so, NULL, msg);
  g_free (msg);
  msg = g_strdup_printf ("kernel file %s has no entry point nosuch (export a "
      "function `const rk_cpu_kernel *nosuch (void)`)", counter);
  expect_load_error (counter, "nosuch", msg);
  g_free (msg);
  msg = g_strdup_printf ("kernel file %s was built for ring-kernel ABI "
      "version 99; this plugin reads version 1", bad_abi);
  expect_load_error (bad_abi, NULL, msg);
  g_free (msg);
  msg = g_strdup_printf ("entry point rk_kernel of kernel file %s returned no "
      "kernel", no_kernel);
  expect_load_error (no_kernel, NULL, msg);
  g_free (msg);
  msg = g_strdup_printf ("kernel rk_no_process in %s has no process function",
      no_kernel);
  expect_load_error (no_kernel, "rk_no_process", msg);
  g_free (msg);

  /* A GPU kernel where that GPU backend is missing: the reason */
  {
    static const struct
    {
      GstRkBackendKind kind;
      const gchar *file, *what;
    } gpu[] = { {GST_RK_BACKEND_CUDA, "k.cu", "a CUDA source"},
    {GST_RK_BACKEND_VULKAN, "k.spv", "Vulkan SPIR-V"} };

    for (guint i = 0; i < G_N_ELEMENTS (gpu); i++) {
      gchar *reason = NULL, *path = g_build_filename (tmp, gpu[i].file, NULL);

      g_file_set_contents (path, "x", -1, NULL);
      if (!gst_rk_runtime_is_backend_available (gpu[i].kind, &reason)) {
        msg = g_strdup_printf ("kernel file %s is %s, but %s", path,
            gpu[i].what, reason);
        expect_load_error (path, NULL, msg);
        g_free (msg);
      }
      g_unlink (path);
      g_free (path);
      g_free (reason);
    }
  }

  g_unlink (text_so);
  g_unlink (txt);
  g_rmdir (tmp);
  g_free (tmp);
  g_free (text_so);
  g_free (txt);
  g_free (missing);
  g_free (counter);
  g_free (bad_abi);
  g_free (no_kernel);
}

/* A kernel whose process function fails: an element error naming the
 * message, and the pipeline still stops. */
static void
test_failing_kernel (void)
{
  gchar *file = module ("failing.so");
  gchar *desc = g_strdup_printf ("fakesrc num-buffers=10 ! ringkernel "
      "name=rk kernel-file=\"%s\" ! fakesink", file);
  GstElement *p = gst_parse_launch (desc, NULL);
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *m;
  GError *err = NULL;
  gchar *debug = NULL;

  gst_element_set_state (p, GST_STATE_PLAYING);
  m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
  g_assert_nonnull (m);
  gst_message_parse_error (m, &err, &debug);
  g_assert_cmpstr (err->message, ==, "Ring kernel rk failed on the CPU "
      "backend.");
  g_assert_nonnull (strstr (debug, "user kernel failing failed on message 3 "
          "(its process function returned 7)"));
  g_error_free (err);
  g_free (debug);
  gst_message_unref (m);
  g_assert_cmpint (gst_element_set_state (p, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (bus);
  gst_object_unref (p);
  g_free (desc);
  g_free (file);
}

/* The C API: load once, the same kernel for the same unchanged file; a
 * changed file is a new kernel. */
static void
test_load_api (void)
{
  gchar *src = example ("counter.so");
  gchar *tmp = g_dir_make_tmp ("rk-user-XXXXXX", NULL);
  gchar *copy = g_build_filename (tmp, "counter.so", NULL);
  gchar *bytes = NULL;
  gsize len;
  const GstRkKernelInfo *a, *b, *c;
  GstRkBackendKind backend;
  GstRkRuntime *rt;
  GstRkKernel *k;
  GstRkMessage reply;

  g_assert_true (g_file_get_contents (src, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (copy, bytes, len, NULL));
  a = gst_rk_user_kernel_load (copy, NULL, 0, NULL, &backend, NULL);
  b = gst_rk_user_kernel_load (copy, NULL, 0, NULL, NULL, NULL);
  g_assert_nonnull (a);
  g_assert_true (a == b);
  g_assert_cmpint (backend, ==, GST_RK_BACKEND_CPU);
  g_assert_true (a->flags & GST_RK_KERNEL_FLAG_NO_ELEMENT);
  g_assert_null (gst_element_factory_find (a->name));

  rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  k = gst_rk_runtime_launch (rt, a->name, NULL, backend, -1, NULL, NULL,
      NULL);
  g_assert_nonnull (k);
  for (guint64 i = 1; i <= 3; i++) {
    g_assert_true (gst_rk_kernel_call (k, gst_buffer_new_allocate (NULL, 4,
                NULL), G_USEC_PER_SEC, &reply, NULL));
    g_assert_cmpuint (rk_test_read_u64 (reply.payload), ==, i);
    gst_rk_message_clear (&reply);
  }
  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (k);
  gst_object_unref (rt);

  /* A different state size is another kernel */
  c = gst_rk_user_kernel_load (copy, NULL, 64, NULL, NULL, NULL);
  g_assert_true (c != a);
  g_assert_cmpuint (c->state_size, ==, 64);

  g_unlink (copy);
  g_rmdir (tmp);
  g_free (bytes);
  g_free (copy);
  g_free (tmp);
  g_free (src);
}

int
main (int argc, char **argv)
{
  rk_test_init (&argc, &argv);
  g_test_add_func ("/user/counter-element", test_counter_element);
  g_test_add_func ("/user/vignette-element", test_vignette_element);
  g_test_add_func ("/user/raw-envelopes", test_raw_envelopes);
  g_test_add_func ("/user/raw-malformed", test_raw_malformed);
  g_test_add_func ("/user/bad-files", test_bad_files);
  g_test_add_func ("/user/failing-kernel", test_failing_kernel);
  g_test_add_func ("/user/load-api", test_load_api);
  return g_test_run ();
}
