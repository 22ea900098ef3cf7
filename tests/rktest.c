/* Shared by the tests: initialisation and the test-only kernels. */
#include <string.h>

#include <glib/gstdio.h>

#include "rktest.h"
#include "gstrkbackend.h"
#include "gstrkpluginstatic.h"
#include "gstrkcpukernel.h"
#ifdef RK_TEST_HAVE_VULKAN
#include "gstrkvulkankernel.h"
#endif

#ifdef RK_TEST_HAVE_CUDA
#include "gstrkcudakernel.h"
#include "rkcudacounter-fatbin.h"

/* The CUDA implementation: tests/rkcudacounter.h, compiled into its own
 * module. One 8-byte output per message. */
static gsize
counter_cuda_output_size (const GstRkParams * params, gsize in_size)
{
  return sizeof (guint64);
}

static const GstRkCudaKernel counter_cuda = {
  .name = "counter",
  .image = rk_test_counter_fatbin,
  .output_size = counter_cuda_output_size,
};
#endif

static gboolean
counter_process (GstRkCpuContext * ctx, GError ** error)
{
  RkTestCounterState *st = ctx->state;
  guint64 le;
  GstBuffer *out;

  st->count += (guint64) ctx->params->param[0];
  le = GUINT64_TO_LE (st->count);
  out = gst_buffer_new_memdup (&le, sizeof (le));
  if (ctx->msg->payload)
    gst_buffer_copy_into (out, ctx->msg->payload, GST_BUFFER_COPY_TIMESTAMPS,
        0, -1);
  return gst_rk_cpu_context_emit (ctx,
      ctx->msg->env.type == RK_MSG_REQUEST ? RK_MSG_REPLY : RK_MSG_DATA, out,
      error);
}

static const GstRkCpuKernel counter_cpu = {
  .name = "counter",
  .process = counter_process,
};

#ifdef RK_TEST_HAVE_VULKAN
/* tests/counter.comp, built by glslc (tests/meson.build) */
static const guint32 counter_ring_mm[] =
#include "counter-ring-mm.spv.h"
    ;
static const guint32 counter_ring_coherent[] =
#include "counter-ring-coherent.spv.h"
    ;
static const guint32 counter_bulk[] =
#include "counter-bulk.spv.h"
    ;

static gsize
counter_vulkan_output_size (const GstRkParams * params, gsize in_size)
{
  return sizeof (guint64);
}

static void
counter_vulkan_grid (const GstRkParams * params, gsize in_size,
    guint32 groups[3])
{
  /* one invocation: the count is one value */
}

static const GstRkVulkanKernel counter_vulkan = {
  .name = "counter",
  .ring_memory_model = GST_RK_VULKAN_SHADER (counter_ring_mm),
  .ring_coherent = GST_RK_VULKAN_SHADER (counter_ring_coherent),
  .bulk = GST_RK_VULKAN_SHADER (counter_bulk),
  .output_size = counter_vulkan_output_size,
  .grid = counter_vulkan_grid,
};
#endif

static const GstRkParamInfo counter_params[] = {
  {"step", "Step", "What each message adds to the count", GST_RK_PARAM_INT,
      1, 1000, 1, 0, GST_RK_PARAM_FLAG_MUTABLE_PLAYING},
};

static const GstRkKernelInfo counter_info = {
  .name = "counter",
  .long_name = "Test counter",
  .klass = "Testing",
  .description = "Counts messages in device state (tests only)",
  .sink_caps = "ANY",
  .src_caps = "ANY",
  .kind = GST_RK_KERNEL_KIND_MESSAGE,
  .state_size = sizeof (RkTestCounterState),
  .params = counter_params,
  .n_params = G_N_ELEMENTS (counter_params),
};

/* "stamp": passes each buffer through, writing the kernel's running count of
 * processed messages into bytes 8..15 (little-endian). The count keeps
 * going while the device state lives, so a stream of stamps shows the state
 * survived; the payload's first 8 bytes are left alone. */
static gboolean
stamp_process (GstRkCpuContext * ctx, GError ** error)
{
  RkTestCounterState *st = ctx->state;
  GstBuffer *buf = ctx->msg->payload;
  guint64 le;

  ctx->msg->payload = NULL;
  st->count++;
  if (buf && gst_buffer_get_size (buf) >= 16) {
    buf = gst_buffer_make_writable (buf);
    le = GUINT64_TO_LE (st->count);
    gst_buffer_fill (buf, 8, &le, sizeof (le));
  }
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA, buf, error);
}

static const GstRkCpuKernel stamp_cpu = {
  .name = "stamp",
  .process = stamp_process,
};

static const GstRkKernelInfo stamp_info = {
  .name = "stamp",
  .long_name = "Test stamp",
  .klass = "Testing",
  .description = "Writes a running count into each buffer (tests only)",
  .sink_caps = "ANY",
  .src_caps = "ANY",
  .kind = GST_RK_KERNEL_KIND_MESSAGE,
  .state_size = sizeof (RkTestCounterState),
};

/* "fanout": emits each buffer `outputs` times (0 to 8), for tests of the
 * order of outputs and events. */
static gboolean
fanout_process (GstRkCpuContext * ctx, GError ** error)
{
  guint n = (guint) ctx->params->param[0];

  for (guint i = 0; i < n; i++) {
    if (!gst_rk_cpu_context_emit (ctx, RK_MSG_DATA,
            gst_buffer_copy (ctx->msg->payload), error))
      return FALSE;
  }
  return TRUE;
}

static const GstRkCpuKernel fanout_cpu = {
  .name = "fanout",
  .process = fanout_process,
};

static const GstRkParamInfo fanout_params[] = {
  {"outputs", "Outputs", "How many outputs each message makes",
      GST_RK_PARAM_INT, 0, 8, 1, 0, 0},
};

static const GstRkKernelInfo fanout_info = {
  .name = "fanout",
  .long_name = "Test fan-out",
  .klass = "Testing",
  .description = "Emits each buffer a set number of times (tests only)",
  .sink_caps = "ANY",
  .src_caps = "ANY",
  .kind = GST_RK_KERNEL_KIND_MESSAGE,
  .params = fanout_params,
  .n_params = G_N_ELEMENTS (fanout_params),
};

/**
 * rk_test_init:
 *
 * gst_init(), registers the test kernels, then registers the plugin linked
 * into the test (the tests that use rktest link the runtime statically,
 * for its internals) so that its plugin_init makes an element for each of
 * them.
 */
void
rk_test_init (int *argc, char ***argv)
{
  gst_init (argc, argv);
  g_test_init (argc, argv, NULL);
  gst_rk_init ();
  g_assert_true (gst_rk_registry_register (&counter_info, NULL));
  gst_rk_registry_add_implementation ("counter", GST_RK_BACKEND_CPU,
      &counter_cpu);
  g_assert_true (gst_rk_registry_register (&stamp_info, NULL));
  gst_rk_registry_add_implementation ("stamp", GST_RK_BACKEND_CPU,
      &stamp_cpu);
  g_assert_true (gst_rk_registry_register (&fanout_info, NULL));
  gst_rk_registry_add_implementation ("fanout", GST_RK_BACKEND_CPU,
      &fanout_cpu);
#ifdef RK_TEST_HAVE_CUDA
  gst_rk_registry_add_implementation ("counter", GST_RK_BACKEND_CUDA,
      &counter_cuda);
#endif
#ifdef RK_TEST_HAVE_VULKAN
  gst_rk_registry_add_implementation ("counter", GST_RK_BACKEND_VULKAN,
      &counter_vulkan);
#endif
  gst_rk_plugin_register_static ();
}

guint64
rk_test_read_u64 (GstBuffer * buf)
{
  guint64 v = 0;

  g_assert_cmpuint (gst_buffer_extract (buf, 0, &v, sizeof (v)), ==,
      sizeof (v));
  return GUINT64_FROM_LE (v);
}

/* A buffer of @size bytes starting with @value (little-endian), the rest a
 * pattern derived from it. */
GstBuffer *
rk_test_make_buffer (guint64 value, gsize size)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, MAX (size, 8), NULL);
  GstMapInfo map;
  guint64 le = GUINT64_TO_LE (value);

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  memcpy (map.data, &le, 8);
  for (gsize i = 8; i < map.size; i++)
    map.data[i] = (guint8) (value * 31 + i);
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = value * GST_MSECOND;
  return buf;
}

/**
 * rk_test_backend_usable:
 * @reason: (out): why not, for g_test_skip()
 *
 * Whether a test may run on @backend here: it is available and, under
 * valgrind (RK_VALGRIND, set by tests/sanitize.sh), not Vulkan: lavapipe
 * under memcheck is too slow for the tests' time bounds and leaks inside
 * libvulkan_lvp. ASan covers the Vulkan paths.
 */
gboolean
rk_test_backend_usable (GstRkBackendKind backend, gchar ** reason)
{
  if (backend == GST_RK_BACKEND_VULKAN && g_getenv ("RK_VALGRIND")) {
    *reason = g_strdup ("Vulkan is not run under valgrind (lavapipe is too "
        "slow there and leaks inside libvulkan_lvp); ASan covers it");
    return FALSE;
  }
  if (gst_rk_runtime_is_backend_available (backend, reason))
    return TRUE;
  /* On a machine that has the device, a skip would hide a broken probe:
   * the GPU check sets these, and a skip becomes a failure. */
  if ((backend == GST_RK_BACKEND_CUDA &&
          g_strcmp0 (g_getenv ("RK_TEST_REQUIRE_CUDA"), "1") == 0) ||
      (backend == GST_RK_BACKEND_VULKAN &&
          g_strcmp0 (g_getenv ("RK_TEST_REQUIRE_VULKAN"), "1") == 0))
    g_error ("the %s backend is required here (RK_TEST_REQUIRE_*) but "
        "unavailable: %s", gst_rk_backend_kind_get_name (backend), *reason);
  return FALSE;
}

/**
 * rk_test_audio_buffer:
 * @data: interleaved F32 frames of @channels channels
 *
 * A copy of frames @first to @first + @frames of @data, timestamped at
 * @rate as if the stream started at frame 0.
 */
GstBuffer *
rk_test_audio_buffer (guint rate, const gfloat * data, guint channels,
    guint first, guint frames)
{
  GstBuffer *b = gst_buffer_new_memdup (data + (gsize) first * channels,
      (gsize) frames * channels * sizeof (gfloat));

  GST_BUFFER_PTS (b) = gst_util_uint64_scale_int (first, GST_SECOND, rate);
  GST_BUFFER_DURATION (b) = gst_util_uint64_scale_int (frames, GST_SECOND,
      rate);
  return b;
}

/**
 * rk_test_remove_dir:
 *
 * Removes a test's scratch directory and the files in it (one level).
 */
void
rk_test_remove_dir (const gchar * dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  while (d && (name = g_dir_read_name (d))) {
    gchar *p = g_build_filename (dir, name, NULL);

    g_unlink (p);
    g_free (p);
  }
  if (d)
    g_dir_close (d);
  g_rmdir (dir);
}

typedef struct
{
  GstRkKernel *kernel;
  gsize size;
  GError *err;
  gint returned;
} BlockedSend;

static gpointer
blocked_send_main (gpointer data)
{
  BlockedSend *b = data;

  gst_rk_kernel_send (b->kernel, rk_test_make_buffer (0, b->size),
      RK_MSG_DATA, 0, GST_RK_WAIT_FOREVER, NULL, &b->err);
  g_atomic_int_set (&b->returned, 1);
  return NULL;
}

/**
 * rk_test_assert_flushing_unblocks_send:
 * @kernel: a kernel whose input queue is full, with no host thread waiting
 *   on it
 *
 * Asserts that a send of @size bytes blocks with no deadline (it sleeps on
 * the kernel, not returned), and returns GST_RK_ERROR_FLUSHING once @kernel
 * is set flushing. @kernel is left flushing.
 */
void
rk_test_assert_flushing_unblocks_send (GstRkKernel * kernel, gsize size)
{
  BlockedSend b = { kernel, size, NULL, 0 };
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  GThread *t;

  g_assert_false (gst_rk_kernel_is_host_waiting (kernel));
  t = g_thread_new ("sender", blocked_send_main, &b);
  /* Flushing must release a send that is blocked, not refuse one that has
   * not started: wait (polling, with a generous deadline) until the sender
   * sleeps on the kernel. */
  while (!gst_rk_kernel_is_host_waiting (kernel)) {
    if (g_atomic_int_get (&b.returned))
      g_error ("the send on a full queue returned before flushing: %s",
          b.err ? b.err->message : "sent");
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (100);
  }
  g_assert_false (g_atomic_int_get (&b.returned));
  gst_rk_kernel_set_flushing (kernel, TRUE);
  g_thread_join (t);
  g_assert_error (b.err, GST_RK_ERROR, GST_RK_ERROR_FLUSHING);
  g_clear_error (&b.err);
}

/**
 * rk_test_kernel_stat:
 *
 * A counter of the kernel's stats structure; asserts that it is there.
 */
guint64
rk_test_kernel_stat (GstRkKernel * kernel, const gchar * field)
{
  GstStructure *s = gst_rk_kernel_get_stats (kernel);
  guint64 v = 0;

  g_assert_true (gst_structure_get_uint64 (s, field, &v));
  gst_structure_free (s);
  return v;
}

/**
 * rk_test_kernel_stat_settled:
 *
 * The counter @field once it has reached @expect, or after 10 s: a kernel
 * counts a message processed after it has published its outputs, so a
 * test that has just received the last output may read the count a moment
 * early. Counters only grow: a value past @expect is returned at once.
 */
guint64
rk_test_kernel_stat_settled (GstRkKernel * kernel, const gchar * field,
    guint64 expect)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint64 v;

  while ((v = rk_test_kernel_stat (kernel, field)) < expect &&
      g_get_monotonic_time () < deadline)
    g_usleep (1000);
  return v;
}

/**
 * rk_test_set_grid_size:
 *
 * Sets @element's grid-size from RK_TEST_GRID_SIZE when that is set: the
 * kernel tests run again at other grid sizes (tests/meson.build), with
 * the same expected bytes.
 */
void
rk_test_set_grid_size (GstElement * element)
{
  const gchar *s = g_getenv ("RK_TEST_GRID_SIZE");
  guint64 grid;

  /* (a reference element of GStreamer's own has none) */
  if (s == NULL || !g_object_class_find_property (G_OBJECT_GET_CLASS
          (element), "grid-size"))
    return;
  if (!g_ascii_string_to_unsigned (s, 10, 1, 65535, &grid, NULL))
    g_error ("RK_TEST_GRID_SIZE=%s is not a grid size", s);
  g_object_set (element, "grid-size", (guint) grid, NULL);
}
