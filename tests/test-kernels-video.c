/* The video kernels on the CPU backend: rkblur, rksobel and rkbgsub
 * against independent reference code written here from the formulas in
 * their descriptors, bit for bit, plus the bgsub model's lifecycle (state
 * across PAUSED → READY → PAUSED, the reset signal, reset-on-flush) and its
 * motion messages. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "gstrkcpuisa.h"
#include "gstrkcpuvec.h"
#include "rkharness.h"
#include "rktest.h"

/* ---- frames ---- */

typedef struct
{
  guint w, h, bpp, stride;
  guint8 *data;
} Frame;

static Frame
frame_new (guint w, guint h, guint bpp)
{
  Frame f = { w, h, bpp, bpp == 1 ? GST_ROUND_UP_4 (w) : w * 4, NULL };

  f.data = g_malloc0 ((gsize) f.stride * h);
  return f;
}

static Frame
frame_random (guint w, guint h, guint bpp, GRand * rand)
{
  Frame f = frame_new (w, h, bpp);

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w * bpp; x++)
      f.data[(gsize) y * f.stride + x] = (guint8) g_rand_int_range (rand, 0,
          256);
  return f;
}

static GstBuffer *
frame_buffer (const Frame * f, guint index)
{
  GstBuffer *b = gst_buffer_new_memdup (f->data, (gsize) f->stride * f->h);

  GST_BUFFER_PTS (b) = index * 40 * GST_MSECOND;
  GST_BUFFER_DURATION (b) = 40 * GST_MSECOND;
  return b;
}

static gchar *
video_caps (const gchar * format, guint w, guint h)
{
  return g_strdup_printf ("video/x-raw,format=%s,width=%u,height=%u,"
      "framerate=25/1", format, w, h);
}

/* The output must equal @expect byte for byte, stride padding included. */
static void
assert_frame (GstBuffer * out, const Frame * expect)
{
  GstMapInfo m;

  g_assert_nonnull (out);
  gst_buffer_map (out, &m, GST_MAP_READ);
  g_assert_cmpmem (m.data, m.size, expect->data,
      (gsize) expect->stride * expect->h);
  gst_buffer_unmap (out, &m);
}

static gint
clampi (gint v, gint lo, gint hi)
{
  return v < lo ? lo : v > hi ? hi : v;
}

/* ---- blur ---- */

static Frame
ref_blur (const Frame * in, gdouble sigma)
{
  Frame out = frame_new (in->w, in->h, in->bpp);
  gint r = (gint) ceil (3.0 * sigma), wsum = 0;
  gint *W = g_new0 (gint, 2 * r + 1);
  guint16 *H = g_new0 (guint16, (gsize) in->w * in->h * in->bpp);
  gdouble total = 0.0;

  if (r == 0) {
    W[0] = 4096;
  } else {
    for (gint i = -r; i <= r; i++)
      total += exp (-(gdouble) (i * i) / (2 * sigma * sigma));
    for (gint i = -r; i <= r; i++) {
      W[i + r] = (gint) floor (4096.0 * exp (-(gdouble) (i * i) /
              (2 * sigma * sigma)) / total + 0.5);
      wsum += W[i + r];
    }
    W[r] += 4096 - wsum;
  }

  for (guint y = 0; y < in->h; y++)
    for (guint x = 0; x < in->w; x++)
      for (guint c = 0; c < in->bpp; c++) {
        guint32 s = 0;
        for (gint i = -r; i <= r; i++)
          s += W[i + r] * in->data[(gsize) y * in->stride +
              clampi (x + i, 0, in->w - 1) * in->bpp + c];
        H[((gsize) y * in->w + x) * in->bpp + c] = (guint16) ((s + 8) >> 4);
      }
  for (guint y = 0; y < in->h; y++)
    for (guint x = 0; x < in->w; x++)
      for (guint c = 0; c < in->bpp; c++) {
        guint32 s = 0;
        for (gint j = -r; j <= r; j++)
          s += W[j + r] * H[((gsize) clampi (y + j, 0, in->h - 1) * in->w +
                  x) * in->bpp + c];
        out.data[(gsize) y * out.stride + x * in->bpp + c] =
            (guint8) ((s + (1u << 19)) >> 20);
      }
  g_free (W);
  g_free (H);
  return out;
}

static void
check_blur (const gchar * format, guint w, guint h, gdouble sigma,
    guint32 seed)
{
  GstHarness *h_ = rk_test_harness_new ("rkblur");
  GRand *rand = g_rand_new_with_seed (seed);
  guint bpp = strcmp (format, "GRAY8") == 0 ? 1 : 4;
  gchar *caps = video_caps (format, w, h);

  g_object_set (h_->element, "sigma", sigma, NULL);
  gst_harness_set_src_caps_str (h_, caps);
  for (guint i = 0; i < 3; i++) {
    Frame in = frame_random (w, h, bpp, rand), expect = ref_blur (&in, sigma);
    GstBuffer *out;

    g_assert_cmpint (gst_harness_push (h_, frame_buffer (&in, i)), ==,
        GST_FLOW_OK);
    out = gst_harness_pull (h_);
    assert_frame (out, &expect);
    g_assert_cmpuint (GST_BUFFER_PTS (out), ==, i * 40 * GST_MSECOND);
    gst_buffer_unref (out);
    g_free (in.data);
    g_free (expect.data);
  }
  g_free (caps);
  g_rand_free (rand);
  rk_test_harness_teardown (h_);
}

static void
check_blurs (void)
{
  check_blur ("GRAY8", 37, 23, 1.2, 1);
  check_blur ("GRAY8", 1, 1, 2.0, 2);
  check_blur ("GRAY8", 5, 64, 0.6, 3);
  check_blur ("GRAY8", 64, 7, 3.0, 4);
  check_blur ("GRAY8", 19, 11, 0.0, 5);
  check_blur ("RGBA", 33, 17, 1.2, 6);
  check_blur ("RGBA", 3, 40, 4.5, 7);
  check_blur ("BGRx", 16, 9, 0.8, 8);
}

/* Every CPU path of rkblur: 0 the widest the CPU has (AVX-512, AVX2 or
 * generic), 1 AVX2 at most, 2 the generic code. */
#define N_BLUR_PATHS 3

static void
force_blur_path (guint path)
{
  gst_rk_cpu_force_avx2 (path == 1);
  gst_rk_cpu_force_generic (path == 2);
}

/* Every CPU path against the reference. */
static void
test_blur_bit_exact (void)
{
  for (guint path = 0; path < N_BLUR_PATHS; path++) {
    force_blur_path (path);
    check_blurs ();
  }
  force_blur_path (0);
}

/* One frame of w × h through h_ (caps renegotiated), against the
 * reference. */
static void
check_blur_frame (GstHarness * h_, const gchar * format, guint w, guint h,
    gdouble sigma, GRand * rand)
{
  guint bpp = strcmp (format, "GRAY8") == 0 ? 1 : 4;
  gchar *caps = video_caps (format, w, h);
  Frame in = frame_random (w, h, bpp, rand), expect = ref_blur (&in, sigma);
  GstBuffer *out;

  gst_harness_set_src_caps_str (h_, caps);
  g_assert_cmpint (gst_harness_push (h_, frame_buffer (&in, 0)), ==,
      GST_FLOW_OK);
  out = gst_harness_pull (h_);
  assert_frame (out, &expect);
  gst_buffer_unref (out);
  g_free (in.data);
  g_free (expect.data);
  g_free (caps);
}

/* Every small shape (widths 1..40, heights 1..10: the vector steps and
 * their tails, row pairs cut by the bottom border) and large odd ones that
 * span several strips of columns, with the rows split into grid blocks
 * that start at odd rows. */
static void
check_blur_shapes (const gchar * format, gdouble sigma, guint grid,
    gboolean all_small, guint32 seed)
{
  GstElement *e = gst_element_factory_make ("rkblur", NULL);
  GRand *rand = g_rand_new_with_seed (seed);
  GstHarness *h_;

  /* before the harness starts it: the kernel launches with its grid */
  g_object_set (e, "sigma", sigma, "grid-size", grid, NULL);
  h_ = gst_harness_new_with_element (e, "sink", "src");
  gst_object_unref (e);
  for (guint w = 1; w <= 40; w++)
    for (guint h = 1; h <= 10; h++)
      if (all_small || (w + h) % 7 == 0 || w == 1 || h == 1)
        check_blur_frame (h_, format, w, h, sigma, rand);
  check_blur_frame (h_, format, 641, 359, sigma, rand);
  check_blur_frame (h_, format, 3001, 17, sigma, rand);
  g_assert_cmpuint (rk_test_stats_grid_size (h_->element), ==, grid);
  g_rand_free (rand);
  gst_harness_teardown (h_);
}

/* Every CPU path (AVX-512 and AVX2 where the CPU has them, the generic
 * code), at grid sizes 1, 2, 3 and 7, for σ 2 (13 taps, the benchmark's),
 * σ 0.6 (5 taps), a copy (σ 0) and σ 9 (55 taps, wider than the small
 * frames). */
static void
test_blur_shapes (void)
{
  static const guint grids[] = { 1, 2, 3, 7 };

  for (guint path = 0; path < N_BLUR_PATHS; path++) {
    force_blur_path (path);
    for (guint g = 0; g < G_N_ELEMENTS (grids); g++) {
      gboolean all = grids[g] == 1 || grids[g] == 3;

      check_blur_shapes ("GRAY8", 2.0, grids[g], all, 100 + g);
      check_blur_shapes ("RGBA", 2.0, grids[g], all, 200 + g);
      check_blur_shapes ("GRAY8", 0.6, grids[g], FALSE, 300 + g);
      check_blur_shapes ("BGRx", 0.0, grids[g], FALSE, 400 + g);
      check_blur_shapes ("RGBA", 9.0, grids[g], FALSE, 500 + g);
    }
  }
  force_blur_path (0);
}

/* A σ so small that 2σ² underflows still has radius 1 and must not turn
 * the weights into NaN: the frame comes back unchanged. */
static void
test_blur_tiny_sigma (void)
{
  GstHarness *h = rk_test_harness_new ("rkblur");
  GRand *rand = g_rand_new_with_seed (12);
  Frame in = frame_random (23, 9, 1, rand);
  gchar *caps = video_caps ("GRAY8", 23, 9);
  GstBuffer *out;

  g_object_set (h->element, "sigma", 1e-200, NULL);
  gst_harness_set_src_caps_str (h, caps);
  gst_harness_push (h, frame_buffer (&in, 0));
  out = gst_harness_pull (h);
  assert_frame (out, &in);
  gst_buffer_unref (out);
  g_free (caps);
  g_free (in.data);
  g_rand_free (rand);
  rk_test_harness_teardown (h);
}

/* A flat frame stays flat: the weights sum to exactly 4096. */
static void
test_blur_flat (void)
{
  GstHarness *h = rk_test_harness_new ("rkblur");
  Frame in = frame_new (41, 13, 1), expect = frame_new (41, 13, 1);
  gchar *caps = video_caps ("GRAY8", 41, 13);
  GstBuffer *out;

  for (guint y = 0; y < 13; y++) {
    memset (in.data + y * in.stride, 200, 41);
    memset (expect.data + y * expect.stride, 200, 41);
  }
  g_object_set (h->element, "sigma", 5.0, NULL);
  gst_harness_set_src_caps_str (h, caps);
  gst_harness_push (h, frame_buffer (&in, 0));
  out = gst_harness_pull (h);
  assert_frame (out, &expect);
  gst_buffer_unref (out);
  g_free (caps);
  g_free (in.data);
  g_free (expect.data);
  rk_test_harness_teardown (h);
}

/* ---- sobel ---- */

static Frame
ref_sobel (const Frame * in, gint threshold)
{
  Frame out = frame_new (in->w, in->h, 1);

#define P(dx, dy) ((gint) in->data[(gsize) clampi ((gint) y + (dy), 0, \
      in->h - 1) * in->stride + clampi ((gint) x + (dx), 0, in->w - 1)])
  for (guint y = 0; y < in->h; y++)
    for (guint x = 0; x < in->w; x++) {
      gint gx = P (1, -1) + 2 * P (1, 0) + P (1, 1) - P (-1, -1) -
          2 * P (-1, 0) - P (-1, 1);
      gint gy = P (-1, 1) + 2 * P (0, 1) + P (1, 1) - P (-1, -1) -
          2 * P (0, -1) - P (1, -1);
      gint m = (gint) floor (sqrt ((gdouble) (gx * gx + gy * gy)));

      m = MIN (m, 255);
      if (threshold > 0)
        m = m >= threshold ? 255 : 0;
      out.data[(gsize) y * out.stride + x] = (guint8) m;
    }
#undef P
  return out;
}

static void
check_sobel (guint w, guint h, gint threshold, guint32 seed, gboolean edges)
{
  GstHarness *hs = rk_test_harness_new ("rksobel");
  GRand *rand = g_rand_new_with_seed (seed);
  gchar *caps = video_caps ("GRAY8", w, h);
  Frame in = frame_random (w, h, 1, rand), expect;
  GstBuffer *out;

  if (edges)                    /* hard steps reach every magnitude */
    for (guint y = 0; y < h; y++)
      for (guint x = 0; x < w; x++)
        in.data[y * in.stride + x] = ((x / 3 + y / 2) % 2) ? 255 :
            (guint8) (x * 7 + y);
  expect = ref_sobel (&in, threshold);
  g_object_set (hs->element, "threshold", threshold, NULL);
  gst_harness_set_src_caps_str (hs, caps);
  gst_harness_push (hs, frame_buffer (&in, 0));
  out = gst_harness_pull (hs);
  assert_frame (out, &expect);
  gst_buffer_unref (out);
  g_free (in.data);
  g_free (expect.data);
  g_free (caps);
  g_rand_free (rand);
  rk_test_harness_teardown (hs);
}

static void
check_sobels (void)
{
  check_sobel (37, 23, 0, 11, FALSE);
  check_sobel (64, 48, 0, 12, TRUE);
  check_sobel (1, 1, 0, 13, FALSE);
  check_sobel (2, 9, 0, 14, TRUE);
  check_sobel (30, 30, 100, 15, TRUE);
  check_sobel (31, 5, 1, 16, FALSE);
  /* 32-pixel vector steps and their tails, with and without threshold */
  check_sobel (1920, 24, 0, 17, FALSE);
  check_sobel (1000, 17, 0, 18, TRUE);
  check_sobel (97, 9, 64, 19, TRUE);
  check_sobel (129, 7, 200, 20, FALSE);
  check_sobel (64, 4, 255, 21, TRUE);
}

/* Both CPU paths (hand-written AVX2 where the CPU has it, and the generic
 * vector code) against the reference. */
static void
test_sobel_bit_exact (void)
{
  for (guint generic = 0; generic < 2; generic++) {
    gst_rk_cpu_force_generic (generic);
    check_sobels ();
  }
  gst_rk_cpu_force_generic (FALSE);
}

#if GST_RK_CPU_HAVE_AVX2
/* The AVX2 root of every 16-bit n. */
static GST_RK_CPU_AVX2 void
check_avx2_root (void)
{
  guint32 k = 0;

  for (guint32 n0 = 0; n0 < 65536; n0 += 16) {
    guint16 n[16], r[16];

    for (guint i = 0; i < 16; i++)
      n[i] = (guint16) (n0 + i);
    _mm256_storeu_si256 ((__m256i *) r, gst_rk_avx2_isqrt_u16
        (_mm256_loadu_si256 ((const __m256i *) n)));
    for (guint i = 0; i < 16; i++) {
      while ((k + 1) * (k + 1) <= n0 + i)
        k++;
      if (r[i] != k)
        g_error ("AVX2 isqrt (%u) = %u, not %u", n0 + i, r[i], k);
    }
  }
  g_assert_cmpuint (k, ==, 255);
}
#endif

/* The CPU's integer roots are floor (sqrt (n)): the generic one (a float
 * root and a ±1 correction) for every n below 2^22, which covers every
 * gx² + gy², and the AVX2 one for every 16-bit n. */
static void
test_sobel_root_exact (void)
{
  guint32 k = 0;

  for (guint32 n0 = 0; n0 < (1u << 22); n0 += 8) {
    GstRkV8sf n;
    GstRkV8si r;

    for (guint i = 0; i < 8; i++)
      n[i] = (gfloat) (n0 + i);
    r = gst_rk_v8sf_isqrt (n);
    for (guint i = 0; i < 8; i++) {
      while ((k + 1) * (k + 1) <= n0 + i)
        k++;
      if ((guint32) r[i] != k)
        g_error ("isqrt (%u) = %d, not %u", n0 + i, r[i], k);
    }
  }
  g_assert_cmpuint (k, ==, 2047);
#if GST_RK_CPU_HAVE_AVX2
  if (__builtin_cpu_supports ("avx2"))
    check_avx2_root ();
#endif
}

/* ---- bgsub ---- */

typedef struct
{
  guint w, h;
  guint16 *model;
  gboolean initialised, in_motion;
  guint64 frames;
} RefBgsub;

static guint8
luma (const Frame * f, guint x, guint y)
{
  const guint8 *p = f->data + (gsize) y * f->stride + x * f->bpp;

  if (f->bpp == 1)
    return p[0];
  return (guint8) (((66 * p[0] + 129 * p[1] + 25 * p[2] + 128) >> 8) + 16);
}

/* One frame through the model; returns the mask and sets *fg. */
static Frame
ref_bgsub (RefBgsub * m, const Frame * in, gdouble rate, gint threshold,
    guint64 * fg)
{
  Frame out = frame_new (in->w, in->h, 1);
  gint alpha = (gint) floor (rate * 32768.0 + 0.5);

  *fg = 0;
  for (guint y = 0; y < in->h; y++)
    for (guint x = 0; x < in->w; x++) {
      guint16 *b = &m->model[y * in->w + x];
      gint yv = luma (in, x, y), d;

      if (!m->initialised) {
        *b = (guint16) (yv * 256);
        continue;
      }
      d = yv * 256 - *b;
      if (ABS (d) > threshold * 256) {
        out.data[y * out.stride + x] = 255;
        (*fg)++;
      }
      /* floor division by 32768, written without a shift */
      *b = (guint16) (*b + (gint) floor ((gdouble) d * alpha / 32768.0));
    }
  m->initialised = TRUE;
  m->frames++;
  return out;
}

/* A scene with a moving block: background value 60, block value 200. */
static Frame
scene (guint w, guint h, guint bpp, guint block_x, guint block_w)
{
  Frame f = frame_new (w, h, bpp);

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w * bpp; x++) {
      guint px = x / bpp;
      f.data[y * f.stride + x] = (px >= block_x && px < block_x + block_w &&
          y >= h / 4 && y < h / 2) ? 200 : (guint8) (60 + (x + y) % 5);
    }
  return f;
}

typedef struct
{
  GstHarness *h;
  RefBgsub ref;
  gdouble rate;
  gint threshold;
  guint pushed;
} BgsubRun;

static void
bgsub_push (BgsubRun * r, const Frame * in, guint64 * fg)
{
  Frame expect = ref_bgsub (&r->ref, in, r->rate, r->threshold, fg);
  GstBuffer *out;

  g_assert_cmpint (gst_harness_push (r->h, frame_buffer (in, r->pushed++)),
      ==, GST_FLOW_OK);
  out = gst_harness_pull (r->h);
  assert_frame (out, &expect);
  gst_buffer_unref (out);
  g_free (expect.data);
}

/* The backend the bgsub tests ask for (NULL: the default, the CPU) */
static const gchar *test_backend;

static void
bgsub_run_init (BgsubRun * r, const gchar * format, guint w, guint h)
{
  gchar *caps = video_caps (format, w, h);

  memset (r, 0, sizeof (*r));
  if (test_backend) {
    /* set before the harness starts it */
    GstElement *e = gst_element_factory_make ("rkbgsub", NULL);

    gst_util_set_object_arg (G_OBJECT (e), "backend", test_backend);
    rk_test_set_grid_size (e);
    r->h = gst_harness_new_with_element (e, "sink", "src");
    gst_object_unref (e);
  } else {
    r->h = rk_test_harness_new ("rkbgsub");
  }
  r->rate = 0.1;
  r->threshold = 25;
  r->ref.w = w;
  r->ref.h = h;
  r->ref.model = g_new0 (guint16, w * h);
  g_object_set (r->h->element, "learning-rate", r->rate, "threshold",
      r->threshold, "motion-threshold", 0.05, NULL);
  gst_harness_set_src_caps_str (r->h, caps);
  g_free (caps);
}

static void
bgsub_run_clear (BgsubRun * r)
{
  GstStructure *stats;

  g_object_get (r->h->element, "stats", &stats, NULL);
  g_assert_cmpstr (gst_structure_get_string (stats, "backend"), ==,
      test_backend ? test_backend : "cpu");
  gst_structure_free (stats);
  g_free (r->ref.model);
  rk_test_harness_teardown (r->h);
}

static void
check_bgsub_sequence (const gchar * format, guint bpp)
{
  BgsubRun r;
  guint64 fg;

  bgsub_run_init (&r, format, 45, 32);
  for (guint i = 0; i < 12; i++) {
    Frame in = scene (45, 32, bpp, (i * 4) % 40, i < 6 ? 0 : 10);
    bgsub_push (&r, &in, &fg);
    g_free (in.data);
  }
  bgsub_run_clear (&r);
}

static void
test_bgsub_bit_exact (void)
{
  check_bgsub_sequence ("GRAY8", 1);
  check_bgsub_sequence ("RGBA", 4);
}

static GstMessage *
next_motion (GstBus * bus)
{
  GstMessage *m;

  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    if (gst_structure_has_name (gst_message_get_structure (m),
            "ringkernel-motion"))
      return m;
    gst_message_unref (m);
  }
  return NULL;
}

/* Motion messages at the crossings, with fraction, frame, times, HLC. */
static void
test_bgsub_motion_messages (void)
{
  BgsubRun r;
  GstBus *bus = gst_bus_new ();
  guint crossings = 0;
  gboolean was_active = FALSE;

  bgsub_run_init (&r, "GRAY8", 40, 40);
  gst_element_set_bus (r.h->element, bus);
  for (guint i = 0; i < 14; i++) {
    /* block of 10x10 (6.25 % of the frame) present in frames 4 to 8 */
    Frame in = scene (40, 40, 1, 5 + i, (i >= 4 && i <= 8) ? 10 : 0);
    guint64 fg;
    gboolean active;
    GstMessage *m;

    bgsub_push (&r, &in, &fg);
    g_free (in.data);
    active = fg > (guint64) floor (0.05 * 40 * 40);
    m = next_motion (bus);
    if (active != was_active) {
      const GstStructure *s;
      gboolean a;
      gdouble fraction;
      guint64 frame, ts, running, phys, pixels;

      g_assert_nonnull (m);
      s = gst_message_get_structure (m);
      g_assert_true (gst_structure_get_boolean (s, "active", &a));
      g_assert_cmpint (a, ==, active);
      g_assert_true (gst_structure_get_double (s, "fraction", &fraction));
      g_assert_cmpfloat (fraction, ==, fg / 1600.0);
      g_assert_true (gst_structure_get_uint64 (s, "frame", &frame));
      g_assert_cmpuint (frame, ==, i);
      g_assert_true (gst_structure_get_uint64 (s, "pixels", &pixels));
      g_assert_cmpuint (pixels, ==, 1600);
      g_assert_true (gst_structure_get_uint64 (s, "timestamp", &ts));
      g_assert_cmpuint (ts, ==, i * 40 * GST_MSECOND);
      g_assert_true (gst_structure_get_uint64 (s, "running-time", &running));
      g_assert_cmpuint (running, ==, ts);
      g_assert_true (gst_structure_get_uint64 (s, "hlc-physical", &phys));
      g_assert_cmpuint (phys, >, 1600000000ull * G_USEC_PER_SEC);
      g_assert_true (gst_structure_has_field (s, "hlc-logical"));
      g_assert_true (gst_structure_has_field (s, "hlc-node"));
      g_assert_true (GST_MESSAGE_SRC (m) == GST_OBJECT (r.h->element));
      gst_message_unref (m);
      crossings++;
      was_active = active;
    } else {
      g_assert_null (m);
    }
  }
  g_assert_cmpuint (crossings, ==, 2);  /* up at frame 4, down later */
  gst_element_set_bus (r.h->element, NULL);
  gst_object_unref (bus);
  bgsub_run_clear (&r);
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

/* The model survives PAUSED → READY → PAUSED; `reset` starts it afresh in
 * order with the data; so does a flush with reset-on-flush, and only then. */
static void
test_bgsub_state_and_reset (void)
{
  BgsubRun r;
  gchar *caps = video_caps ("GRAY8", 32, 24);
  Frame a = scene (32, 24, 1, 0, 0), b = scene (32, 24, 1, 8, 12);
  guint64 fg;
  GstSegment seg;

  bgsub_run_init (&r, "GRAY8", 32, 24);
  bgsub_push (&r, &a, &fg);
  bgsub_push (&r, &a, &fg);

  /* State survives the walk down to READY and back */
  g_assert_cmpint (gst_element_set_state (r.h->element, GST_STATE_READY), ==,
      GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint (gst_element_set_state (r.h->element, GST_STATE_PLAYING),
      ==, GST_STATE_CHANGE_SUCCESS);
  restart_stream (r.h, caps);
  bgsub_push (&r, &b, &fg);
  g_assert_cmpuint (fg, >, 0);  /* the block is foreground: model kept */

  /* reset: the next frame is a first frame again (all background) */
  g_signal_emit_by_name (r.h->element, "reset");
  r.ref.initialised = FALSE;
  bgsub_push (&r, &b, &fg);
  g_assert_cmpuint (fg, ==, 0);
  bgsub_push (&r, &a, &fg);
  g_assert_cmpuint (fg, >, 0);

  /* A flush without reset-on-flush keeps the model */
  gst_segment_init (&seg, GST_FORMAT_TIME);
  gst_harness_push_event (r.h, gst_event_new_flush_start ());
  gst_harness_push_event (r.h, gst_event_new_flush_stop (TRUE));
  gst_harness_push_event (r.h, gst_event_new_segment (&seg));
  bgsub_push (&r, &a, &fg);
  g_assert_cmpuint (fg, >, 0);  /* the model still holds b's block */

  /* ... and with it, starts afresh */
  g_object_set (r.h->element, "reset-on-flush", TRUE, NULL);
  gst_harness_push_event (r.h, gst_event_new_flush_start ());
  gst_harness_push_event (r.h, gst_event_new_flush_stop (TRUE));
  gst_harness_push_event (r.h, gst_event_new_segment (&seg));
  r.ref.initialised = FALSE;
  bgsub_push (&r, &a, &fg);
  g_assert_cmpuint (fg, ==, 0);
  bgsub_push (&r, &b, &fg);
  g_assert_cmpuint (fg, >, 0);

  g_free (a.data);
  g_free (b.data);
  g_free (caps);
  bgsub_run_clear (&r);
}

/* Only resettable kernels get the signal and the property. */
static void
test_reset_only_where_resettable (void)
{
  GstElement *blur = gst_element_factory_make ("rkblur", NULL);
  GstElement *bgsub = gst_element_factory_make ("rkbgsub", NULL);

  g_assert_cmpuint (g_signal_lookup ("reset", G_OBJECT_TYPE (blur)), ==, 0);
  g_assert_null (g_object_class_find_property (G_OBJECT_GET_CLASS (blur),
          "reset-on-flush"));
  g_assert_cmpuint (g_signal_lookup ("reset", G_OBJECT_TYPE (bgsub)), !=, 0);
  g_assert_nonnull (g_object_class_find_property (G_OBJECT_GET_CLASS (bgsub),
          "reset-on-flush"));
  gst_object_unref (blur);
  gst_object_unref (bgsub);
}

/* Caps the kernel refuses: a clear negotiation error, nothing processed. */
static void
test_sobel_refuses_rgba (void)
{
  GstHarness *h = rk_test_harness_new ("rksobel");
  GstBus *bus = gst_bus_new ();
  GstMessage *m;
  GError *err = NULL;

  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, "video/x-raw,format=RGBA,width=8,"
      "height=8,framerate=25/1");
  m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_assert_nonnull (m);
  gst_message_parse_error (m, &err, NULL);
  g_assert_true (g_str_has_prefix (err->message, "rksobel"));
  g_assert_nonnull (strstr (err->message, "cannot take"));
  g_error_free (err);
  gst_message_unref (m);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  rk_test_harness_teardown (h);
}

/* A bgsub test again on the Vulkan backend (lavapipe here) */
static void
test_on_vulkan (gconstpointer data)
{
  gchar *reason = NULL;

  if (!gst_rk_runtime_is_backend_available (GST_RK_BACKEND_VULKAN, &reason)) {
    g_test_skip (reason);
    g_free (reason);
    return;
  }
  test_backend = "vulkan";
  ((GTestFunc) data) ();
  test_backend = NULL;
}

int
main (int argc, char **argv)
{
  rk_test_init (&argc, &argv);

  g_test_add_func ("/kernels/video/blur-bit-exact", test_blur_bit_exact);
  g_test_add_func ("/kernels/video/blur-flat", test_blur_flat);
  g_test_add_func ("/kernels/video/blur-shapes", test_blur_shapes);
  g_test_add_func ("/kernels/video/blur-tiny-sigma", test_blur_tiny_sigma);
  g_test_add_func ("/kernels/video/sobel-bit-exact", test_sobel_bit_exact);
  g_test_add_func ("/kernels/video/sobel-root-exact", test_sobel_root_exact);
  g_test_add_func ("/kernels/video/sobel-refuses-rgba",
      test_sobel_refuses_rgba);
  g_test_add_func ("/kernels/video/bgsub-bit-exact", test_bgsub_bit_exact);
  g_test_add_func ("/kernels/video/bgsub-motion-messages",
      test_bgsub_motion_messages);
  g_test_add_func ("/kernels/video/bgsub-state-and-reset",
      test_bgsub_state_and_reset);
  g_test_add_data_func ("/kernels/video/vulkan/bgsub-bit-exact",
      test_bgsub_bit_exact, test_on_vulkan);
  g_test_add_data_func ("/kernels/video/vulkan/bgsub-motion-messages",
      test_bgsub_motion_messages, test_on_vulkan);
  g_test_add_data_func ("/kernels/video/vulkan/bgsub-state-and-reset",
      test_bgsub_state_and_reset, test_on_vulkan);
  g_test_add_func ("/kernels/video/reset-only-where-resettable",
      test_reset_only_where_resettable);
  return g_test_run ();
}
