/* Frames that stay on the device between ring-kernel elements: a chain on
 * one device (Vulkan on lavapipe, or CUDA on the fake device when built
 * with RK_DEVICE_CHAIN_CUDA) negotiates memory:RingKernelDevice between
 * its elements, gives the CPU chain's bytes, and copies to and from the
 * host only at its ends (each kernel's host-to-device and device-to-host
 * counters). A backend that cannot read device memory in the middle gets
 * host memory; a device frame that reaches a host element still maps to
 * the right bytes. */
#include <string.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>

#include "gstrkfault.h"
#include "rktest.h"
#ifdef RK_DEVICE_CHAIN_CUDA
#include "rkfakecuda.h"
#define BACKEND "cuda"
#define BACKEND_KIND GST_RK_BACKEND_CUDA
#else
#define BACKEND "vulkan"
#define BACKEND_KIND GST_RK_BACKEND_VULKAN
#endif

typedef struct
{
  guint64 up, up_bytes, down, down_bytes;
} Copies;

typedef struct
{
  GPtrArray *outputs;           /* GBytes, in order */
  Copies copies[3];             /* elements k0, k1, k2 */
  gboolean middle_on_device;    /* k0 → k1 negotiated device memory */
  gboolean output_on_device;    /* the sink got device memory */
} Run;

static GstBuffer *
random_frame (GRand * rand, gsize size, guint index)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, size, NULL);
  GstMapInfo m;

  gst_buffer_map (b, &m, GST_MAP_WRITE);
  for (gsize i = 0; i < size; i++)
    m.data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  gst_buffer_unmap (b, &m);
  GST_BUFFER_PTS (b) = index * 40 * GST_MSECOND;
  GST_BUFFER_DURATION (b) = 40 * GST_MSECOND;
  return b;
}

static Copies
copies_of (GstElement * e)
{
  GstStructure *s = NULL;
  Copies c = { 0, };

  g_object_get (e, "stats", &s, NULL);
  g_assert_nonnull (s);
  g_assert_true (gst_structure_get_uint64 (s, "host-to-device-buffers",
          &c.up));
  g_assert_true (gst_structure_get_uint64 (s, "host-to-device-bytes",
          &c.up_bytes));
  g_assert_true (gst_structure_get_uint64 (s, "device-to-host-buffers",
          &c.down));
  g_assert_true (gst_structure_get_uint64 (s, "device-to-host-bytes",
          &c.down_bytes));
  gst_structure_free (s);
  return c;
}

static gboolean
pad_on_device (GstElement * e, const gchar * pad_name)
{
  GstPad *pad = gst_element_get_static_pad (e, pad_name);
  GstCaps *caps = gst_pad_get_current_caps (pad);
  gboolean on = gst_caps_features_contains (gst_caps_get_features (caps, 0),
      GST_CAPS_FEATURE_MEMORY_RK_DEVICE);

  gst_caps_unref (caps);
  gst_object_unref (pad);
  return on;
}

/* One step of a run: a frame of @w × @h (new caps when the size
 * changes), or, with w = 0, the pipeline through READY and back. */
typedef struct
{
  guint w, h;
} Step;

static void
pull_into (Run * r, GstElement * sink, guint index)
{
  GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
      60 * GST_SECOND);
  GstBuffer *out;
  GstMapInfo m;

  g_assert_nonnull (sample);
  out = gst_sample_get_buffer (sample);
  g_assert_cmpuint (GST_BUFFER_PTS (out), ==, index * 40 * GST_MSECOND);
  r->output_on_device = gst_is_rk_device_memory (gst_buffer_peek_memory
      (out, 0));
  g_assert_true (gst_buffer_map (out, &m, GST_MAP_READ));
  g_ptr_array_add (r->outputs, g_bytes_new (m.data, m.size));
  gst_buffer_unmap (out, &m);
  gst_sample_unref (sample);
}

/* Runs @steps through "appsrc ! @chain ! appsink", the chain naming its
 * three elements k0, k1, k2, and keeps what comes out. */
static Run
run_steps (const gchar * chain, const gchar * sink_caps, const Step * steps,
    guint n_steps)
{
  gchar *desc = g_strdup_printf ("appsrc name=src format=time ! %s ! "
      "appsink name=sink sync=false %s", chain, sink_caps);
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &err);
  GstElement *src, *sink, *k[3];
  GRand *rand = g_rand_new_with_seed (steps[0].w * 7919 + steps[0].h);
  guint w = 0, h = 0, index = 0;
  GstBus *bus;
  GstMessage *msg;
  Run r = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref) };

  g_assert_no_error (err);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  for (guint i = 0; i < 3; i++) {
    gchar *name = g_strdup_printf ("k%u", i);

    k[i] = gst_bin_get_by_name (GST_BIN (pipeline), name);
    g_assert_nonnull (k[i]);
    g_free (name);
  }
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);

  for (guint s = 0; s < n_steps; s++) {
    if (steps[s].w == 0) {
      g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_READY), ==,
          GST_STATE_CHANGE_SUCCESS);
      g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING),
          !=, GST_STATE_CHANGE_FAILURE);
      w = h = 0;
      continue;
    }
    if (steps[s].w != w || steps[s].h != h) {
      gchar *caps = g_strdup_printf ("video/x-raw,format=RGBA,width=%u,"
          "height=%u,framerate=25/1", steps[s].w, steps[s].h);

      w = steps[s].w;
      h = steps[s].h;
      g_object_set (src, "caps", gst_caps_from_string (caps), NULL);
      g_free (caps);
    }
    g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (src),
            random_frame (rand, (gsize) w * h * 4, index)), ==, GST_FLOW_OK);
    pull_into (&r, sink, index++);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_message_unref (msg);

  r.middle_on_device = pad_on_device (k[1], "sink");
  for (guint i = 0; i < 3; i++) {
    r.copies[i] = copies_of (k[i]);
    gst_object_unref (k[i]);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
#ifdef RK_DEVICE_CHAIN_CUDA
  /* the device closed with the pipeline: every frame on it freed */
  g_assert_cmpuint (rk_fake_cuda_live_allocations (), ==, 0);
#endif
  g_rand_free (rand);
  g_free (desc);
  return r;
}

/* @n frames of @w × @h */
static Run
run_chain (const gchar * chain, const gchar * sink_caps, guint w, guint h,
    guint n)
{
  Step *steps = g_new (Step, n);
  Run r;

  for (guint i = 0; i < n; i++)
    steps[i] = (Step) { w, h };
  r = run_steps (chain, sink_caps, steps, n);
  g_free (steps);
  return r;
}

static void
run_clear (Run * r)
{
  g_ptr_array_unref (r->outputs);
}

static void
assert_same_outputs (const Run * a, const Run * b)
{
  g_assert_cmpuint (a->outputs->len, ==, b->outputs->len);
  for (guint i = 0; i < a->outputs->len; i++) {
    gsize na, nb;
    gconstpointer da = g_bytes_get_data (a->outputs->pdata[i], &na);
    gconstpointer db = g_bytes_get_data (b->outputs->pdata[i], &nb);

    g_assert_cmpmem (da, na, db, nb);
  }
}

static gboolean
have_device (void)
{
  gchar *reason = NULL;

  if (rk_test_backend_usable (BACKEND_KIND, &reason))
    return TRUE;
  g_test_skip (reason);
  g_free (reason);
  return FALSE;
}

#define CHAIN(b0, b1, b2) "rkgray name=k0 backend=" b0 " ! rkblur name=k1 " \
  "backend=" b1 " sigma=1.5 ! rksobel name=k2 backend=" b2

/* Runs @chain and the same chain on the CPU over the same frames, checks
 * they give the same bytes, and returns the run of @chain. */
static Run
run_against_cpu (const gchar * chain, const gchar * sink_caps, guint w,
    guint h, guint n)
{
  Run cpu = run_chain (CHAIN ("cpu", "cpu", "cpu"), "", w, h, n);
  Run r = run_chain (chain, sink_caps, w, h, n);

  assert_same_outputs (&cpu, &r);
  /* the CPU is its own device: nothing to count */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (cpu.copies[i].up + cpu.copies[i].down, ==, 0);
  run_clear (&cpu);
  return r;
}

/* rkgray ! rkblur ! rksobel on Vulkan equals the CPU chain byte for byte,
 * and only its ends copy: one RGBA frame up, one GRAY8 frame down. */
static void
test_chain (gconstpointer data)
{
  const guint *size = data;
  guint w = size[0], h = size[1], n = size[2];
  gsize gray = (gsize) GST_ROUND_UP_4 (w) * h;
  Run gpu;

  if (!have_device ())
    return;
  gpu = run_against_cpu (CHAIN (BACKEND, BACKEND, BACKEND), "", w, h, n);

  g_assert_true (gpu.middle_on_device);
  g_assert_false (gpu.output_on_device);
  g_assert_cmpuint (gpu.copies[0].up, ==, n);
  g_assert_cmpuint (gpu.copies[0].up_bytes, ==, n * (gsize) w * h * 4);
  g_assert_cmpuint (gpu.copies[0].down, ==, 0);
  g_assert_cmpuint (gpu.copies[1].up, ==, 0);
  g_assert_cmpuint (gpu.copies[1].down, ==, 0);
  g_assert_cmpuint (gpu.copies[2].up, ==, 0);
  g_assert_cmpuint (gpu.copies[2].down, ==, n);
  g_assert_cmpuint (gpu.copies[2].down_bytes, ==, n * gray);
  run_clear (&gpu);
}

/* Vulkan, then the CPU, then Vulkan: the CPU kernel refuses device memory,
 * so its neighbours copy through the host, and the bytes stay right. */
static void
test_mixed_chain (void)
{
  const guint w = 97, h = 61, n = 3;
  Run mixed;

  if (!have_device ())
    return;
  mixed = run_against_cpu (CHAIN (BACKEND, "cpu", BACKEND), "", w, h, n);
  g_assert_false (mixed.middle_on_device);
  g_assert_cmpuint (mixed.copies[0].up, ==, n);
  g_assert_cmpuint (mixed.copies[0].down, ==, n);
  g_assert_cmpuint (mixed.copies[2].up, ==, n);
  g_assert_cmpuint (mixed.copies[2].down, ==, n);
  run_clear (&mixed);
}

/* A sink that asks for device memory gets it, and mapping it on the host
 * gives the same bytes. */
static void
test_host_reads_device_frame (void)
{
  const guint w = 33, h = 17, n = 3;
  Run gpu;

  if (!have_device ())
    return;
  gpu = run_against_cpu (CHAIN (BACKEND, BACKEND, BACKEND),
      "caps=video/x-raw(" GST_CAPS_FEATURE_MEMORY_RK_DEVICE ")", w, h, n);
  g_assert_true (gpu.output_on_device);
  g_assert_cmpuint (gpu.copies[2].down, ==, 0);
  run_clear (&gpu);
}

/* Host elements between two Vulkan kernels pass device memory on where
 * they only forward buffers (queue, identity), and the chain still
 * copies only at its ends. */
static void
test_through_queue (void)
{
  const guint w = 64, h = 48, n = 4;
  Run gpu;

  if (!have_device ())
    return;
  gpu = run_against_cpu ("rkgray name=k0 backend=" BACKEND " ! queue ! "
      "identity ! rkblur name=k1 backend=" BACKEND " sigma=1.5 ! queue ! "
      "rksobel name=k2 backend=" BACKEND, "", w, h, n);
  g_assert_true (gpu.middle_on_device);
  g_assert_cmpuint (gpu.copies[0].down + gpu.copies[1].up +
      gpu.copies[1].down + gpu.copies[2].up, ==, 0);
  run_clear (&gpu);
}

/* The frame size changes mid-stream, and the pipeline goes through
 * READY and back: the chain still equals the CPU's, and still copies only
 * at its ends (after the restart too). */
static void
test_caps_change_and_restart (void)
{
  static const Step steps[] = {
    {64, 48}, {64, 48}, {80, 40}, {80, 40}, {80, 40}, {0, 0},
    {31, 7}, {31, 7}, {64, 48},
  };
  const guint frames = G_N_ELEMENTS (steps) - 1;
  Run cpu, gpu;

  if (!have_device ())
    return;
  cpu = run_steps (CHAIN ("cpu", "cpu", "cpu"), "", steps,
      G_N_ELEMENTS (steps));
  gpu = run_steps (CHAIN (BACKEND, BACKEND, BACKEND), "", steps,
      G_N_ELEMENTS (steps));
  assert_same_outputs (&cpu, &gpu);
  g_assert_cmpuint (gpu.outputs->len, ==, frames);
  g_assert_true (gpu.middle_on_device);
  /* the kernels live from NULL → READY on: their counters span both */
  g_assert_cmpuint (gpu.copies[0].up, ==, frames);
  g_assert_cmpuint (gpu.copies[1].up + gpu.copies[1].down, ==, 0);
  g_assert_cmpuint (gpu.copies[2].down, ==, frames);
  run_clear (&cpu);
  run_clear (&gpu);
}

static GstPadProbeReturn
count_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  g_atomic_int_inc ((gint *) data);
  return GST_PAD_PROBE_OK;
}

/* 10,000 frames through the chain: the frames on the device are reused,
 * never leaked (the runtime's count of device payloads stays within what
 * a device keeps for reuse). */
static void
test_no_leak (void)
{
  const guint n = 10000;
  GstRkRuntime *rt;
  GstContext *ctx;
  GstElement *pipeline, *src, *sink;
  GstRkRuntimeMetrics m;
  GstPad *pad;
  GstBus *bus;
  GstMessage *msg;
  GError *err = NULL;
  gint seen = 0;

  if (!have_device ())
    return;
  pipeline = gst_parse_launch ("appsrc name=src format=time block=true "
      "max-buffers=16 caps=video/x-raw,format=RGBA,width=16,height=16,"
      "framerate=25/1 ! " CHAIN (BACKEND, BACKEND, BACKEND) " ! "
      "fakesink name=sink sync=false", &err);
  g_assert_no_error (err);
  rt = gst_rk_runtime_new (BACKEND_KIND, -1);
  ctx = gst_rk_context_new (rt);
  gst_element_set_context (pipeline, ctx);
  gst_context_unref (ctx);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_buffer, &seen,
      NULL);
  gst_object_unref (pad);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  {
    GRand *rand = g_rand_new_with_seed (17);

    for (guint i = 0; i < n; i++)
      g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (src),
              random_frame (rand, 16 * 16 * 4, i)), ==, GST_FLOW_OK);
    g_rand_free (rand);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 240 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_message_unref (msg);
  g_assert_cmpint (g_atomic_int_get (&seen), ==, n);

  /* every frame has reached the sink: what is held is only kept */
  gst_rk_runtime_get_metrics (rt, &m);
  g_assert_cmpuint (m.device_payloads, >=, 1);
  g_assert_cmpuint (m.device_payloads, <=, 16);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_rk_runtime_get_metrics (rt, &m);
  g_assert_cmpuint (m.device_payloads, <=, 16);

  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  gst_object_unref (rt);
}

/* The middle kernel fails mid-stream: one ERROR naming it, before any
 * EOS, and the frames on the device are all given back. */
static void
test_fault_mid_chain (void)
{
  GstRkRuntime *rt;
  GstContext *ctx;
  GstElement *pipeline, *src;
  GstRkRuntimeMetrics m;
  GstBus *bus;
  GstMessage *msg;
  GError *err = NULL;
  GRand *rand;

  if (!have_device ())
    return;
  g_assert_true (gst_rk_fault_configure ("stream:blur@3", NULL));
  pipeline = gst_parse_launch ("appsrc name=src format=time "
      "caps=video/x-raw,format=RGBA,width=32,height=24,framerate=25/1 ! "
      CHAIN (BACKEND, BACKEND, BACKEND) " ! fakesink sync=false", &err);
  g_assert_no_error (err);
  rt = gst_rk_runtime_new (BACKEND_KIND, -1);
  ctx = gst_rk_context_new (rt);
  gst_element_set_context (pipeline, ctx);
  gst_context_unref (ctx);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  rand = g_rand_new_with_seed (5);
  for (guint i = 0; i < 8; i++)
    gst_app_src_push_buffer (GST_APP_SRC (src), random_frame (rand,
            32 * 24 * 4, i));
  g_rand_free (rand);
  gst_app_src_end_of_stream (GST_APP_SRC (src));

  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_ERROR);
  g_assert_cmpstr (GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), ==, "k1");
  gst_message_unref (msg);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  gst_rk_runtime_get_metrics (rt, &m);
  g_assert_cmpuint (m.device_payloads, <=, 16);
  g_assert_true (gst_rk_fault_configure (NULL, NULL));

  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (pipeline);
  gst_object_unref (rt);
}

/* videotestsrc (pattern=ball: each frame a function of its timestamp)
 * through @chain: after @seek_after outputs, a flushing seek back to 0
 * that stops after @n frames; the outputs after it are kept. (A seek
 * does not restore a source's num-buffers, hence the stop position.) */
static Run
run_seek (const gchar * chain, guint n, guint seek_after)
{
  gchar *desc = g_strdup_printf ("videotestsrc pattern=ball ! "
      "video/x-raw,format=RGBA,width=64,height=48,framerate=25/1 ! %s ! "
      "appsink name=sink sync=false max-buffers=2", chain);
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &err);
  GstElement *sink, *k1;
  Run r = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref) };
  GstSample *sample;
  guint got = 0;

  g_assert_no_error (err);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  k1 = gst_bin_get_by_name (GST_BIN (pipeline), "k1");
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
              60 * GST_SECOND))) {
    GstBuffer *out = gst_sample_get_buffer (sample);
    GstMapInfo m;

    if (got > seek_after) {
      g_assert_true (gst_buffer_map (out, &m, GST_MAP_READ));
      g_ptr_array_add (r.outputs, g_bytes_new (m.data, m.size));
      gst_buffer_unmap (out, &m);
    }
    gst_sample_unref (sample);
    if (++got == seek_after) {
      g_assert_true (gst_element_seek (pipeline, 1.0, GST_FORMAT_TIME,
              GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET,
              0, GST_SEEK_TYPE_SET, n * 40 * GST_MSECOND));
      got++;
    }
  }
  g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  r.copies[1] = copies_of (k1);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (k1);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_free (desc);
  return r;
}

/* A flushing seek with frames on the device in flight: afterwards the
 * stream starts again from 0 and equals the CPU chain's (through the same
 * seek), and the middle element still never copies. */
static void
test_flushing_seek (void)
{
  const guint n = 12;
  Run cpu, gpu;

  if (!have_device ())
    return;
  cpu = run_seek (CHAIN ("cpu", "cpu", "cpu"), n, 5);
  gpu = run_seek (CHAIN (BACKEND, BACKEND, BACKEND), n, 5);
  g_assert_cmpuint (cpu.outputs->len, ==, n);
  assert_same_outputs (&cpu, &gpu);
  g_assert_cmpuint (gpu.copies[1].up + gpu.copies[1].down, ==, 0);
  run_clear (&cpu);
  run_clear (&gpu);
}

int
main (int argc, char **argv)
{
  static const guint sizes[][3] = {
    {1, 1, 4}, {3, 2, 4}, {641, 359, 3}, {1920, 1080, 2},
  };

  rk_test_init (&argc, &argv);
#ifdef RK_DEVICE_CHAIN_CUDA
  rk_fake_cuda_install ();
#endif
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++) {
    gchar *path = g_strdup_printf ("/device-chain/" BACKEND "/%ux%u",
        sizes[i][0], sizes[i][1]);

    g_test_add_data_func (path, sizes[i], test_chain);
    g_free (path);
  }
  g_test_add_func ("/device-chain/mixed-backends", test_mixed_chain);
  g_test_add_func ("/device-chain/host-reads-device-frame",
      test_host_reads_device_frame);
  g_test_add_func ("/device-chain/through-queue", test_through_queue);
  g_test_add_func ("/device-chain/caps-change-and-restart",
      test_caps_change_and_restart);
  g_test_add_func ("/device-chain/no-leak", test_no_leak);
  g_test_add_func ("/device-chain/fault-mid-chain", test_fault_mid_chain);
  g_test_add_func ("/device-chain/flushing-seek", test_flushing_seek);
  return g_test_run ();
}
