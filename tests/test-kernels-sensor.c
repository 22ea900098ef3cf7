/* The sensor kernels on the CPU backend: rkfir against a double-precision
 * direct convolution (and identical output however the stream is cut),
 * rkspectrum against the stock spectrum element, rkanomaly against a
 * double-precision Welford reference written here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gst/check/gstharness.h>

#include "gstrkcpufft.h"
#include "rkharness.h"
#include "rktest.h"

#define RATE 8000


static gchar *
audio_caps (guint channels)
{
  return g_strdup_printf ("audio/x-raw,format=F32LE,layout=interleaved,"
      "rate=%u,channels=%u,channel-mask=(bitmask)0", RATE, channels);
}

static gfloat *
noise (guint n, GRand * rand)
{
  gfloat *v = g_new (gfloat, n);

  for (guint i = 0; i < n; i++)
    v[i] = (gfloat) g_rand_double_range (rand, -1.0, 1.0);
  return v;
}

/* Pushes @frames frames in chunks of the sizes in @cuts (cycled), pulls
 * the output of each (same size, same timestamp) and returns them
 * concatenated. */
static gfloat *
run_element (GstHarness * h, const gfloat * data, guint channels,
    guint frames, const guint * cuts, guint n_cuts)
{
  gfloat *out = g_new0 (gfloat, (gsize) frames * channels);
  guint pos = 0, i = 0;

  while (pos < frames) {
    guint cut = cuts[i++ % n_cuts], n = MIN (cut, frames - pos);
    GstBuffer *b;

    g_assert_cmpint (gst_harness_push (h, rk_test_audio_buffer (RATE, data,
                channels, pos, n)), ==, GST_FLOW_OK);
    b = gst_harness_pull (h);
    g_assert_nonnull (b);
    g_assert_cmpuint (gst_buffer_get_size (b), ==, (gsize) n * channels * 4);
    g_assert_cmpuint (GST_BUFFER_PTS (b), ==,
        gst_util_uint64_scale_int (pos, GST_SECOND, RATE));
    gst_buffer_extract (b, 0, out + (gsize) pos * channels,
        (gsize) n * channels * 4);
    gst_buffer_unref (b);
    pos += n;
  }
  return out;
}

/* ---- fir ---- */

static GstHarness *
fir_harness (const gdouble * taps, guint n_taps, guint channels)
{
  GstHarness *h = rk_test_harness_new ("rkfir");
  GValue arr = G_VALUE_INIT, v = G_VALUE_INIT;
  gchar *caps = audio_caps (channels);

  g_value_init (&arr, GST_TYPE_ARRAY);
  g_value_init (&v, G_TYPE_DOUBLE);
  for (guint i = 0; i < n_taps; i++) {
    g_value_set_double (&v, taps[i]);
    gst_value_array_append_value (&arr, &v);
  }
  g_object_set_property (G_OBJECT (h->element), "taps", &arr);
  g_value_unset (&v);
  g_value_unset (&arr);
  gst_harness_set_src_caps_str (h, caps);
  g_free (caps);
  return h;
}

/* The documented tolerance: 1e-5 × Σ|h| × max|x|. */
static void
check_fir (guint n_taps, guint channels, guint frames, guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  gdouble *taps = g_new (gdouble, MAX (n_taps, 1)), sum_abs = 0.0;
  gfloat *x = noise (frames * channels, rand), *whole, *single, *mixed;
  static const guint whole_cut[] = { 1u << 30 }, one[] = { 1 };
  static const guint mixed_cuts[] = { 7, 64, 1, 130, 3, 63, 65, 500 };
  GstHarness *h;
  gdouble tol;

  for (guint i = 0; i < n_taps; i++) {
    taps[i] = g_rand_double_range (rand, -1.0, 1.0) / sqrt (n_taps);
    sum_abs += fabs (taps[i]);
  }
  if (n_taps == 0)
    sum_abs = 1.0;
  tol = 1e-5 * sum_abs;         /* max|x| ≤ 1 */

  h = fir_harness (taps, n_taps, channels);
  whole = run_element (h, x, channels, frames, whole_cut, 1);
  rk_test_harness_teardown (h);
  h = fir_harness (taps, n_taps, channels);
  single = run_element (h, x, channels, MIN (frames, 2000), one, 1);
  rk_test_harness_teardown (h);
  h = fir_harness (taps, n_taps, channels);
  mixed = run_element (h, x, channels, frames, mixed_cuts,
      G_N_ELEMENTS (mixed_cuts));
  rk_test_harness_teardown (h);

  /* However the stream is cut, the same bytes */
  g_assert_cmpmem (single, (gsize) MIN (frames, 2000) * channels * 4, whole,
      (gsize) MIN (frames, 2000) * channels * 4);
  g_assert_cmpmem (mixed, (gsize) frames * channels * 4, whole,
      (gsize) frames * channels * 4);

  for (guint n = 0; n < frames; n++)
    for (guint c = 0; c < channels; c++) {
      gdouble ref = 0.0;

      if (n_taps == 0)
        ref = x[(gsize) n * channels + c];
      for (guint k = 0; k < n_taps && k <= n; k++)
        ref += (gdouble) (gfloat) taps[k] * x[(gsize) (n - k) * channels + c];
      if (fabs (whole[(gsize) n * channels + c] - ref) > tol)
        g_error ("fir %u taps, %u channels: y[%u][%u] = %.9g, reference "
            "%.9g (tolerance %g)", n_taps, channels, n, c,
            whole[(gsize) n * channels + c], ref, tol);
    }
  g_free (taps);
  g_free (x);
  g_free (whole);
  g_free (single);
  g_free (mixed);
  g_rand_free (rand);
}

static void
test_fir_reference_and_cuts (void)
{
  check_fir (0, 2, 300, 1);     /* empty taps: identity */
  check_fir (1, 1, 500, 2);
  check_fir (5, 3, 1000, 3);
  check_fir (64, 2, 1500, 4);   /* all direct */
  check_fir (65, 1, 1500, 5);   /* one tail partition */
  check_fir (300, 5, 3000, 6);
  check_fir (512, 32, 2500, 7);
  check_fir (200, 17, 1200, 8); /* a full group of 16 channels and one */
}

/* reset clears the history: the output equals a fresh filter's. */
static void
test_fir_reset (void)
{
  static const gdouble taps[] = { 0.5, -0.25, 0.125, 1.0 };
  static const guint cut[] = { 100 };
  GRand *rand = g_rand_new_with_seed (9);
  gfloat *x = noise (400, rand), *a, *b;
  GstHarness *h = fir_harness (taps, 4, 2), *fresh;

  a = run_element (h, x, 2, 200, cut, 1);
  g_free (a);
  g_signal_emit_by_name (h->element, "reset");
  a = run_element (h, x + 400 - 200, 2, 100, cut, 1);
  fresh = fir_harness (taps, 4, 2);
  b = run_element (fresh, x + 400 - 200, 2, 100, cut, 1);
  g_assert_cmpmem (a, 800, b, 800);
  g_free (a);
  g_free (b);
  g_free (x);
  g_rand_free (rand);
  rk_test_harness_teardown (h);
  rk_test_harness_teardown (fresh);
}

/* ---- the CPU's 8-lane transforms (FIR tails) ---- */

/* The forward transform leaves bins in bit-reversed rows, the inverse takes
 * them so and returns n × the input in natural order. */
static void
test_fft8_orders (void)
{
  GRand *rand = g_rand_new_with_seed (41);

  for (guint n = 2; n <= 256; n *= 4) {
    const GstRkCpuFftPlan *plan = gst_rk_cpu_fft_plan_get (n);
    gfloat *re = g_new (gfloat, 8 * n), *im = g_new (gfloat, 8 * n);
    gfloat *x_re = g_new (gfloat, 8 * n), *x_im = g_new (gfloat, 8 * n);

    for (guint i = 0; i < 8 * n; i++) {
      x_re[i] = re[i] = (gfloat) g_rand_double_range (rand, -1.0, 1.0);
      x_im[i] = im[i] = (gfloat) g_rand_double_range (rand, -1.0, 1.0);
    }
    gst_rk_cpu_fft8_forward_dif (plan, re, im);
    for (guint p = 0; p < n; p++) {
      guint k = plan->bitrev[p];

      for (guint l = 0; l < 8; l++) {
        gdouble sr = 0.0, si = 0.0;

        for (guint t = 0; t < n; t++) {
          gdouble a = -2.0 * G_PI * (gdouble) ((k * t) % n) / n;
          sr += x_re[8 * t + l] * cos (a) - x_im[8 * t + l] * sin (a);
          si += x_re[8 * t + l] * sin (a) + x_im[8 * t + l] * cos (a);
        }
        g_assert_cmpfloat_with_epsilon (re[8 * p + l], sr, 1e-4 * n);
        g_assert_cmpfloat_with_epsilon (im[8 * p + l], si, 1e-4 * n);
      }
    }
    gst_rk_cpu_fft8_inverse_dit (plan, re, im);
    for (guint i = 0; i < 8 * n; i++) {
      g_assert_cmpfloat_with_epsilon (re[i], n * x_re[i], 1e-4 * n);
      g_assert_cmpfloat_with_epsilon (im[i], n * x_im[i], 1e-4 * n);
    }
    g_free (re);
    g_free (im);
    g_free (x_re);
    g_free (x_im);
  }
  g_rand_free (rand);
}

/* A single column (the mixed-down spectrum) takes its own loop order; its
 * results must equal, bit for bit, the general path's (the same column
 * with a stride of 3), forward and inverse. */
static void
test_fft_one_column (void)
{
  GRand *rand = g_rand_new_with_seed (43);

  for (guint n = 1; n <= 4096; n *= 2) {
    const GstRkCpuFftPlan *plan = gst_rk_cpu_fft_plan_get (n);
    gfloat *re = g_new (gfloat, n), *im = g_new (gfloat, n);
    gfloat *sre = g_new0 (gfloat, 3 * n), *sim = g_new0 (gfloat, 3 * n);

    for (guint inverse = 0; inverse < 2; inverse++) {
      for (guint i = 0; i < n; i++) {
        sre[3 * i] = re[i] = (gfloat) g_rand_double_range (rand, -1.0, 1.0);
        sim[3 * i] = im[i] = (gfloat) g_rand_double_range (rand, -1.0, 1.0);
      }
      gst_rk_cpu_fft (plan, re, im, 1, 1, inverse);
      gst_rk_cpu_fft (plan, sre, sim, 3, 1, inverse);
      for (guint i = 0; i < n; i++) {
        g_assert_true (memcmp (&re[i], &sre[3 * i], sizeof (gfloat)) == 0);
        g_assert_true (memcmp (&im[i], &sim[3 * i], sizeof (gfloat)) == 0);
      }
    }
    g_free (re);
    g_free (im);
    g_free (sre);
    g_free (sim);
  }
  g_rand_free (rand);
}

/* ---- spectrum against the stock element ---- */

static GPtrArray *
spectrum_messages (const gchar * factory, const gfloat * x, guint channels,
    guint frames, gint bands, gboolean multi)
{
  GstHarness *h = rk_test_harness_new (factory);
  GstBus *bus = gst_bus_new ();
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  gchar *caps = audio_caps (channels);
  static const guint cut[] = { 300, 17, 999 };
  gfloat *out;
  GstMessage *m;

  gst_element_set_bus (h->element, bus);
  g_object_set (h->element, "bands", bands, "interval", 50 * GST_MSECOND,
      "multi-channel", multi, "threshold", -80, NULL);
  gst_harness_set_src_caps_str (h, caps);
  out = run_element (h, x, channels, frames, cut, G_N_ELEMENTS (cut));
  /* audio passes through unchanged */
  g_assert_cmpmem (out, (gsize) frames * channels * 4, x,
      (gsize) frames * channels * 4);
  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    if (gst_structure_has_name (gst_message_get_structure (m), "spectrum"))
      g_ptr_array_add (msgs, gst_structure_copy (gst_message_get_structure
              (m)));
    gst_message_unref (m);
  }
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  g_free (out);
  g_free (caps);
  rk_test_harness_teardown (h);
  return msgs;
}

static const GValue *
band (const GstStructure * s, gboolean multi, guint c, guint i)
{
  const GValue *mag = gst_structure_get_value (s, "magnitude");

  if (!multi) {
    g_assert_true (GST_VALUE_HOLDS_LIST (mag));
    return gst_value_list_get_value (mag, i);
  }
  g_assert_true (GST_VALUE_HOLDS_ARRAY (mag));
  return gst_value_array_get_value (gst_value_array_get_value (mag, c), i);
}

/* Same messages, same times, magnitudes within 0.01 dB. */
static void
check_spectrum (guint channels, gint bands, gboolean multi, guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  guint frames = RATE / 2 + 123;
  gfloat *x = noise (frames * channels, rand);
  GPtrArray *ours, *theirs;

  for (guint n = 0; n < frames; n++)    /* tones over the noise */
    for (guint c = 0; c < channels; c++)
      x[n * channels + c] = 0.05f * x[n * channels + c] +
          0.5f * (gfloat) sin (2 * G_PI * (440.0 + 300.0 * c) * n / RATE);

  ours = spectrum_messages ("rkspectrum", x, channels, frames, bands, multi);
  theirs = spectrum_messages ("spectrum", x, channels, frames, bands, multi);
  g_assert_cmpuint (ours->len, ==, frames / (RATE / 20));
  g_assert_cmpuint (ours->len, ==, theirs->len);
  for (guint i = 0; i < ours->len; i++) {
    const GstStructure *a = ours->pdata[i], *b = theirs->pdata[i];
    static const gchar *times[] = { "timestamp", "stream-time",
      "running-time", "duration", "endtime"
    };

    for (guint t = 0; t < G_N_ELEMENTS (times); t++) {
      guint64 ta, tb;
      g_assert_true (gst_structure_get_uint64 (a, times[t], &ta));
      g_assert_true (gst_structure_get_uint64 (b, times[t], &tb));
      g_assert_cmpuint (ta, ==, tb);
    }
    g_assert_true (gst_structure_has_field (a, "hlc-physical"));
    for (guint c = 0; c < (multi ? channels : 1); c++)
      for (gint k = 0; k < bands; k++) {
        gfloat va = g_value_get_float (band (a, multi, c, k));
        gfloat vb = g_value_get_float (band (b, multi, c, k));
        if (fabsf (va - vb) > 0.01f)
          g_error ("spectrum message %u channel %u band %d: %g dB, stock "
              "%g dB", i, c, k, va, vb);
      }
  }
  g_ptr_array_unref (ours);
  g_ptr_array_unref (theirs);
  g_free (x);
  g_rand_free (rand);
}

static void
test_spectrum_like_stock (void)
{
  if (gst_element_factory_find ("spectrum") == NULL) {
    g_test_skip ("the stock spectrum element (gst-plugins-good) is missing");
    return;
  }
  check_spectrum (3, 128, TRUE, 21);    /* nfft 254: Bluestein */
  check_spectrum (2, 129, FALSE, 22);   /* nfft 256, mixed down */
  check_spectrum (1, 65, TRUE, 23);
  check_spectrum (4, 20, FALSE, 24);
  /* nfft 126 and 1022, mixed down: windows eight at a time and alone */
  check_spectrum (5, 64, FALSE, 25);
  check_spectrum (2, 512, FALSE, 26);
}

/* ---- anomaly ---- */

typedef struct
{
  guint channel;
  guint64 offset;
  gdouble value, z;
} RefAnomaly;

/* The specification, in plain double code. */
static GArray *
ref_anomalies (const gfloat * x, guint channels, guint frames, gdouble t,
    guint min_samples)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (RefAnomaly));
  gdouble *mean = g_new0 (gdouble, channels), *m2 = g_new0 (gdouble,
      channels);
  gdouble t2 = (gdouble) (gfloat) t * (gdouble) (gfloat) t;

  for (guint n = 0; n < frames; n++) {
    for (guint c = 0; c < channels; c++) {
      gdouble v = x[n * channels + c], d = v - mean[c];
      if (n >= min_samples && m2[c] > 0.0 && d * d * n > t2 * m2[c]) {
        RefAnomaly a = { c, n, v, d / sqrt (m2[c] / n) };
        g_array_append_val (found, a);
      }
    }
    for (guint c = 0; c < channels; c++) {
      gdouble v = x[n * channels + c], d = v - mean[c];
      mean[c] += d * (1.0 / (n + 1));
      m2[c] += d * (v - mean[c]);
    }
  }
  g_free (mean);
  g_free (m2);
  return found;
}

/* Messages equal to the reference's, in order; then reset. Spikes land in
 * several channels of one frame (with more than 16 channels: in several
 * of the CPU's channel blocks). */
static void
check_anomaly (guint channels, guint frames, gdouble z, guint first_cut,
    guint32 seed)
{
  const guint half = frames / 2;
  GRand *rand = g_rand_new_with_seed (seed);
  gfloat *x = noise (frames * channels, rand), *out;
  GstHarness *h = rk_test_harness_new ("rkanomaly");
  GstBus *bus = gst_bus_new ();
  gchar *caps = audio_caps (channels);
  const guint cut[] = { first_cut, 333, 1 };
  GArray *expect;
  GstMessage *m;
  guint got = 0;

  /* spikes, several of them in the same frame */
  x[half * channels + 2] = 9.0f;
  x[half * channels + 4] = -7.5f;
  x[half * channels + channels - 1] = 8.0f;
  x[half * channels + channels / 2] = -9.5f;
  x[(half + 1) * channels + 0] = 8.5f;  /* next frame, first block */
  x[(half + half / 2) * channels + 0] = 6.0f;
  x[(frames - 1) * channels + channels - 1] = 7.0f;
  x[10 * channels + 1] = 50.0f;       /* before min-samples: not reported */
  expect = ref_anomalies (x, channels, frames, z, 100);
  g_assert_cmpuint (expect->len, >=, 4);

  gst_element_set_bus (h->element, bus);
  g_object_set (h->element, "z-threshold", z, "min-samples", 100, NULL);
  gst_harness_set_src_caps_str (h, caps);
  out = run_element (h, x, channels, frames, cut, G_N_ELEMENTS (cut));
  g_assert_cmpmem (out, (gsize) frames * channels * 4, x,
      (gsize) frames * channels * 4);

  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (m);
    RefAnomaly *e;
    guint channel;
    guint64 offset, ts;
    gdouble value, z;

    if (!gst_structure_has_name (s, "ringkernel-anomaly")) {
      gst_message_unref (m);
      continue;
    }
    g_assert_cmpuint (got, <, expect->len);
    e = &g_array_index (expect, RefAnomaly, got++);
    g_assert_true (gst_structure_get_uint (s, "channel", &channel));
    g_assert_true (gst_structure_get_uint64 (s, "offset", &offset));
    g_assert_true (gst_structure_get_double (s, "value", &value));
    g_assert_true (gst_structure_get_double (s, "z", &z));
    g_assert_true (gst_structure_get_uint64 (s, "timestamp", &ts));
    g_assert_cmpuint (channel, ==, e->channel);
    g_assert_cmpuint (offset, ==, e->offset);
    g_assert_cmpfloat (value, ==, e->value);
    g_assert_cmpfloat_with_epsilon (z, e->z, 1e-9 * fabs (e->z));
    g_assert_cmpuint (ts, ==, gst_util_uint64_scale_int (offset, GST_SECOND,
            RATE));
    g_assert_true (gst_structure_has_field (s, "hlc-physical"));
    g_assert_true (gst_structure_has_field (s, "running-time"));
    gst_message_unref (m);
  }
  g_assert_cmpuint (got, ==, expect->len);

  /* reset: offsets start at 0 again and the warm-up applies anew */
  g_object_set (h->element, "z-threshold", 3.5, NULL);
  g_signal_emit_by_name (h->element, "reset");
  g_free (out);
  x[150 * channels + 3] = 40.0f;
  out = run_element (h, x, channels, 200, cut, 1);
  got = 0;
  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (m);
    guint64 offset;

    if (gst_structure_has_name (s, "ringkernel-anomaly")) {
      g_assert_true (gst_structure_get_uint64 (s, "offset", &offset));
      g_assert_cmpuint (offset, ==, 150);
      got++;
    }
    gst_message_unref (m);
  }
  g_assert_cmpuint (got, ==, 1);

  g_array_free (expect, TRUE);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  g_free (out);
  g_free (x);
  g_free (caps);
  g_rand_free (rand);
  rk_test_harness_teardown (h);
}

static void
test_anomaly_reference (void)
{
  check_anomaly (5, 6000, 3.5, 1000, 31);
  /* two full blocks of 16 channels and a part */
  check_anomaly (37, 6000, 3.5, 1000, 32);
  check_anomaly (16, 6000, 3.5, 1000, 33);
  /* a low threshold: many samples near it */
  check_anomaly (19, 1500, 1.55, 1000, 34);
  /* a buffer large enough for the CPU to split its blocks over the cores */
  check_anomaly (37, 16000, 3.5, 16000, 35);
}

/* A buffer that is not whole frames is refused with a clear error. */
static void
test_partial_frame_refused (void)
{
  GstHarness *h = rk_test_harness_new ("rkfir");
  GstBus *bus = gst_bus_new ();
  gchar *caps = audio_caps (3);
  GstMessage *m;
  gchar *debug = NULL;
  GError *err = NULL;

  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, caps);
  gst_harness_push (h, gst_buffer_new_allocate (NULL, 20, NULL));
  m = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  g_assert_nonnull (m);
  gst_message_parse_error (m, &err, &debug);
  g_assert_nonnull (strstr (debug, "buffer of 20 bytes is not a whole number "
          "of 3-channel F32LE frames"));
  g_error_free (err);
  g_free (debug);
  gst_message_unref (m);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  g_free (caps);
  rk_test_harness_teardown (h);
}

int
main (int argc, char **argv)
{
  rk_test_init (&argc, &argv);

  g_test_add_func ("/kernels/sensor/fir-reference-and-cuts",
      test_fir_reference_and_cuts);
  g_test_add_func ("/kernels/sensor/fir-reset", test_fir_reset);
  g_test_add_func ("/kernels/sensor/fft8-orders", test_fft8_orders);
  g_test_add_func ("/kernels/sensor/fft-one-column", test_fft_one_column);
  g_test_add_func ("/kernels/sensor/spectrum-like-stock",
      test_spectrum_like_stock);
  g_test_add_func ("/kernels/sensor/anomaly-reference",
      test_anomaly_reference);
  g_test_add_func ("/kernels/sensor/partial-frame-refused",
      test_partial_frame_refused);
  return g_test_run ();
}
