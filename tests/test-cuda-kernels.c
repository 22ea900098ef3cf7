/* The library kernels on the CUDA backend against the CPU backend, on the
 * fake device (rkfakecuda.c runs the real device code on the host, grid of
 * a few threads): the same inputs go through `rk<name> backend=cpu` and
 * `rk<name> backend=cuda mode=...`, and the outputs and the element
 * messages made from NOTIFY outputs must agree.
 *
 * Built a second time with RK_CUDA_KERNELS_ON_DEVICE (cuda-kernels-device):
 * the same checks on a real GPU, skipping (exit 77) with the reason
 * without one.
 *
 * Integer kernels (blur, sobel, bgsub) must give the same bytes.
 * Tolerances of the float kernels are stated at their tests. */
#include <math.h>
#include <string.h>

#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "rktest.h"
#ifdef RK_CUDA_KERNELS_ON_DEVICE
#include <stdio.h>
#define CHECK_NOTHING_LEFT()    /* the fake device counts allocations */
#else
#include "rkfakecuda.h"
#define CHECK_NOTHING_LEFT() \
  g_assert_cmpuint (rk_fake_cuda_live_allocations (), ==, 0)
#endif

static const gchar *modes[] = { "persistent", "event-driven" };

/* Two harnesses running the same element on the two backends, each with
 * a bus for its element messages. */
typedef struct
{
  GstHarness *h[2];             /* cpu, cuda */
  GstBus *bus[2];
  GstElement *el[2];            /* the rk element in each */
} Pair;

static void
pair_init (Pair * pair, const gchar * element, const gchar * mode,
    const gchar * caps)
{
  for (guint i = 0; i < 2; i++) {
    gchar *desc = i == 0 ? g_strdup_printf ("%s backend=cpu", element) :
        g_strdup_printf ("%s backend=cuda mode=%s", element, mode);

    pair->h[i] = gst_harness_new_parse (desc);
    pair->bus[i] = gst_bus_new ();
    gst_element_set_bus (pair->h[i]->element, pair->bus[i]);
    gst_harness_set_src_caps_str (pair->h[i], caps);
    *strchr (desc, ' ') = '\0';
    pair->el[i] = gst_harness_find_element (pair->h[i], desc);
    g_assert_nonnull (pair->el[i]);
    g_free (desc);
  }
}

static void
pair_clear (Pair * pair)
{
  for (guint i = 0; i < 2; i++) {
    gst_element_set_bus (pair->h[i]->element, NULL);
    gst_object_unref (pair->bus[i]);
    gst_object_unref (pair->el[i]);
    gst_harness_teardown (pair->h[i]);
  }
  CHECK_NOTHING_LEFT ();
}

/* The backend an element of the pair ran on (no silent fallback) */
static void
pair_assert_backends (Pair * pair)
{
  for (guint i = 0; i < 2; i++) {
    GstStructure *s;

    g_object_get (pair->el[i], "stats", &s, NULL);
    g_assert_cmpstr (gst_structure_get_string (s, "backend"), ==,
        i == 0 ? "cpu" : "cuda");
    gst_structure_free (s);
  }
}

/* Pushes @buf (taken) through both; returns both outputs */
static void
pair_push (Pair * pair, GstBuffer * buf, GstBuffer ** out)
{
  g_assert_cmpint (gst_harness_push (pair->h[0], gst_buffer_copy (buf)), ==,
      GST_FLOW_OK);
  g_assert_cmpint (gst_harness_push (pair->h[1], buf), ==, GST_FLOW_OK);
  for (guint i = 0; i < 2; i++) {
    out[i] = gst_harness_pull (pair->h[i]);
    if (out[i] == NULL) {
      GstMessage *m = gst_bus_pop_filtered (pair->bus[i], GST_MESSAGE_ERROR);
      GError *err = NULL;

      if (m)
        gst_message_parse_error (m, &err, NULL);
      g_error ("no output from the %s backend: %s", i ? "cuda" : "cpu",
          err ? err->message : "no error posted");
    }
  }
  g_assert_cmpuint (GST_BUFFER_PTS (out[0]), ==, GST_BUFFER_PTS (out[1]));
  g_assert_cmpuint (GST_BUFFER_DURATION (out[0]), ==,
      GST_BUFFER_DURATION (out[1]));
}

static void
assert_same_bytes (GstBuffer ** out)
{
  GstMapInfo m[2];

  gst_buffer_map (out[0], &m[0], GST_MAP_READ);
  gst_buffer_map (out[1], &m[1], GST_MAP_READ);
  g_assert_cmpmem (m[1].data, m[1].size, m[0].data, m[0].size);
  gst_buffer_unmap (out[0], &m[0]);
  gst_buffer_unmap (out[1], &m[1]);
  gst_buffer_unref (out[0]);
  gst_buffer_unref (out[1]);
}

/* Drains both (EOS through) and returns each one's element messages named
 * @name, in the order they were posted. */
static void
pair_drain_messages (Pair * pair, const gchar * name, GPtrArray ** msgs)
{
  for (guint i = 0; i < 2; i++) {
    GstMessage *m;
    GstEvent *ev;

    g_assert_true (gst_harness_push_event (pair->h[i], gst_event_new_eos ()));
    while ((ev = gst_harness_pull_event (pair->h[i]))) {
      gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

      gst_event_unref (ev);
      if (eos)
        break;
    }
    msgs[i] = g_ptr_array_new_with_free_func ((GDestroyNotify)
        gst_structure_free);
    while ((m = gst_bus_pop_filtered (pair->bus[i], GST_MESSAGE_ELEMENT))) {
      const GstStructure *s = gst_message_get_structure (m);

      if (gst_structure_has_name (s, name))
        g_ptr_array_add (msgs[i], gst_structure_copy (s));
      gst_message_unref (m);
    }
  }
}

static GstBuffer *
random_buffer (gsize size, GRand * rand, guint index)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (gsize i = 0; i < size; i++)
    map.data[i] = (guint8) g_rand_int (rand);
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = index * 40 * GST_MSECOND;
  GST_BUFFER_DURATION (buf) = 40 * GST_MSECOND;
  return buf;
}

static gsize
video_size (const gchar * caps)
{
  GstCaps *c = gst_caps_from_string (caps);
  GstVideoInfo vi;

  g_assert_true (gst_video_info_from_caps (&vi, c));
  gst_caps_unref (c);
  return GST_VIDEO_INFO_SIZE (&vi);
}

static gchar *
video_caps (const gchar * format, guint w, guint h)
{
  return g_strdup_printf ("video/x-raw,format=%s,width=%u,height=%u,"
      "framerate=25/1", format, w, h);
}

/* Three random frames of @caps through @element on both backends: the same
 * bytes out */
static void
check_random_frames (const gchar * element, const gchar * mode,
    const gchar * caps, GRand * rand)
{
  gsize size = video_size (caps);
  Pair pair;

  pair_init (&pair, element, mode, caps);
  for (guint i = 0; i < 3; i++) {
    GstBuffer *out[2];

    pair_push (&pair, random_buffer (size, rand, i), out);
    assert_same_bytes (out);
  }
  pair_assert_backends (&pair);
  pair_clear (&pair);
}

/* ---- blur: bit-exact, GRAY8 and RGBA, radius 0 (copy), 4 and 9, and a
 * frame narrower than the kernel (clamping on both sides at once) ---- */

static void
test_blur (gconstpointer data)
{
  const gchar *mode = data;
  static const gchar *formats[] = { "GRAY8", "RGBA" };
  static const gdouble sigmas[] = { 0.0, 1.2, 3.0 };
  GRand *rand = g_rand_new_with_seed (5);

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++) {
    for (guint s = 0; s < G_N_ELEMENTS (sigmas); s++) {
      guint w = s == 2 ? 7 : 37;
      gchar *caps = video_caps (formats[f], w, 23);
      gchar *el = g_strdup_printf ("rkblur sigma=%g", sigmas[s]);

      check_random_frames (el, mode, caps, rand);
      g_free (el);
      g_free (caps);
    }
  }
  g_rand_free (rand);
}

/* ---- sobel: bit-exact, magnitude and thresholded ---- */

static void
test_sobel (gconstpointer data)
{
  const gchar *mode = data;
  static const gint thresholds[] = { 0, 64 };
  GRand *rand = g_rand_new_with_seed (7);

  for (guint t = 0; t < G_N_ELEMENTS (thresholds); t++) {
    gchar *caps = video_caps ("GRAY8", 41, 19);
    gchar *el = g_strdup_printf ("rksobel threshold=%d", thresholds[t]);

    check_random_frames (el, mode, caps, rand);
    g_free (el);
    g_free (caps);
  }
  g_rand_free (rand);
}

/* ---- bgsub: masks and motion messages bit-exact, across frames, across
 * PAUSED -> READY -> PAUSED, after `reset` and after a flush with
 * reset-on-flush ---- */

/* A smooth background with a bright block at (bx, by) when bx >= 0 */
static GstBuffer *
bgsub_scene (const gchar * format, guint w, guint h, gint bx, gint by,
    guint index)
{
  guint bpp = g_str_equal (format, "GRAY8") ? 1 : 4;
  guint stride = GST_ROUND_UP_4 (w * bpp);
  GstBuffer *buf = gst_buffer_new_allocate (NULL, (gsize) stride * h, NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  memset (map.data, 0, map.size);
  for (guint y = 0; y < h; y++) {
    for (guint x = 0; x < w; x++) {
      gboolean in = bx >= 0 && x >= (guint) bx && x < (guint) bx + 10 &&
          y >= (guint) by && y < (guint) by + 8;
      guint8 v = in ? 230 : (guint8) (40 + x + y);

      for (guint c = 0; c < bpp; c++)
        map.data[y * stride + x * bpp + c] = (guint8) (v - 10 * c);
    }
  }
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = index * 40 * GST_MSECOND;
  GST_BUFFER_DURATION (buf) = 40 * GST_MSECOND;
  return buf;
}

static void
restart_stream (GstHarness * h, const gchar * caps)
{
  GstSegment seg;

  gst_segment_init (&seg, GST_FORMAT_TIME);
  gst_harness_push_event (h, gst_event_new_stream_start ("again"));
  gst_harness_push_event (h, gst_event_new_caps (gst_caps_from_string (caps)));
  gst_harness_push_event (h, gst_event_new_segment (&seg));
}

static void
flush (GstHarness * h)
{
  GstSegment seg;

  gst_segment_init (&seg, GST_FORMAT_TIME);
  gst_harness_push_event (h, gst_event_new_flush_start ());
  gst_harness_push_event (h, gst_event_new_flush_stop (TRUE));
  gst_harness_push_event (h, gst_event_new_segment (&seg));
}

/* The two lists of messages agree, HLC stamps aside (each runtime has its
 * own clock) */
static void
assert_same_messages (GPtrArray ** msgs)
{
  g_assert_cmpuint (msgs[1]->len, ==, msgs[0]->len);
  for (guint i = 0; i < msgs[0]->len; i++) {
    GstStructure *a = g_ptr_array_index (msgs[0], i);
    GstStructure *b = g_ptr_array_index (msgs[1], i);

    gst_structure_remove_fields (a, "hlc-physical", "hlc-logical",
        "hlc-node", NULL);
    gst_structure_remove_fields (b, "hlc-physical", "hlc-logical",
        "hlc-node", NULL);
    if (!gst_structure_is_equal (a, b)) {
      gchar *sa = gst_structure_to_string (a), *sb = gst_structure_to_string (b);

      g_error ("message %u differs:\n cpu  %s\n cuda %s", i, sa, sb);
    }
  }
}

static void
test_bgsub (gconstpointer data)
{
  const gchar *mode = data;
  static const gchar *formats[] = { "GRAY8", "BGRA" };
  /* block position per frame: -1 none; crossings up and down */
  static const gint block[] = { -1, -1, 3, 5, -1, -1, 7, 7, 7, -1 };
  const guint w = 33, h = 21;

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++) {
    gchar *caps = video_caps (formats[f], w, h);
    GPtrArray *msgs[2];
    guint index = 0;
    Pair pair;

    pair_init (&pair, "rkbgsub learning-rate=0.75 motion-threshold=0.05",
        mode, caps);
    for (guint step = 0; step < 5; step++) {
      for (guint i = 0; i < G_N_ELEMENTS (block); i++) {
        GstBuffer *out[2];

        pair_push (&pair, bgsub_scene (formats[f], w, h, block[i],
                block[i] + 2, index++), out);
        assert_same_bytes (out);
      }
      for (guint k = 0; k < 2; k++) {
        switch (step) {
          case 0:              /* the model survives READY */
            g_assert_cmpint (gst_element_set_state (pair.h[k]->element,
                    GST_STATE_READY), ==, GST_STATE_CHANGE_SUCCESS);
            g_assert_cmpint (gst_element_set_state (pair.h[k]->element,
                    GST_STATE_PLAYING), ==, GST_STATE_CHANGE_SUCCESS);
            restart_stream (pair.h[k], caps);
            break;
          case 1:
            g_signal_emit_by_name (pair.el[k], "reset");
            break;
          case 2:              /* kept */
            flush (pair.h[k]);
            break;
          case 3:
            g_object_set (pair.el[k], "reset-on-flush", TRUE, NULL);
            flush (pair.h[k]);
            break;
        }
      }
    }
    pair_assert_backends (&pair);
    pair_drain_messages (&pair, "ringkernel-motion", msgs);
    /* up and down per pass, again after each reset */
    g_assert_cmpuint (msgs[0]->len, >=, 10);
    assert_same_messages (msgs);
    g_ptr_array_unref (msgs[0]);
    g_ptr_array_unref (msgs[1]);
    pair_clear (&pair);
    g_free (caps);
  }
}

/* ---- anomaly: the audio passes through unchanged; the same anomalies
 * (channel, offset, timestamp, value exactly), their statistics within
 * 1e-9 relative, the descriptor's cross-backend tolerance (the device code
 * does the CPU's double operations in the CPU's order, unfused, so in
 * practice they are equal). A burst of more anomalies in one buffer than
 * the extras area holds (64 frames × channels) goes out over several
 * rounds, in order, none lost, through an output ring of 4 slots. ---- */

#define RATE 8000

static gchar *
audio_caps (guint channels)
{
  return g_strdup_printf ("audio/x-raw,format=F32LE,layout=interleaved,"
      "rate=%u,channels=%u,channel-mask=(bitmask)0", RATE, channels);
}

static void
assert_close (gdouble a, gdouble b, gdouble rel)
{
  if (!(fabs (a - b) <= rel * MAX (fabs (a), fabs (b))))
    g_error ("%.17g and %.17g differ by more than %g relative", a, b, rel);
}

static void
test_anomaly (gconstpointer data)
{
  const gchar *mode = data;
  const guint C = 3, frames = 3000;
  /* buffer sizes: 1 frame, odd sizes, then the burst in one buffer */
  static const guint cuts[] = { 1, 17, 130, 1, 64, 65, 300 };
  gfloat *v = g_new (gfloat, (gsize) frames * C);
  GRand *rand = g_rand_new_with_seed (11);
  gchar *caps = audio_caps (C);
  GPtrArray *msgs[2];
  guint pos = 0, i = 0, n_burst = 0;
  Pair pair;

  for (guint k = 0; k < frames * C; k++)
    v[k] = (gfloat) g_rand_double_range (rand, -1.0, 1.0);
  /* a few spikes, and from frame 2000 on a burst: most samples far out */
  for (guint k = 500; k < 2000; k += 97)
    v[k * C + k % C] = 40.0f;
  for (guint k = 2000; k < 2400; k++)
    for (guint c = 0; c < C; c++)
      v[k * C + c] = (gfloat) ((k % 2 ? 1 : -1) * (1000.0 * (k - 1990)));

  pair_init (&pair, "rkanomaly z-threshold=2.5 min-samples=20 "
      "output-queue-capacity=4", mode, caps);
  while (pos < frames) {
    guint cut = cuts[i++ % G_N_ELEMENTS (cuts)];   /* MIN evaluates twice */
    guint n = pos >= 2000 && pos < 2400 ? 2400 - pos : MIN (cut, frames - pos);
    GstBuffer *out[2];

    if (pos == 1500)            /* both start afresh, in order */
      for (guint k = 0; k < 2; k++)
        g_signal_emit_by_name (pair.el[k], "reset");
    pair_push (&pair, rk_test_audio_buffer (RATE, v, C, pos, n), out);
    assert_same_bytes (out);
    pos += n;
  }
  pair_assert_backends (&pair);
  pair_drain_messages (&pair, "ringkernel-anomaly", msgs);

  g_assert_cmpuint (msgs[1]->len, ==, msgs[0]->len);
  for (guint k = 0; k < msgs[0]->len; k++) {
    const GstStructure *a = g_ptr_array_index (msgs[0], k);
    const GstStructure *b = g_ptr_array_index (msgs[1], k);
    guint ca, cb;
    guint64 oa, ob, ta, tb;
    gdouble xa, xb;

    g_assert_true (gst_structure_get (a, "channel", G_TYPE_UINT, &ca,
            "offset", G_TYPE_UINT64, &oa, "timestamp", G_TYPE_UINT64, &ta,
            "value", G_TYPE_DOUBLE, &xa, NULL));
    g_assert_true (gst_structure_get (b, "channel", G_TYPE_UINT, &cb,
            "offset", G_TYPE_UINT64, &ob, "timestamp", G_TYPE_UINT64, &tb,
            "value", G_TYPE_DOUBLE, &xb, NULL));
    g_assert_cmpuint (cb, ==, ca);
    g_assert_cmpuint (ob, ==, oa);
    g_assert_cmpuint (tb, ==, ta);
    g_assert_cmpfloat (xb, ==, xa);
    for (guint f = 0; f < 3; f++) {
      const gchar *field = (const gchar *[]) { "z", "mean", "stddev" }[f];
      gdouble fa, fb;

      g_assert_true (gst_structure_get_double (a, field, &fa));
      g_assert_true (gst_structure_get_double (b, field, &fb));
      assert_close (fa, fb, 1e-9);
    }
    if (ta >= gst_util_uint64_scale_int (2000, GST_SECOND, RATE) &&
        ta < gst_util_uint64_scale_int (2400, GST_SECOND, RATE))
      n_burst++;
  }
  /* the burst is more than one round's worth */
  g_assert_cmpuint (n_burst, >, 64 * C);
  g_ptr_array_unref (msgs[0]);
  g_ptr_array_unref (msgs[1]);
  pair_clear (&pair);
  g_free (caps);
  g_free (v);
  g_rand_free (rand);
}

/* ---- fir: 64 and 512 taps (and 3, and none: the identity), 2 channels,
 * with a reset in the middle. The CUDA output is the same bytes whether
 * the stream comes in buffers of one sample or in larger ones (its sums
 * do not depend on the cut); against the CPU, whose taps beyond 64 go
 * through FFTs, it is within the descriptor's 1e-5 × Σ|h| × max|x|. ---- */

static GstHarness *
fir_harness (const gchar * backend, const gchar * mode, const gdouble * h,
    guint n_taps, guint channels)
{
  GString *desc = g_string_new (NULL);
  gchar *caps = audio_caps (channels);
  GstHarness *harness;

  g_string_printf (desc, "rkfir name=%s0 backend=%s", backend, backend);
  if (mode)
    g_string_append_printf (desc, " mode=%s", mode);
  g_string_append (desc, " taps=\"<");
  for (guint k = 0; k < n_taps; k++)
    g_string_append_printf (desc, "%s%.9g", k ? ", " : "", h[k]);
  g_string_append (desc, ">\"");
  harness = gst_harness_new_parse (desc->str);
  gst_harness_set_src_caps_str (harness, caps);
  g_string_free (desc, TRUE);
  g_free (caps);
  return harness;
}

/* @frames frames in buffers of @cut (a reset before frame @reset_at);
 * returns the output */
static gfloat *
fir_run (GstHarness * h, const gfloat * x, guint channels, guint frames,
    guint cut, guint reset_at)
{
  gfloat *y = g_new0 (gfloat, (gsize) frames * channels);
  GstElement *el = gst_harness_find_element (h, "rkfir");
  guint pos = 0;

  while (pos < frames) {
    guint n = MIN (cut, frames - pos);
    GstBuffer *b;

    if (pos <= reset_at && reset_at < pos + n && reset_at != pos)
      n = reset_at - pos;       /* a buffer ends at the reset */
    if (pos == reset_at)
      g_signal_emit_by_name (el, "reset");
    g_assert_cmpint (gst_harness_push (h, rk_test_audio_buffer (RATE, x,
                channels, pos, n)), ==, GST_FLOW_OK);
    b = gst_harness_pull (h);
    g_assert_nonnull (b);
    g_assert_cmpuint (gst_buffer_get_size (b), ==,
        (gsize) n * channels * sizeof (gfloat));
    g_assert_cmpuint (GST_BUFFER_PTS (b), ==,
        gst_util_uint64_scale_int (pos, GST_SECOND, RATE));
    gst_buffer_extract (b, 0, y + (gsize) pos * channels,
        (gsize) n * channels * sizeof (gfloat));
    gst_buffer_unref (b);
    pos += n;
  }
  {
    GstStructure *st;

    g_object_get (el, "stats", &st, NULL);
    g_assert_cmpstr (gst_structure_get_string (st, "backend"), ==,
        g_str_has_prefix (GST_OBJECT_NAME (el), "cpu") ? "cpu" : "cuda");
    gst_structure_free (st);
  }
  gst_object_unref (el);
  return y;
}

static void
test_fir (gconstpointer data)
{
  const gchar *mode = data;
  static const guint taps[] = { 0, 3, 64, 512 };
  const guint C = 2, frames = 700, reset_at = 450;
  GRand *rand = g_rand_new_with_seed (13);
  gfloat *x = g_new (gfloat, (gsize) frames * C);
  gdouble max_x = 0.0;

  for (guint k = 0; k < frames * C; k++) {
    x[k] = (gfloat) g_rand_double_range (rand, -1.0, 1.0);
    max_x = MAX (max_x, fabs (x[k]));
  }
  for (guint t = 0; t < G_N_ELEMENTS (taps); t++) {
    const guint K = taps[t];
    gdouble *h = g_new (gdouble, MAX (K, 1)), sum_h = 0.0, tol;
    GstHarness *cpu, *one, *big;
    gfloat *ref, *y1, *yb;

    for (guint k = 0; k < K; k++) {
      h[k] = (gfloat) g_rand_double_range (rand, -0.5, 0.5) / (1 + k / 32);
      sum_h += fabs ((gfloat) h[k]);
    }
    tol = 1e-5 * sum_h * max_x;  /* the descriptor's; 0 for no taps */
    cpu = fir_harness ("cpu", NULL, h, K, C);
    one = fir_harness ("cuda", mode, h, K, C);
    big = fir_harness ("cuda", mode, h, K, C);
    ref = fir_run (cpu, x, C, frames, 160, reset_at);
    y1 = fir_run (one, x, C, frames, 1, reset_at);
    yb = fir_run (big, x, C, frames, 300, reset_at);

    g_assert_cmpmem (y1, frames * C * sizeof (gfloat), yb,
        frames * C * sizeof (gfloat));
    for (guint k = 0; k < frames * C; k++) {
      if (!(fabs (yb[k] - ref[k]) <= tol))
        g_error ("%u taps, sample %u: cuda %.9g, cpu %.9g (tolerance %g)",
            K, k, yb[k], ref[k], tol);
    }
    if (K == 0)
      g_assert_cmpmem (yb, frames * C * sizeof (gfloat), x,
          frames * C * sizeof (gfloat));
    gst_harness_teardown (cpu);
    gst_harness_teardown (one);
    gst_harness_teardown (big);
    g_free (ref);
    g_free (y1);
    g_free (yb);
    g_free (h);
  }
  CHECK_NOTHING_LEFT ();
  g_free (x);
  g_rand_free (rand);
}

/* ---- spectrum: the audio passes through unchanged; the same messages
 * (count, timestamps, durations, shape), magnitudes within the
 * descriptor's 0.01 dB per band (the device takes a direct DFT in double,
 * the CPU an FFT in float). nfft a power of two (bands 65) and not
 * (bands 50: Bluestein on the CPU), mixed down and multi-channel, intervals
 * shorter than nfft (no multiple of nfft: one FFT at the end) and with a
 * remainder (37 ms at 8 kHz = 296 frames), buffers of 1 frame up to 1000
 * (several intervals in one buffer: several rounds). ---- */

static void
flatten_floats (const GValue * v, GArray * out)
{
  if (GST_VALUE_HOLDS_LIST (v)) {
    for (guint i = 0; i < gst_value_list_get_size (v); i++)
      flatten_floats (gst_value_list_get_value (v, i), out);
  } else if (GST_VALUE_HOLDS_ARRAY (v)) {
    for (guint i = 0; i < gst_value_array_get_size (v); i++)
      flatten_floats (gst_value_array_get_value (v, i), out);
  } else {
    gfloat f = g_value_get_float (v);

    g_array_append_val (out, f);
  }
}

static void
test_spectrum (gconstpointer data)
{
  const gchar *mode = data;
  static const struct
  {
    guint bands;
    guint interval_ms;
    gboolean multi;
  } cfg[] = { {65, 10, FALSE}, {50, 37, TRUE}, {65, 37, TRUE}, {50, 10,
  FALSE} };
  static const guint cuts[] = { 1, 1000, 7, 160, 333, 1, 64 };
  const guint C = 2, frames = 4000;
  GRand *rand = g_rand_new_with_seed (17);
  gfloat *v = g_new (gfloat, (gsize) frames * C);
  gchar *caps = audio_caps (C);

  for (guint k = 0; k < frames; k++)
    for (guint c = 0; c < C; c++)
      v[k * C + c] = (gfloat) (0.5 * sin (k * (0.1 + 0.3 * c)) +
          g_rand_double_range (rand, -0.1, 0.1));

  for (guint t = 0; t < G_N_ELEMENTS (cfg); t++) {
    gchar *el = g_strdup_printf ("rkspectrum bands=%u interval=%" G_GUINT64_FORMAT
        " multi-channel=%s threshold=-90", cfg[t].bands,
        cfg[t].interval_ms * GST_MSECOND, cfg[t].multi ? "true" : "false");
    GPtrArray *msgs[2];
    guint pos = 0, i = 0;
    gdouble worst = 0.0;
    Pair pair;

    pair_init (&pair, el, mode, caps);
    while (pos < frames) {
      guint cut = cuts[i++ % G_N_ELEMENTS (cuts)];     /* MIN evaluates twice */
      guint n = MIN (cut, frames - pos);
      GstBuffer *out[2];

      pair_push (&pair, rk_test_audio_buffer (RATE, v, C, pos, n), out);
      assert_same_bytes (out);
      pos += n;
    }
    pair_assert_backends (&pair);
    pair_drain_messages (&pair, "spectrum", msgs);
    /* One message per whole interval of the stream, none for the rest */
    g_assert_cmpuint (msgs[0]->len, ==, frames / (cfg[t].interval_ms * RATE /
            1000));
    g_assert_cmpuint (msgs[1]->len, ==, msgs[0]->len);
    for (guint k = 0; k < msgs[0]->len; k++) {
      GstStructure *a = g_ptr_array_index (msgs[0], k);
      GstStructure *b = g_ptr_array_index (msgs[1], k);
      GArray *ma = g_array_new (FALSE, FALSE, sizeof (gfloat));
      GArray *mb = g_array_new (FALSE, FALSE, sizeof (gfloat));
      static const gchar *times[] = { "timestamp", "duration", "endtime",
        "stream-time", "running-time"
      };

      for (guint f = 0; f < G_N_ELEMENTS (times); f++) {
        guint64 ta, tb;

        g_assert_true (gst_structure_get_uint64 (a, times[f], &ta) ||
            gst_structure_get_clock_time (a, times[f], &ta));
        g_assert_true (gst_structure_get_uint64 (b, times[f], &tb) ||
            gst_structure_get_clock_time (b, times[f], &tb));
        g_assert_cmpuint (tb, ==, ta);
      }
      flatten_floats (gst_structure_get_value (a, "magnitude"), ma);
      flatten_floats (gst_structure_get_value (b, "magnitude"), mb);
      g_assert_cmpuint (ma->len, ==, cfg[t].bands * (cfg[t].multi ? C : 1));
      g_assert_cmpuint (mb->len, ==, ma->len);
      g_assert_cmpuint (G_VALUE_TYPE (gst_structure_get_value (a,
                  "magnitude")), ==, G_VALUE_TYPE (gst_structure_get_value (b,
                  "magnitude")));
      for (guint j = 0; j < ma->len; j++) {
        gfloat fa = g_array_index (ma, gfloat, j);
        gfloat fb = g_array_index (mb, gfloat, j);
        gdouble d = fabs (fa - fb);

        worst = MAX (worst, d);
        if (!(d <= 0.01))
          g_error ("bands=%u message %u band %u: cpu %g dB, cuda %g dB",
              cfg[t].bands, k, j, g_array_index (ma, gfloat, j),
              g_array_index (mb, gfloat, j));
      }
      g_array_unref (ma);
      g_array_unref (mb);
    }
    g_test_message ("bands %u: %u messages, worst difference %g dB",
        cfg[t].bands, msgs[0]->len, worst);
    g_ptr_array_unref (msgs[0]);
    g_ptr_array_unref (msgs[1]);
    pair_clear (&pair);
    g_free (el);
  }
  g_free (caps);
  g_free (v);
  g_rand_free (rand);
}

/* ---- bad input: the CPU's error text on CUDA too, for every kernel ---- */

static void
test_bad_input (gconstpointer data)
{
  const gchar *mode = data;
  static const struct
  {
    const gchar *element;
    gboolean audio;
    const gchar *expect;
  } cases[] = {
    {"rkblur", FALSE, "buffer of 6 bytes is smaller than a 8x8 GRAY8 frame "
          "(64 bytes)"},
    {"rksobel", FALSE, "buffer of 6 bytes is smaller than a 8x8 GRAY8 frame "
          "(64 bytes)"},
    {"rkbgsub", FALSE, "buffer of 6 bytes is smaller than a 8x8 GRAY8 frame "
          "(64 bytes)"},
    {"rkfir taps=\"<0.5, 0.5>\"", TRUE, "buffer of 6 bytes is not a whole "
          "number of 2-channel F32LE frames"},
    {"rkspectrum", TRUE, "buffer of 6 bytes is not a whole number of "
          "2-channel F32LE frames"},
    {"rkanomaly", TRUE, "buffer of 6 bytes is not a whole number of "
          "2-channel F32LE frames"},
  };
  gchar *acaps = audio_caps (2), *vcaps = video_caps ("GRAY8", 8, 8);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    Pair pair;

    pair_init (&pair, cases[i].element, mode, cases[i].audio ? acaps : vcaps);
    for (guint k = 0; k < 2; k++) {
      GstMessage *msg;
      GError *err = NULL;
      gchar *dbg = NULL;

      gst_harness_push (pair.h[k], gst_buffer_new_memdup ("012345", 6));
      msg = gst_bus_timed_pop_filtered (pair.bus[k], 5 * GST_SECOND,
          GST_MESSAGE_ERROR);
      g_assert_nonnull (msg);
      gst_message_parse_error (msg, &err, &dbg);
      if (strstr (dbg, cases[i].expect) == NULL)
        g_error ("%s on %s: \"%s\" not in \"%s\"", cases[i].element,
            k ? "cuda" : "cpu", cases[i].expect, dbg);
      g_clear_error (&err);
      g_free (dbg);
      gst_message_unref (msg);
    }
    pair_assert_backends (&pair);
    pair_clear (&pair);
  }
  g_free (acaps);
  g_free (vcaps);
}

int
main (int argc, char **argv)
{
#ifdef RK_CUDA_KERNELS_ON_DEVICE
  gchar *reason = NULL;

  rk_test_init (&argc, &argv);
  if (!rk_test_backend_usable (GST_RK_BACKEND_CUDA, &reason)) {
    printf ("SKIP: %s\n", reason);
    g_free (reason);
    return 77;
  }
#else
  rk_fake_cuda_install ();
  rk_test_init (&argc, &argv);
#endif
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++) {
    gchar *path;

#define ADD(name, func) \
    path = g_strdup_printf ("/cuda/kernels/" name "/%s", modes[m]); \
    g_test_add_data_func (path, modes[m], func); \
    g_free (path);
    ADD ("blur", test_blur);
    ADD ("sobel", test_sobel);
    ADD ("bgsub", test_bgsub);
    ADD ("anomaly", test_anomaly);
    ADD ("fir", test_fir);
    ADD ("spectrum", test_spectrum);
    ADD ("bad-input", test_bad_input);
#undef ADD
  }
  return g_test_run ();
}
