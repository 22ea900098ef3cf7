/* Vulkan user kernels (SPIR-V against runtime/rkuser.glsl) on lavapipe:
 * the examples (pipelines/examples/vulkan/) give the CPU examples' exact
 * bytes through the ringkernel element and through the C API; every bad
 * file is refused with its exact error (bad magic, truncated, wrong entry,
 * wrong ABI, no RK_USER_KERNEL, SPIR-V the validator refuses). */
#include <string.h>
#include <glib/gstdio.h>
#include <gst/check/gstharness.h>

#include "rktest.h"

#ifndef RK_EXAMPLES_DIR
#error RK_EXAMPLES_DIR must name the built examples
#endif

static gchar *tmp_dir;

static gchar *
example (const gchar * name)
{
  return g_build_filename (RK_EXAMPLES_DIR, name, NULL);
}

static gchar *
tmp_file (const gchar * name, gconstpointer data, gsize size)
{
  gchar *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, (gssize) size, NULL));
  return path;
}

static GstHarness *
harness_for (const gchar * file, const gchar * extra, const gchar * caps)
{
  gchar *desc = g_strdup_printf ("ringkernel name=rk kernel-file=\"%s\" %s",
      file, extra);
  GstHarness *h = gst_harness_new_parse (desc);

  g_free (desc);
  gst_harness_set_src_caps_str (h, caps);
  return h;
}

static GstBuffer *
random_buffer (GRand * rand, gsize size)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, size, NULL);
  GstMapInfo map;

  gst_buffer_map (b, &map, GST_MAP_WRITE);
  for (gsize i = 0; i < size; i++)
    map.data[i] = (guint8) g_rand_int (rand);
  gst_buffer_unmap (b, &map);
  return b;
}

static void
assert_same_bytes (GstBuffer * a, GstBuffer * b, const gchar * what)
{
  GstMapInfo am, bm;

  gst_buffer_map (a, &am, GST_MAP_READ);
  gst_buffer_map (b, &bm, GST_MAP_READ);
  g_assert_cmpuint (am.size, ==, bm.size);
  for (gsize i = 0; i < am.size; i++)
    if (am.data[i] != bm.data[i])
      g_error ("%s: byte %" G_GSIZE_FORMAT " is %u on Vulkan, %u on the CPU",
          what, i, am.data[i], bm.data[i]);
  gst_buffer_unmap (a, &am);
  gst_buffer_unmap (b, &bm);
}

/* ---- the examples through the element ---- */

static void
test_counter_element (void)
{
  gchar *spv = example ("counter.spv"), *so = example ("counter.so");
  GstHarness *v = harness_for (spv, "", "application/x-test");
  GstHarness *c = harness_for (so, "", "application/x-test");

  for (guint i = 1; i <= 5; i++) {
    GstBuffer *vo, *co;

    gst_harness_push (v, gst_buffer_new_allocate (NULL, 16, NULL));
    gst_harness_push (c, gst_buffer_new_allocate (NULL, 16, NULL));
    vo = gst_harness_pull (v);
    co = gst_harness_pull (c);
    g_assert_cmpuint (rk_test_read_u64 (vo), ==, i);
    assert_same_bytes (vo, co, "counter");
    gst_buffer_unref (vo);
    gst_buffer_unref (co);
  }

  /* The count is device state: it survives PAUSED → READY → PAUSED */
  gst_element_set_state (v->element, GST_STATE_READY);
  gst_element_set_state (v->element, GST_STATE_PLAYING);
  {
    GstSegment seg;
    GstCaps *caps = gst_caps_from_string ("application/x-test");
    GstBuffer *out;

    gst_segment_init (&seg, GST_FORMAT_TIME);
    gst_harness_push_event (v, gst_event_new_stream_start ("again"));
    gst_harness_push_event (v, gst_event_new_caps (caps));
    gst_harness_push_event (v, gst_event_new_segment (&seg));
    gst_caps_unref (caps);
    gst_harness_push (v, gst_buffer_new_allocate (NULL, 16, NULL));
    out = gst_harness_pull (v);
    g_assert_cmpuint (rk_test_read_u64 (out), ==, 6);
    gst_buffer_unref (out);
  }
  gst_harness_teardown (v);
  gst_harness_teardown (c);
  g_free (spv);
  g_free (so);
}

static void
check_vignette_element (const gchar * format, guint w, guint h,
    gdouble strength)
{
  gchar *spv = example ("vignette.spv"), *so = example ("vignette.so");
  gchar *caps = g_strdup_printf ("video/x-raw,format=%s,width=%u,height=%u,"
      "framerate=30/1", format, w, h);
  gchar *params = g_strdup_printf ("params=\"params, param0=(double)%g\"",
      strength);
  GstHarness *v = harness_for (spv, params, caps);
  GstHarness *c = harness_for (so, params, caps);
  guint stride = g_str_equal (format, "RGBA") ? w * 4 : GST_ROUND_UP_4 (w);
  GRand *rand = g_rand_new_with_seed (w * 31 + h);
  gchar *what = g_strdup_printf ("vignette %s %ux%u strength %g", format, w,
      h, strength);

  for (guint i = 0; i < 2; i++) {
    GstBuffer *in = random_buffer (rand, (gsize) stride * h), *vo, *co;

    g_assert_cmpint (gst_harness_push (v, gst_buffer_ref (in)), ==,
        GST_FLOW_OK);
    g_assert_cmpint (gst_harness_push (c, in), ==, GST_FLOW_OK);
    vo = gst_harness_pull (v);
    co = gst_harness_pull (c);
    assert_same_bytes (vo, co, what);
    gst_buffer_unref (vo);
    gst_buffer_unref (co);
  }
  g_rand_free (rand);
  gst_harness_teardown (v);
  gst_harness_teardown (c);
  g_free (what);
  g_free (params);
  g_free (caps);
  g_free (spv);
  g_free (so);
}

static void
test_vignette_element (void)
{
  check_vignette_element ("RGBA", 33, 17, 0.9);
  check_vignette_element ("RGBA", 64, 48, 0.0);
  check_vignette_element ("GRAY8", 31, 9, 1.0);
  check_vignette_element ("GRAY8", 320, 240, 0.5);
}

/* ---- the examples through the C API ---- */

static GstRkKernel *
launch (GstRkRuntime * rt, const gchar * file, GstRkKernelMode mode,
    const GstStructure * params)
{
  GstRkBackendKind backend;
  const GstRkKernelInfo *info;
  GstRkLaunchOptions opts;
  GstRkKernel *k;
  GError *err = NULL;

  info = gst_rk_user_kernel_load (file, NULL, 0, NULL, &backend, &err);
  g_assert_no_error (err);
  gst_rk_launch_options_init (&opts);
  opts.mode = mode;
  k = gst_rk_runtime_launch (rt, info->name, NULL, backend, -1, &opts,
      params, &err);
  g_assert_no_error (err);
  g_assert_nonnull (k);
  return k;
}

static void
test_counter_api (void)
{
  gchar *spv = example ("counter.spv"), *so = example ("counter.so");
  const GstRkKernelInfo *info;
  GstRkBackendKind backend;
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkKernel *v, *c;

  info = gst_rk_user_kernel_load (spv, NULL, 0, NULL, &backend, NULL);
  g_assert_nonnull (info);
  g_assert_cmpint (backend, ==, GST_RK_BACKEND_VULKAN);
  g_assert_cmpuint (info->state_size, ==, 8);
  g_assert_cmpint (info->kind, ==, GST_RK_KERNEL_KIND_MESSAGE);
  v = launch (rt, spv, GST_RK_KERNEL_MODE_AUTO, NULL);
  g_assert_cmpint (gst_rk_kernel_get_mode (v), ==,
      GST_RK_KERNEL_MODE_EVENT_DRIVEN);
  c = launch (rt, so, GST_RK_KERNEL_MODE_AUTO, NULL);
  for (guint64 i = 1; i <= 4; i++) {
    GstRkMessage vr, cr;

    /* A REQUEST's DATA output comes back as its REPLY */
    GError *err = NULL;

    gst_rk_kernel_call (v, gst_buffer_new_allocate (NULL, 4, NULL),
        5 * G_USEC_PER_SEC, &vr, &err);
    g_assert_no_error (err);
    gst_rk_kernel_call (c, gst_buffer_new_allocate (NULL, 4, NULL),
        5 * G_USEC_PER_SEC, &cr, &err);
    g_assert_no_error (err);
    g_assert_cmpuint (vr.env.type, ==, RK_MSG_REPLY);
    g_assert_cmpuint (rk_test_read_u64 (vr.payload), ==, i);
    assert_same_bytes (vr.payload, cr.payload, "counter");
    gst_rk_message_clear (&vr);
    gst_rk_message_clear (&cr);
  }
  g_assert_true (gst_rk_runtime_shutdown (rt, NULL));
  gst_object_unref (v);
  gst_object_unref (c);
  gst_object_unref (rt);
  g_free (spv);
  g_free (so);
}

static void
test_vignette_api (void)
{
  gchar *spv = example ("vignette.spv"), *so = example ("vignette.so");
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstStructure *params = gst_structure_new ("params", "param0", G_TYPE_DOUBLE,
      0.75, NULL);
  GstRkKernel *v = launch (rt, spv, GST_RK_KERNEL_MODE_AUTO, params);
  GstRkKernel *c = launch (rt, so, GST_RK_KERNEL_MODE_AUTO, params);
  GstCaps *caps = gst_caps_from_string ("video/x-raw,format=RGBA,width=45,"
      "height=27,framerate=30/1");
  GRand *rand = g_rand_new_with_seed (7);

  g_assert_true (gst_rk_kernel_set_caps (v, caps, NULL, NULL));
  g_assert_true (gst_rk_kernel_set_caps (c, caps, NULL, NULL));
  for (guint i = 0; i < 3; i++) {
    GstBuffer *in = random_buffer (rand, 45 * 4 * 27);
    GstRkMessage vo, co;

    g_assert_true (gst_rk_kernel_send (v, gst_buffer_ref (in), RK_MSG_DATA,
            0, -1, NULL, NULL));
    g_assert_true (gst_rk_kernel_send (c, in, RK_MSG_DATA, 0, -1, NULL,
            NULL));
    g_assert_true (gst_rk_kernel_receive (v, &vo, g_get_monotonic_time () +
            10 * G_USEC_PER_SEC, NULL));
    g_assert_true (gst_rk_kernel_receive (c, &co, g_get_monotonic_time () +
            10 * G_USEC_PER_SEC, NULL));
    assert_same_bytes (vo.payload, co.payload, "vignette (C API)");
    gst_rk_message_clear (&vo);
    gst_rk_message_clear (&co);
  }
  g_rand_free (rand);
  gst_caps_unref (caps);
  gst_structure_free (params);
  g_assert_true (gst_rk_runtime_shutdown (rt, NULL));
  gst_object_unref (v);
  gst_object_unref (c);
  gst_object_unref (rt);
  g_free (spv);
  g_free (so);
}

/* No persistent form: asking for one is refused with the reason */
static void
test_persistent_refused (void)
{
  gchar *spv = example ("counter.spv");
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  const GstRkKernelInfo *info;
  GstRkBackendKind backend;
  GstRkLaunchOptions opts;
  GError *err = NULL;
  gchar *expect;

  info = gst_rk_user_kernel_load (spv, NULL, 0, NULL, &backend, NULL);
  g_assert_nonnull (info);
  g_assert_true (info->flags & GST_RK_KERNEL_FLAG_EVENT_DRIVEN);
  gst_rk_launch_options_init (&opts);
  opts.mode = GST_RK_KERNEL_MODE_PERSISTENT;
  g_assert_null (gst_rk_runtime_launch (rt, info->name, NULL, backend, -1,
          &opts, NULL, &err));
  g_assert_nonnull (err);
  expect = g_strdup_printf ("kernel %s (main) has no persistent Vulkan "
      "shader", spv);
  if (strstr (err->message, expect) == NULL)
    g_error ("\"%s\" not in the error: %s", expect, err->message);
  g_error_free (err);
  g_free (expect);
  g_assert_true (gst_rk_runtime_shutdown (rt, NULL));
  gst_object_unref (rt);
  g_free (spv);
}

/* Extra outputs before the main one, in order; the input passed on */
static void
test_several_outputs (void)
{
  gchar *path = g_build_filename (RK_TEST_SPIRV_DIR, "multi.spv", NULL);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkKernel *k = launch (rt, path, GST_RK_KERNEL_MODE_AUTO, NULL);

  for (guint64 i = 0; i < 3; i++) {
    GstBuffer *in = rk_test_make_buffer (0x1000 + i, 12 + 4 * i);
    GstRkMessage notify, data;
    GError *err = NULL;
    guint32 words[2];

    g_assert_true (gst_rk_kernel_send (k, gst_buffer_ref (in), RK_MSG_DATA,
            0, -1, NULL, &err));
    g_assert_no_error (err);
    g_assert_true (gst_rk_kernel_receive (k, &notify,
            g_get_monotonic_time () + 10 * G_USEC_PER_SEC, &err));
    g_assert_no_error (err);
    g_assert_true (gst_rk_kernel_receive (k, &data,
            g_get_monotonic_time () + 10 * G_USEC_PER_SEC, &err));
    g_assert_no_error (err);
    g_assert_cmpuint (notify.env.type, ==, RK_MSG_NOTIFY);
    g_assert_cmpuint (gst_buffer_get_size (notify.payload), ==, 8);
    gst_buffer_extract (notify.payload, 0, words, 8);
    g_assert_cmpuint (words[0], ==, 12 + 4 * i);
    g_assert_cmpuint (words[1], ==, (guint32) rk_test_read_u64 (in));
    g_assert_cmpuint (data.env.type, ==, RK_MSG_DATA);
    assert_same_bytes (data.payload, in, "the input passed on");
    gst_rk_message_clear (&notify);
    gst_rk_message_clear (&data);
    gst_buffer_unref (in);
  }
  g_assert_true (gst_rk_runtime_shutdown (rt, NULL));
  gst_object_unref (k);
  gst_object_unref (rt);
  g_free (path);
}

/* ---- bad files ---- */

static void
expect_load_error (const gchar * path, const gchar * entry,
    const gchar * reason)
{
  gchar *expect = g_strdup_printf ("kernel file %s %s", path, reason);
  GError *err = NULL;

  g_assert_null (gst_rk_user_kernel_load (path, entry, 0, NULL, NULL, &err));
  g_assert_nonnull (err);
  g_assert_cmpstr (err->message, ==, expect);
  g_error_free (err);
  g_free (expect);
}

static void
test_bad_magic (void)
{
  static const guint32 words[] = { 0xdeadbeef, 0x00010000, 0, 8, 0 };
  static const guint32 swapped[] = { 0x03022307, 0x00010000, 0, 8, 0 };
  gchar *a = tmp_file ("magic.spv", words, sizeof (words));
  gchar *b = tmp_file ("swapped.spv", swapped, sizeof (swapped));

  expect_load_error (a, NULL, "is not SPIR-V: its magic number is "
      "0xdeadbeef, not 0x07230203");
  expect_load_error (b, NULL, "is not SPIR-V: its magic number is "
      "0x03022307, not 0x07230203 (a module of the other byte order)");
  g_free (a);
  g_free (b);
}

static void
test_truncated (void)
{
  gchar *counter = example ("counter.spv"), *bytes = NULL;
  gsize len = 0;
  gchar *odd, *header, *cut;

  g_assert_true (g_file_get_contents (counter, &bytes, &len, NULL));
  odd = tmp_file ("odd.spv", bytes, len - 2);
  header = tmp_file ("header.spv", bytes, 12);
  /* the header and the first word of OpCapability Shader (2 words) */
  cut = tmp_file ("cut.spv", bytes, 24);
  {
    gchar *msg = g_strdup_printf ("is truncated or not SPIR-V: %"
        G_GSIZE_FORMAT " bytes is not a whole number of 32-bit words",
        len - 2);
    expect_load_error (odd, NULL, msg);
    g_free (msg);
  }
  expect_load_error (header, NULL, "is truncated: 12 bytes, shorter than "
      "the 20-byte SPIR-V header");
  expect_load_error (cut, NULL, "is truncated: the instruction at word 5 "
      "needs 2 words, the file ends after 1");
  g_free (odd);
  g_free (header);
  g_free (cut);
  g_free (bytes);
  g_free (counter);
}

static void
test_wrong_entry (void)
{
  gchar *counter = example ("counter.spv");

  expect_load_error (counter, "rk_nope", "has no GLCompute entry point "
      "rk_nope (the kernel-entry); its entry points: main");
  g_free (counter);
}

static void
test_wrong_abi (void)
{
  gchar *path = g_build_filename (RK_TEST_SPIRV_DIR, "bad-abi.spv", NULL);

  expect_load_error (path, NULL, "was written for user-kernel ABI version 2, "
      "this plugin has version 1");
  g_free (path);
}

static void
test_undeclared (void)
{
  gchar *path = g_build_filename (RK_TEST_SPIRV_DIR, "undeclared.spv", NULL);

  expect_load_error (path, NULL, "does not declare RK_USER_KERNEL "
      "(state_size, flags) of rkuser.glsl (specialization constants "
      "1000-1002)");
  g_free (path);
}

static void
test_abi_layout (void)
{
  gchar *wide = g_build_filename (RK_TEST_SPIRV_DIR, "wide.spv", NULL);
  gchar *binding = g_build_filename (RK_TEST_SPIRV_DIR, "binding.spv", NULL);
  gchar *ubo = g_build_filename (RK_TEST_SPIRV_DIR, "ubo.spv", NULL);
  gchar *push = g_build_filename (RK_TEST_SPIRV_DIR, "push.spv", NULL);
  gchar *wgspec = g_build_filename (RK_TEST_SPIRV_DIR, "wgspec.spv", NULL);

  expect_load_error (wide, NULL, "has a workgroup of 32x1x1 invocations; "
      "rkuser.glsl fixes it at 64x1x1 (RK_USER_KERNEL declares it)");
  expect_load_error (binding, NULL, "uses binding 9; rkuser.glsl's are "
      "0-6");
  expect_load_error (ubo, NULL, "declares binding 6 as something other "
      "than a storage buffer; rkuser.glsl's bindings are all storage "
      "buffers");
  expect_load_error (push, NULL, "has push constants beyond the 128 bytes "
      "of rk_params");
  expect_load_error (wgspec, NULL, "sets its workgroup size with "
      "specialization constants; rkuser.glsl fixes it at 64x1x1 "
      "(RK_USER_KERNEL declares it)");
  g_free (wide);
  g_free (binding);
  g_free (ubo);
  g_free (push);
  g_free (wgspec);
}

/* gl_WorkGroupID's BuiltIn decoration turned into an Offset: valid SPIR-V
 * on which lavapipe crashed (found by mutating the examples) */
static void
test_plain_input (void)
{
  gchar *counter = example ("counter.spv"), *bytes = NULL, *path, *msg;
  guint32 *w, id = 0;
  gsize len = 0;

  g_assert_true (g_file_get_contents (counter, &bytes, &len, NULL));
  w = (guint32 *) bytes;
  for (gsize i = 5; i + 3 < len / 4; i++)
    if (w[i] == ((4u << 16) | 71u) && w[i + 2] == 11u && w[i + 3] == 26u) {
      id = w[i + 1];            /* OpDecorate id BuiltIn WorkgroupId */
      w[i + 2] = 35u;           /* Offset 26 */
      break;
    }
  g_assert_cmpuint (id, !=, 0);
  path = tmp_file ("input.spv", bytes, len);
  msg = g_strdup_printf ("has an input variable (%%%u) that is not a "
      "built-in; compute kernels have no other inputs", id);
  expect_load_error (path, NULL, msg);
  g_free (msg);
  g_free (path);
  g_free (bytes);
  g_free (counter);
}

/* An OpSpecConstantOp given a struct type: SPIRV-Tools 2023.1 accepts
 * it, lavapipe crashed on it */
static void
test_spec_op_type (void)
{
  gchar *counter = example ("counter.spv"), *bytes = NULL, *path, *msg;
  guint32 *w, strukt = 0, id = 0;
  gsize len = 0;

  g_assert_true (g_file_get_contents (counter, &bytes, &len, NULL));
  w = (guint32 *) bytes;
  for (gsize i = 5; i < len / 4; i += w[i] >> 16) {
    if ((w[i] & 0xffff) == 30u && strukt == 0)
      strukt = w[i + 1];        /* OpTypeStruct */
    else if ((w[i] & 0xffff) == 52u && strukt != 0 && id == 0) {
      w[i + 1] = strukt;        /* OpSpecConstantOp's result type */
      id = w[i + 2];
    }
  }
  g_assert_cmpuint (id, !=, 0);
  path = tmp_file ("specop.spv", bytes, len);
  msg = g_strdup_printf ("has a specialization constant operation (%%%u) "
      "whose type is not a scalar or vector", id);
  expect_load_error (path, NULL, msg);
  g_free (msg);
  g_free (path);
  g_free (bytes);
  g_free (counter);
}

/* A descriptor set past 2^31 (a signed overflow once let it through) */
static void
test_huge_set (void)
{
  gchar *counter = example ("counter.spv"), *bytes = NULL, *path;
  guint32 *w;
  gsize len = 0;
  gboolean patched = FALSE;

  g_assert_true (g_file_get_contents (counter, &bytes, &len, NULL));
  w = (guint32 *) bytes;
  for (gsize i = 5; i + 3 < len / 4 && !patched; i++)
    if (w[i] == ((4u << 16) | 71u) && w[i + 2] == 34u && w[i + 3] == 0u) {
      w[i + 3] = 2701131776u;   /* OpDecorate id DescriptorSet 0 */
      patched = TRUE;
    }
  g_assert_true (patched);
  path = tmp_file ("set.spv", bytes, len);
  expect_load_error (path, NULL, "uses descriptor set 2701131776; "
      "rkuser.glsl's bindings are in set 0");
  g_free (path);
  g_free (bytes);
  g_free (counter);
}

/* Well framed, but no OpMemoryModel: the validator's message */
static void
test_invalid (void)
{
  static const guint32 words[] = { 0x07230203, 0x00010000, 0, 8, 0,
    (2u << 16) | 17u, 1u        /* OpCapability Shader */
  };
  gchar *path = tmp_file ("invalid.spv", words, sizeof (words));

  expect_load_error (path, NULL, "fails SPIR-V validation (Vulkan 1.2 "
      "rules): Missing required OpMemoryModel instruction.");
  g_free (path);
}

/* Through the element: GST_ELEMENT_ERROR with the same text */
static void
test_element_error (void)
{
  gchar *counter = example ("counter.spv");
  GstElement *e = gst_element_factory_make ("ringkernel", "rk");
  GstBus *bus = gst_bus_new ();
  GstMessage *m;
  GError *err = NULL;
  gchar *expect = g_strdup_printf ("Cannot load the kernel of rk: kernel "
      "file %s has no GLCompute entry point rk_nope (the kernel-entry); its "
      "entry points: main", counter);

  gst_element_set_bus (e, bus);
  g_object_set (e, "kernel-file", counter, "kernel-entry", "rk_nope", NULL);
  g_assert_cmpint (gst_element_set_state (e, GST_STATE_READY), ==,
      GST_STATE_CHANGE_FAILURE);
  m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_assert_nonnull (m);
  gst_message_parse_error (m, &err, NULL);
  if (!g_str_has_prefix (err->message, expect))
    g_error ("error \"%s\" does not start with \"%s\"", err->message, expect);
  g_error_free (err);
  gst_message_unref (m);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
  g_free (expect);
  g_free (counter);
}

int
main (int argc, char **argv)
{
  gchar *reason = NULL;
  int ret;

  rk_test_init (&argc, &argv);
  if (!rk_test_backend_usable (GST_RK_BACKEND_VULKAN, &reason)) {
    g_print ("SKIP: %s\n", reason);
    g_free (reason);
    return 77;
  }
  tmp_dir = g_dir_make_tmp ("rk-vulkan-user-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/vulkan/user/counter-element", test_counter_element);
  g_test_add_func ("/vulkan/user/vignette-element", test_vignette_element);
  g_test_add_func ("/vulkan/user/counter-api", test_counter_api);
  g_test_add_func ("/vulkan/user/vignette-api", test_vignette_api);
  g_test_add_func ("/vulkan/user/several-outputs", test_several_outputs);
  g_test_add_func ("/vulkan/user/persistent-refused",
      test_persistent_refused);
  g_test_add_func ("/vulkan/user/bad-magic", test_bad_magic);
  g_test_add_func ("/vulkan/user/truncated", test_truncated);
  g_test_add_func ("/vulkan/user/wrong-entry", test_wrong_entry);
  g_test_add_func ("/vulkan/user/wrong-abi", test_wrong_abi);
  g_test_add_func ("/vulkan/user/undeclared", test_undeclared);
  g_test_add_func ("/vulkan/user/abi-layout", test_abi_layout);
  g_test_add_func ("/vulkan/user/plain-input", test_plain_input);
  g_test_add_func ("/vulkan/user/huge-set", test_huge_set);
  g_test_add_func ("/vulkan/user/spec-op-type", test_spec_op_type);
  g_test_add_func ("/vulkan/user/invalid", test_invalid);
  g_test_add_func ("/vulkan/user/element-error", test_element_error);
  ret = g_test_run ();
  rk_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
