/* The Vulkan backend's own behaviour: device choice, persistent dispatches
 * that end and start again without losing or repeating a message, flushes
 * while a dispatch runs, bounded terminate, device loss. What every
 * backend must do alike is in test-conformance.c.
 *
 * Runs on lavapipe in CI; exits 77 (skip) only where there is no Vulkan
 * device at all. */
#include <string.h>

#include "rktest.h"
#include "gstrkbackend.h"
#include "gstrkvulkan.h"

#define SECOND G_USEC_PER_SEC

static GstRkKernel *
launch (GstRkRuntime * rt, const gchar * name, GstRkKernelMode mode,
    guint32 in_capacity, guint32 out_capacity, gboolean activate)
{
  GstRkLaunchOptions o;
  GError *err = NULL;
  GstRkKernel *k;

  gst_rk_launch_options_init (&o);
  o.mode = mode;
  o.input_queue_capacity = in_capacity;
  o.output_queue_capacity = out_capacity;
  o.auto_activate = activate;
  k = gst_rk_runtime_launch (rt, name, NULL, GST_RK_BACKEND_VULKAN, -1, &o,
      NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpint (gst_rk_kernel_get_backend (k), ==, GST_RK_BACKEND_VULKAN);
  return k;
}

/* A payload whose bytes say which message it is */
static GstBuffer *
numbered (guint64 n, gsize size)
{
  return rk_test_make_buffer (n, size);
}

static void
check_numbered (GstRkMessage * msg, guint64 n, gsize size)
{
  GstBuffer *want = numbered (n, size);
  GstMapInfo a, b;

  g_assert_nonnull (msg->payload);
  gst_buffer_map (msg->payload, &a, GST_MAP_READ);
  gst_buffer_map (want, &b, GST_MAP_READ);
  g_assert_cmpmem (a.data, a.size, b.data, b.size);
  gst_buffer_unmap (msg->payload, &a);
  gst_buffer_unmap (want, &b);
  gst_buffer_unref (want);
}

/* ---- Devices ---- */

static void
test_probe (void)
{
  const GstRkBackendInfo *info = gst_rk_backend_probe (GST_RK_BACKEND_VULKAN);
  gboolean hardware = FALSE;
  gchar *note = NULL;

  g_assert_true (info->available);
  g_assert_null (info->reason);
  g_assert_cmpuint (info->devices->len, >=, 1);
  for (guint i = 0; i < info->devices->len; i++) {
    GstRkDeviceDesc *d = &g_array_index (info->devices, GstRkDeviceDesc, i);

    g_assert_cmpstr (d->name, !=, "");
    if (g_str_has_prefix (d->name, "llvmpipe"))
      g_assert_true (d->is_software);
    hardware |= !d->is_software;
  }
  /* auto takes Vulkan only for a hardware GPU (CUDA aside) */
  if (!gst_rk_runtime_is_backend_available (GST_RK_BACKEND_CUDA, NULL)) {
    g_assert_cmpint (gst_rk_runtime_select_backend (GST_RK_BACKEND_AUTO,
            &note), ==, hardware ? GST_RK_BACKEND_VULKAN : GST_RK_BACKEND_CPU);
    if (!hardware)
      g_assert_nonnull (strstr (note, "Vulkan: only a software device, used "
              "only with backend=vulkan"));
    g_free (note);
  }
}

static void
test_choose_device (void)
{
  const GstRkVulkanDeviceClass lavapipe_only[] = { GST_RK_VULKAN_DEVICE_CPU };
  const GstRkVulkanDeviceClass mixed[] = { GST_RK_VULKAN_DEVICE_CPU,
    GST_RK_VULKAN_DEVICE_INTEGRATED, GST_RK_VULKAN_DEVICE_DISCRETE,
    GST_RK_VULKAN_DEVICE_UNUSABLE
  };
  const GstRkVulkanDeviceClass no_discrete[] = {
    GST_RK_VULKAN_DEVICE_CPU, GST_RK_VULKAN_DEVICE_VIRTUAL,
    GST_RK_VULKAN_DEVICE_INTEGRATED
  };
  const GstRkVulkanDeviceClass unusable[] = {
    GST_RK_VULKAN_DEVICE_UNUSABLE, GST_RK_VULKAN_DEVICE_CPU
  };

  /* -1: hardware first, discrete before integrated, software last */
  g_assert_cmpint (gst_rk_vulkan_choose_device (mixed, 4, -1), ==, 2);
  g_assert_cmpint (gst_rk_vulkan_choose_device (no_discrete, 3, -1), ==, 2);
  g_assert_cmpint (gst_rk_vulkan_choose_device (lavapipe_only, 1, -1), ==, 0);
  g_assert_cmpint (gst_rk_vulkan_choose_device (unusable, 2, -1), ==, 1);
  g_assert_cmpint (gst_rk_vulkan_choose_device (unusable, 1, -1), ==, -1);
  /* device-id is honoured, software or not, but not past the end or for a
   * device that cannot run kernels */
  g_assert_cmpint (gst_rk_vulkan_choose_device (mixed, 4, 0), ==, 0);
  g_assert_cmpint (gst_rk_vulkan_choose_device (mixed, 4, 1), ==, 1);
  g_assert_cmpint (gst_rk_vulkan_choose_device (mixed, 4, 3), ==, -1);
  g_assert_cmpint (gst_rk_vulkan_choose_device (mixed, 4, 4), ==, -1);
}

static void
test_device_id (void)
{
  const GstRkBackendInfo *info = gst_rk_backend_probe (GST_RK_BACKEND_VULKAN);
  GstRkDeviceDesc *first = &g_array_index (info->devices, GstRkDeviceDesc, 0);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_VULKAN, first->index);
  GstRkKernel *k;
  GError *err = NULL;
  gchar *want;

  k = gst_rk_runtime_launch (rt, "echo", NULL, GST_RK_BACKEND_AUTO, -1, NULL,
      NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpstr (gst_rk_kernel_get_device_name (k), ==, first->name);
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  gst_object_unref (k);

  g_assert_null (gst_rk_runtime_launch (rt, "echo", NULL,
          GST_RK_BACKEND_VULKAN, 99, NULL, NULL, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE);
  want = g_strdup_printf ("Vulkan unavailable: no device 99 (%u found)",
      gst_rk_vulkan_device_count ());
  g_assert_cmpstr (err->message, ==, want);
  g_free (want);
  g_error_free (err);
  gst_object_unref (rt);
}

static void
test_frame_kernel_not_persistent (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkLaunchOptions o;
  GError *err = NULL;

  gst_rk_launch_options_init (&o);
  o.mode = GST_RK_KERNEL_MODE_PERSISTENT;
  g_assert_null (gst_rk_runtime_launch (rt, "gray", NULL,
          GST_RK_BACKEND_VULKAN, -1, &o, NULL, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (err->message, ==, "kernel gray has no persistent Vulkan "
      "shader: a frame spans many workgroups, which a spinning dispatch "
      "must not (use mode=event-driven or auto)");
  g_error_free (err);
  gst_object_unref (rt);
}

/* Device memory is counted in the runtime's metrics while kernels live */
static void
test_memory_metrics (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkKernel *a = launch (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 1024,
      1024, TRUE);
  GstRkKernel *b = launch (rt, "gray", GST_RK_KERNEL_MODE_AUTO, 8, 8, TRUE);
  GstRkRuntimeMetrics m;
  GstStructure *s;
  gint64 mem = 0;

  gst_rk_runtime_get_metrics (rt, &m);
  /* echo's two rings of 1024 256-byte slots, at least */
  g_assert_cmpuint (m.gpu_memory_used + m.host_memory_used, >=,
      2 * 1024 * 256);
  s = gst_rk_kernel_get_stats (a);
  g_assert_true (gst_structure_get_int64 (s, "device-memory", &mem));
  g_assert_cmpint (mem, >=, 2 * 1024 * 256);
  gst_structure_free (s);

  g_assert_true (gst_rk_runtime_shutdown (rt, NULL));
  gst_rk_runtime_get_metrics (rt, &m);
  g_assert_cmpuint (m.gpu_memory_used, ==, 0);
  g_assert_cmpuint (m.host_memory_used, ==, 0);
  gst_object_unref (a);
  gst_object_unref (b);
  gst_object_unref (rt);
}

/* Which build of the ring shader runs: memory model atomics unless the
 * device lacks them or GST_RK_VULKAN_MEMORY_MODEL=0 */
static void
test_atomics (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkKernel *k = launch (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 8, 8,
      TRUE);
  GstStructure *s = gst_rk_kernel_get_stats (k);
  const gchar *atomics = gst_structure_get_string (s, "atomics");

  if (g_strcmp0 (g_getenv ("GST_RK_VULKAN_MEMORY_MODEL"), "0") == 0)
    g_assert_cmpstr (atomics, ==, "coherent");
  else if (g_str_has_prefix (gst_rk_kernel_get_device_name (k), "llvmpipe"))
    g_assert_cmpstr (atomics, ==, "memory-model");
  else
    g_assert_nonnull (atomics);
  gst_structure_free (s);
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* ---- Persistent dispatches ---- */

#define N_REDISPATCH 20000

/* Dispatches of 400 polls: thousands of ends and restarts of the ring
 * shader in one stream, with messages for the host in between. Each
 * message comes back once, in order, intact. */
static void
test_redispatch (void)
{
  GstRkRuntime *rt;
  GstRkKernel *k;
  guint64 sent = 0, got = 0, dispatches, host;

  gst_rk_vulkan_set_poll_budget (400);
  rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  k = launch (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 64, 32, TRUE);
  gst_rk_vulkan_set_poll_budget (0);

  while (got < N_REDISPATCH) {
    GstRkMessage msg;
    GError *err = NULL;

    /* every 97th message is too large for a slot: the host runs it */
    while (sent < N_REDISPATCH && sent - got < 48) {
      g_assert_true (gst_rk_kernel_send (k, numbered (sent,
                  sent % 97 ? 8 + sent % 150 : 1000), RK_MSG_DATA, 0,
              GST_RK_WAIT_FOREVER, NULL, &err));
      sent++;
    }
    g_assert_true (gst_rk_kernel_receive (k, &msg,
            g_get_monotonic_time () + 10 * SECOND, &err));
    g_assert_no_error (err);
    g_assert_cmpuint (msg.env.message_id, ==, got + 1);
    check_numbered (&msg, got, got % 97 ? 8 + got % 150 : 1000);
    gst_rk_message_clear (&msg);
    got++;
  }
  dispatches = rk_test_kernel_stat (k, "dispatches");
  host = rk_test_kernel_stat (k, "host-messages");
  g_test_message ("%u messages in %" G_GUINT64_FORMAT " dispatches, %"
      G_GUINT64_FORMAT " run by the host", N_REDISPATCH, dispatches, host);
  g_assert_cmpuint (dispatches, >=, 100);
  g_assert_cmpuint (host, ==, (N_REDISPATCH + 96) / 97);
  g_assert_cmpuint (rk_test_kernel_stat_settled (k, "processed",
          N_REDISPATCH), ==, N_REDISPATCH);
  g_assert_cmpuint (rk_test_kernel_stat (k, "emitted"), ==, N_REDISPATCH);
  g_assert_cmpuint (rk_test_kernel_stat (k, "flushed"), ==, 0);
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* A flush while the ring shader runs, blocked on a full output queue:
 * it discards inline messages, the host those with host buffers; the
 * kernel's state survives and it goes on. */
static void
test_flush_running (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkKernel *k = launch (rt, "counter", GST_RK_KERNEL_MODE_PERSISTENT, 64,
      4, TRUE);
  GstRkMessage msg;
  GError *err = NULL;
  guint64 processed, flushed, emitted;

  for (guint i = 0; i < 40; i++)
    g_assert_true (gst_rk_kernel_send (k, numbered (i, i % 5 ? 8 : 500),
            RK_MSG_DATA, 0, GST_RK_WAIT_FOREVER, NULL, NULL));
  /* four outputs fill the output queue: the device stops there */
  while (rk_test_kernel_stat (k, "processed") < 4)
    g_usleep (1000);

  g_assert_true (gst_rk_kernel_flush (k, &err));
  g_assert_no_error (err);
  /* every input went: discarded, or processed with its output discarded */
  processed = rk_test_kernel_stat (k, "processed");
  flushed = rk_test_kernel_stat (k, "flushed");
  emitted = rk_test_kernel_stat (k, "emitted");
  g_assert_cmpuint (emitted, ==, 0);
  g_assert_cmpuint (flushed, ==, 40);
  g_assert_cmpuint (processed, >=, 4);
  g_assert_cmpuint (processed, <, 40);

  /* the count goes on from what was processed */
  g_assert_true (gst_rk_kernel_send (k, numbered (99, 8), RK_MSG_DATA, 0,
          GST_RK_WAIT_FOREVER, NULL, NULL));
  g_assert_true (gst_rk_kernel_receive (k, &msg,
          g_get_monotonic_time () + 10 * SECOND, &err));
  g_assert_cmpuint (msg.env.message_id, ==, 41);
  g_assert_cmpuint (rk_test_read_u64 (msg.payload), ==, processed + 1);
  gst_rk_message_clear (&msg);
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* Deactivation while the shader polls returns once it stopped, and the
 * next activation goes on where it was. */
static void
test_deactivate_running (void)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkKernel *k = launch (rt, "counter", GST_RK_KERNEL_MODE_PERSISTENT, 64,
      64, TRUE);
  GstRkMessage msg;
  GError *err = NULL;

  for (guint round = 1; round <= 20; round++) {
    g_assert_true (gst_rk_kernel_send (k, numbered (round, 8), RK_MSG_DATA,
            0, GST_RK_WAIT_FOREVER, NULL, NULL));
    g_assert_true (gst_rk_kernel_receive (k, &msg,
            g_get_monotonic_time () + 10 * SECOND, &err));
    g_assert_cmpuint (rk_test_read_u64 (msg.payload), ==, round);
    gst_rk_message_clear (&msg);
    /* the dispatch is still polling: stop it */
    g_assert_true (gst_rk_kernel_deactivate (k, &err));
    g_assert_no_error (err);
    g_assert_true (gst_rk_kernel_activate (k, &err));
  }
  g_assert_true (gst_rk_kernel_terminate (k, NULL));
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* ---- Stopping ---- */

/* Terminate while a dispatch runs: spinning on a full output queue that
 * nobody reads, or polling an empty one. */
static void
test_terminate_running (gconstpointer data)
{
  gboolean full = GPOINTER_TO_INT (data);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkKernel *k = launch (rt, "echo", GST_RK_KERNEL_MODE_PERSISTENT, 16, 4,
      TRUE);
  GstRkMessage msg;
  GError *err = NULL;
  gint64 start;

  if (full) {
    for (guint i = 0; i < 16; i++)
      g_assert_true (gst_rk_kernel_send (k, numbered (i, 8), RK_MSG_DATA, 0,
              GST_RK_WAIT_FOREVER, NULL, NULL));
    while (rk_test_kernel_stat (k, "processed") < 4)
      g_usleep (1000);
  } else {
    /* one message, and the dispatch polls on for more */
    g_assert_true (gst_rk_kernel_send (k, numbered (0, 8), RK_MSG_DATA, 0,
            GST_RK_WAIT_FOREVER, NULL, NULL));
    g_assert_true (gst_rk_kernel_receive (k, &msg,
            g_get_monotonic_time () + 10 * SECOND, &err));
    gst_rk_message_clear (&msg);
  }
  start = g_get_monotonic_time ();
  g_assert_true (gst_rk_kernel_terminate (k, &err));
  g_assert_no_error (err);
  g_test_message ("terminate took %" G_GINT64_FORMAT " us",
      g_get_monotonic_time () - start);
  g_assert_cmpint (g_get_monotonic_time () - start, <, SECOND);
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* A dispatch that never seems to end (injected): terminate gives up on it
 * after its grace period, and says so. */
static void
test_terminate_hung (gconstpointer data)
{
  GstRkKernelMode mode = GPOINTER_TO_INT (data);
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstRkKernel *k = launch (rt, "echo", mode, 16, 16, TRUE);
  GError *err = NULL;
  gint64 start;

  gst_rk_vulkan_inject_fault (GST_RK_VULKAN_FAULT_HANG, 0);
  g_assert_true (gst_rk_kernel_send (k, numbered (0, 8), RK_MSG_DATA, 0,
          GST_RK_WAIT_FOREVER, NULL, NULL));
  /* Terminating before the dispatch that hangs is submitted would stop
   * the kernel cleanly (the message is dropped): wait for it. */
  start = g_get_monotonic_time ();
  while (gst_rk_vulkan_fault_pending ()) {
    g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * SECOND);
    g_usleep (1000);
  }
  start = g_get_monotonic_time ();
  g_assert_false (gst_rk_kernel_terminate (k, &err));
  /* its 2 s grace, not the 20 s after which a dispatch counts as hung
   * (with room for a loaded machine) */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * SECOND);
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
  g_assert_true (strstr (err->message, "did not stop within 2000 ms") ||
      strstr (err->message, "did not stop in time"));
  g_clear_error (&err);
  g_assert_cmpint (gst_rk_kernel_get_state (k), ==,
      GST_RK_KERNEL_STATE_TERMINATED);
  gst_object_unref (k);
  /* closing the device frees what the "hung" dispatch kept */
  gst_object_unref (rt);
}

/* ---- Device loss ---- */

static void
test_device_lost (gconstpointer data)
{
  const gchar *launch_line = data;
  GstElement *p = gst_parse_launch (launch_line, NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (p), "src");
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *m;
  GError *err = NULL;
  gchar *debug = NULL;
  gint64 start;

  g_object_set (src, "format", GST_FORMAT_TIME, NULL);
  gst_element_set_state (p, GST_STATE_PLAYING);
  /* the launch's state fill and a few dispatches go through first */
  gst_rk_vulkan_inject_fault (GST_RK_VULKAN_FAULT_DEVICE_LOST, 3);
  for (guint i = 0; i < 200; i++) {
    GstBuffer *buf = gst_buffer_new_allocate (NULL, 64 * 48 * 4, NULL);

    GstFlowReturn ret = GST_FLOW_OK;

    gst_buffer_memset (buf, 0, i, 64 * 48 * 4);
    g_signal_emit_by_name (src, "push-buffer", buf, &ret);
    gst_buffer_unref (buf);
    if (ret != GST_FLOW_OK)
      break;
    g_usleep (2000);
  }

  m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
  g_assert_nonnull (m);
  gst_message_parse_error (m, &err, &debug);
  if (!g_str_has_prefix (err->message, "Ring kernel k failed on the Vulkan "
          "backend.") || !strstr (debug, "was lost (VK_ERROR_DEVICE_LOST"))
    g_error ("not the device-loss error: %s (%s)", err->message, debug);
  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (m);

  start = g_get_monotonic_time ();
  g_assert_cmpint (gst_element_set_state (p, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * SECOND);
  {
    GstState state;

    gst_element_get_state (p, &state, NULL, 0);
    g_assert_cmpint (state, ==, GST_STATE_NULL);
  }
  gst_rk_vulkan_inject_fault (GST_RK_VULKAN_FAULT_NONE, 0);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (p);
}

/* Rings (persistent kernels, whose dispatches spin) keep off queue 0 and
 * spread over the others; other work keeps off queues that hold a ring. */
static void
test_queue_pick (void)
{
  guint rings[4] = { 0, 0, 0, 0 }, next = 0, q, i;

  /* one queue: everything shares it */
  g_assert_cmpuint (gst_rk_vulkan_queue_pick (rings, 1, TRUE, &next), ==, 0);
  g_assert_cmpuint (gst_rk_vulkan_queue_pick (rings, 1, FALSE, &next), ==, 0);

  /* four: rings take 1, 2, 3, then share the least used */
  for (i = 1; i <= 3; i++) {
    q = gst_rk_vulkan_queue_pick (rings, 4, TRUE, &next);
    g_assert_cmpuint (q, ==, i);
    rings[q]++;
  }
  q = gst_rk_vulkan_queue_pick (rings, 4, TRUE, &next);
  g_assert_cmpuint (q, ==, 1);
  rings[q]++;
  rings[2]--;                   /* a ring on queue 2 terminated */
  g_assert_cmpuint (gst_rk_vulkan_queue_pick (rings, 4, TRUE, &next), ==, 2);

  /* other work: round robin over the queues without a ring, here 0 and 2 */
  next = 0;
  g_assert_cmpuint (gst_rk_vulkan_queue_pick (rings, 4, FALSE, &next), ==, 0);
  g_assert_cmpuint (gst_rk_vulkan_queue_pick (rings, 4, FALSE, &next), ==, 2);
  g_assert_cmpuint (gst_rk_vulkan_queue_pick (rings, 4, FALSE, &next), ==, 0);
  /* no ring anywhere: all four in turn */
  memset (rings, 0, sizeof (rings));
  next = 0;
  for (i = 0; i < 8; i++)
    g_assert_cmpuint (gst_rk_vulkan_queue_pick (rings, 4, FALSE, &next), ==,
        i % 4);
  /* two queues, both taken by rings? queue 0 never is: it stays free */
  rings[1] = 5;
  g_assert_cmpuint (gst_rk_vulkan_queue_pick (rings, 2, TRUE, &next), ==, 1);
  g_assert_cmpuint (gst_rk_vulkan_queue_pick (rings, 2, FALSE, &next), ==, 0);
}

int
main (int argc, char **argv)
{
  rk_test_init (&argc, &argv);
  if (gst_rk_vulkan_device_count () == 0) {
    gchar *reason = NULL;

    gst_rk_runtime_is_backend_available (GST_RK_BACKEND_VULKAN, &reason);
    g_print ("SKIP: no Vulkan device: %s\n", reason);
    g_free (reason);
    return 77;
  }

  g_test_add_func ("/vulkan/probe", test_probe);
  g_test_add_func ("/vulkan/queue-pick", test_queue_pick);
  g_test_add_func ("/vulkan/choose-device", test_choose_device);
  g_test_add_func ("/vulkan/device-id", test_device_id);
  g_test_add_func ("/vulkan/frame-kernel-not-persistent",
      test_frame_kernel_not_persistent);
  g_test_add_func ("/vulkan/memory-metrics", test_memory_metrics);
  g_test_add_func ("/vulkan/atomics", test_atomics);
  g_test_add_func ("/vulkan/redispatch", test_redispatch);
  g_test_add_func ("/vulkan/flush-running", test_flush_running);
  g_test_add_func ("/vulkan/deactivate-running", test_deactivate_running);
  g_test_add_data_func ("/vulkan/terminate-running/output-full",
      GINT_TO_POINTER (TRUE), test_terminate_running);
  g_test_add_data_func ("/vulkan/terminate-running/polling",
      GINT_TO_POINTER (FALSE), test_terminate_running);
  g_test_add_data_func ("/vulkan/terminate-hung/persistent",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_PERSISTENT), test_terminate_hung);
  g_test_add_data_func ("/vulkan/terminate-hung/event-driven",
      GINT_TO_POINTER (GST_RK_KERNEL_MODE_EVENT_DRIVEN), test_terminate_hung);
  g_test_add_data_func ("/vulkan/device-lost/persistent",
      "appsrc name=src ! rkecho name=k backend=vulkan mode=persistent ! "
      "fakesink", test_device_lost);
  g_test_add_data_func ("/vulkan/device-lost/event-driven",
      "appsrc name=src caps=video/x-raw,format=RGBA,width=64,height=48,"
      "framerate=30/1 ! rkgray name=k backend=vulkan ! fakesink",
      test_device_lost);
  return g_test_run ();
}
