/* The rk* elements: data path, lifecycle, runtime sharing, metas, errors. */
#include <string.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "gstrkcpuisa.h"
#include "rktest.h"

/* ---- helpers ---- */

static gchar *
stats_state (GstElement * element)
{
  GstStructure *s = NULL;
  gchar *state;

  g_object_get (element, "stats", &s, NULL);
  state = g_strdup (gst_structure_get_string (s, "state"));
  gst_structure_free (s);
  return state;
}

static guint64
stats_u64 (GstElement * element, const gchar * field)
{
  GstStructure *s = NULL;
  guint64 v = G_MAXUINT64;

  g_object_get (element, "stats", &s, NULL);
  g_assert_true (gst_structure_get_uint64 (s, field, &v));
  gst_structure_free (s);
  return v;
}

/* The runtime an element holds, asked through its own pad. */
static GstRkRuntime *
runtime_of (GstElement * element)
{
  GstPad *pad = gst_element_get_static_pad (element, "sink");
  GstQuery *q = gst_query_new_context (GST_RK_RUNTIME_CONTEXT_TYPE);
  GstRkRuntime *rt = NULL;
  GstContext *ctx;

  g_assert_true (gst_pad_query (pad, q));
  gst_query_parse_context (q, &ctx);
  g_assert_true (gst_rk_context_get_runtime (ctx, &rt));
  gst_query_unref (q);
  gst_object_unref (pad);
  return rt;
}

static GstMessage *
wait_message (GstBus * bus, GstMessageType types)
{
  GstMessage *m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, types);

  g_assert_nonnull (m);
  return m;
}

static void
assert_error_text (GstMessage * m, const gchar * prefix,
    const gchar * debug_part)
{
  GError *err = NULL;
  gchar *debug = NULL;

  g_assert_cmpint (GST_MESSAGE_TYPE (m), ==, GST_MESSAGE_ERROR);
  gst_message_parse_error (m, &err, &debug);
  if (!g_str_has_prefix (err->message, prefix))
    g_error ("error \"%s\" does not start with \"%s\"", err->message, prefix);
  if (debug_part && (debug == NULL || strstr (debug, debug_part) == NULL))
    g_error ("debug \"%s\" lacks \"%s\"", debug, debug_part);
  g_error_free (err);
  g_free (debug);
}

/* ---- data ---- */

static void
test_echo_bytes (void)
{
  GstHarness *h = gst_harness_new ("rkecho");
  guint32 kernel_id = 0;

  gst_harness_set_src_caps_str (h, "application/x-test");
  for (guint i = 0; i < 200; i++) {
    GstBuffer *in = rk_test_make_buffer (i, 1 + (i * 37) % 3000), *out;
    GstBuffer *copy = gst_buffer_copy_deep (in);
    GstRkHlcMeta *meta;
    GstMapInfo a, b;

    g_assert_cmpint (gst_harness_push (h, in), ==, GST_FLOW_OK);
    out = gst_harness_pull (h);
    g_assert_nonnull (out);
    gst_buffer_map (out, &a, GST_MAP_READ);
    gst_buffer_map (copy, &b, GST_MAP_READ);
    g_assert_cmpmem (a.data, a.size, b.data, b.size);
    gst_buffer_unmap (out, &a);
    gst_buffer_unmap (copy, &b);
    g_assert_cmpuint (GST_BUFFER_PTS (out), ==, GST_BUFFER_PTS (copy));

    meta = gst_buffer_get_rk_hlc_meta (out);
    g_assert_nonnull (meta);
    g_assert_cmpuint (meta->message_id, ==, i + 1);
    if (i == 0)
      kernel_id = meta->kernel_id;
    g_assert_cmpuint (meta->kernel_id, ==, kernel_id);
    g_assert_cmpuint (kernel_id, >=, 1);
    gst_buffer_unref (out);
    gst_buffer_unref (copy);
  }
  g_assert_cmpuint (stats_u64 (h->element, "emitted"), ==, 200);
  gst_harness_teardown (h);
}

/* An independent statement of the rkgray formula, for the comparison. */
static guint8
ref_luma (guint r, guint g, guint b)
{
  return (guint8) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
}

/* @out is rkgray's output for @in, a frame of @in_info. */
static void
assert_gray (const GstVideoInfo * in_info, GstBuffer * in, GstBuffer * out)
{
  const GstVideoFormatInfo *fi = in_info->finfo;
  guint width = GST_VIDEO_INFO_WIDTH (in_info);
  guint height = GST_VIDEO_INFO_HEIGHT (in_info);
  GstVideoInfo out_info;
  GstMapInfo im, om;

  gst_video_info_set_format (&out_info, GST_VIDEO_FORMAT_GRAY8, width,
      height);
  g_assert_cmpuint (gst_buffer_get_size (out), ==,
      GST_VIDEO_INFO_SIZE (&out_info));

  gst_buffer_map (in, &im, GST_MAP_READ);
  gst_buffer_map (out, &om, GST_MAP_READ);
  for (guint y = 0; y < height; y++) {
    const guint8 *s = im.data + GST_VIDEO_INFO_PLANE_OFFSET (in_info, 0) +
        y * GST_VIDEO_INFO_PLANE_STRIDE (in_info, 0);
    const guint8 *d = om.data + y * GST_VIDEO_INFO_PLANE_STRIDE (&out_info, 0);

    for (guint x = 0; x < width; x++) {
      guint8 expect;

      if (GST_VIDEO_FORMAT_INFO_IS_YUV (fi))
        expect = s[x];
      else
        expect = ref_luma (s[4 * x + fi->poffset[0]],
            s[4 * x + fi->poffset[1]], s[4 * x + fi->poffset[2]]);
      if (d[x] != expect)
        g_error ("%s %ux%u: pixel (%u,%u) is %u, expected %u",
            GST_VIDEO_FORMAT_INFO_NAME (fi), width, height, x, y, d[x],
            expect);
    }
    for (guint x = width; x < (guint) GST_VIDEO_INFO_PLANE_STRIDE (&out_info,
            0); x++)
      g_assert_cmpuint (d[x], ==, 0);
  }
  gst_buffer_unmap (in, &im);
  gst_buffer_unmap (out, &om);
}

static GstBuffer *
random_frame (const GstVideoInfo * info, GRand * rand)
{
  GstBuffer *in = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (info),
      NULL);
  GstMapInfo im;

  gst_buffer_map (in, &im, GST_MAP_WRITE);
  for (gsize i = 0; i < im.size; i++)
    im.data[i] = g_rand_int (rand);
  gst_buffer_unmap (in, &im);
  return in;
}

static void
check_gray (const gchar * format, guint width, guint height, guint32 seed)
{
  GstHarness *h = gst_harness_new ("rkgray");
  GstVideoInfo in_info;
  GstBuffer *in, *out;
  GRand *rand = g_rand_new_with_seed (seed);
  gchar *caps;

  gst_video_info_set_format (&in_info, gst_video_format_from_string (format),
      width, height);
  caps = g_strdup_printf ("video/x-raw,format=%s,width=%u,height=%u,"
      "framerate=30/1", format, width, height);
  gst_harness_set_src_caps_str (h, caps);
  g_free (caps);

  in = random_frame (&in_info, rand);
  g_assert_cmpint (gst_harness_push (h, gst_buffer_ref (in)), ==, GST_FLOW_OK);
  out = gst_harness_pull (h);
  assert_gray (&in_info, in, out);
  gst_buffer_unref (in);
  gst_buffer_unref (out);
  g_rand_free (rand);
  gst_harness_teardown (h);
}

static void
test_gray_bit_exact (void)
{
  static const gchar *formats[] = { "RGBA", "BGRA", "RGBx", "BGRx", "NV12",
    "I420"
  };

  /* both CPU paths: the hand-written AVX2 one where the CPU has it, and
   * the generic one */
  for (guint generic = 0; generic < 2; generic++) {
    gst_rk_cpu_force_generic (generic);
    for (guint f = 0; f < G_N_ELEMENTS (formats); f++) {
      check_gray (formats[f], 33, 17, f);
      check_gray (formats[f], 64, 48, f + 100);
      check_gray (formats[f], 1921, 3, f + 200);        /* vector body and tail */
      check_gray (formats[f], 31, 2, f + 300);  /* tail only */
      check_gray (formats[f], 1024, 64, f + 400);       /* 65536 pixels */
      /* over 1 MiB out, a tail and row padding in every row */
      check_gray (formats[f], 1022, 1030, f + 500);
    }
  }
  gst_rk_cpu_force_generic (FALSE);
}

/* ---- caps change with frames in flight ---- */

#define IN_FLIGHT 6

typedef struct
{
  GstHarness *h;
  GstBuffer *in[2 * IN_FLIGHT];
  const gchar *caps[2];
  GMutex lock;
  GCond cond;
  gboolean new_caps_in;         /* the second caps reached the element */
  guint out_then;               /* outputs that had left by then */
  guint out;                    /* outputs that left the element */
} CapsChange;

static GstPadProbeReturn
hold_outputs (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  return GST_PAD_PROBE_OK;      /* blocks while installed */
}

static GstPadProbeReturn
count_outputs (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  CapsChange *c = data;

  g_mutex_lock (&c->lock);
  c->out++;
  g_mutex_unlock (&c->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
see_caps (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  CapsChange *c = data;
  GstEvent *e = GST_PAD_PROBE_INFO_EVENT (info);
  GstCaps *caps, *second;

  if (GST_EVENT_TYPE (e) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  gst_event_parse_caps (e, &caps);
  second = gst_caps_from_string (c->caps[1]);
  if (gst_caps_is_equal (caps, second)) {
    g_mutex_lock (&c->lock);
    c->new_caps_in = TRUE;
    c->out_then = c->out;
    g_cond_broadcast (&c->cond);
    g_mutex_unlock (&c->lock);
  }
  gst_caps_unref (second);
  return GST_PAD_PROBE_OK;
}

static gpointer
feed_main (gpointer data)
{
  CapsChange *c = data;

  for (guint i = 0; i < 2 * IN_FLIGHT; i++) {
    if (i == IN_FLIGHT)
      gst_harness_set_src_caps_str (c->h, c->caps[1]);
    g_assert_cmpint (gst_harness_push (c->h, gst_buffer_ref (c->in[i])), ==,
        GST_FLOW_OK);
  }
  return NULL;
}

/* New caps while the frames sent under the old ones are still inside the
 * element (its outputs held): each frame comes out in order, made under
 * the caps it was sent with, and the output caps follow. */
static void
test_caps_change_in_flight (gconstpointer data)
{
  GstRkBackendKind backend = GPOINTER_TO_INT (data);
  CapsChange c = { NULL, };
  GstVideoInfo info[2];
  GstElement *e;
  GstPad *src, *sink;
  GstEvent *ev;
  GThread *feeder;
  GRand *rand;
  gchar *reason = NULL;
  gulong hold, count, caps_probe;
  guint gray_caps = 0;
  gint64 deadline;

  if (!rk_test_backend_usable (backend, &reason)) {
    g_test_skip (reason);
    g_free (reason);
    return;
  }
  c.caps[0] = "video/x-raw,format=RGBA,width=32,height=24,framerate=30/1";
  c.caps[1] = "video/x-raw,format=BGRx,width=45,height=17,framerate=30/1";
  gst_video_info_set_format (&info[0], GST_VIDEO_FORMAT_RGBA, 32, 24);
  gst_video_info_set_format (&info[1], GST_VIDEO_FORMAT_BGRx, 45, 17);
  rand = g_rand_new_with_seed (17);
  for (guint i = 0; i < 2 * IN_FLIGHT; i++)
    c.in[i] = random_frame (&info[i / IN_FLIGHT], rand);
  g_mutex_init (&c.lock);
  g_cond_init (&c.cond);

  /* With its outputs held and room for one, the kernel stops after a
   * frame or two: the rest of the first caps' frames wait unprocessed in
   * its input queue when the new caps come. */
  e = gst_element_factory_make ("rkgray", NULL);
  g_object_set (e, "backend", backend, "output-queue-capacity", 1,
      "input-queue-capacity", 2 * IN_FLIGHT, NULL);
  c.h = gst_harness_new_with_element (e, "sink", "src");
  src = gst_element_get_static_pad (e, "src");
  sink = gst_element_get_static_pad (e, "sink");
  count = gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, count_outputs,
      &c, NULL);
  hold = gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BLOCK |
      GST_PAD_PROBE_TYPE_BUFFER, hold_outputs, NULL, NULL);
  caps_probe = gst_pad_add_probe (sink,
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, see_caps, &c, NULL);
  gst_harness_set_src_caps_str (c.h, c.caps[0]);

  feeder = g_thread_new ("feeder", feed_main, &c);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_mutex_lock (&c.lock);
  while (!c.new_caps_in)
    g_assert_true (g_cond_wait_until (&c.cond, &c.lock, deadline));
  /* every frame of the first caps was still inside */
  g_assert_cmpuint (c.out_then, ==, 0);
  g_mutex_unlock (&c.lock);
  gst_pad_remove_probe (src, hold);

  for (guint i = 0; i < 2 * IN_FLIGHT; i++) {
    GstBuffer *out = gst_harness_pull (c.h);

    g_assert_nonnull (out);
    assert_gray (&info[i / IN_FLIGHT], c.in[i], out);
    gst_buffer_unref (out);
  }
  g_thread_join (feeder);

  /* the output caps: the first frames' GRAY8 geometry, then the new */
  while ((ev = gst_harness_try_pull_event (c.h))) {
    if (GST_EVENT_TYPE (ev) == GST_EVENT_CAPS) {
      GstCaps *caps;
      GstVideoInfo out;

      gst_event_parse_caps (ev, &caps);
      g_assert_true (gst_video_info_from_caps (&out, caps));
      g_assert_cmpint (GST_VIDEO_INFO_FORMAT (&out), ==,
          GST_VIDEO_FORMAT_GRAY8);
      g_assert_cmpuint (gray_caps, <, 2);
      g_assert_cmpint (GST_VIDEO_INFO_WIDTH (&out), ==,
          GST_VIDEO_INFO_WIDTH (&info[gray_caps]));
      g_assert_cmpint (GST_VIDEO_INFO_HEIGHT (&out), ==,
          GST_VIDEO_INFO_HEIGHT (&info[gray_caps]));
      gray_caps++;
    }
    gst_event_unref (ev);
  }
  g_assert_cmpuint (gray_caps, ==, 2);
  {
    GstStructure *stats = NULL;

    g_object_get (e, "stats", &stats, NULL);
    g_assert_cmpstr (gst_structure_get_string (stats, "backend"), ==,
        gst_rk_backend_kind_get_name (backend));
    gst_structure_free (stats);
  }

  gst_pad_remove_probe (src, count);
  gst_pad_remove_probe (sink, caps_probe);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_harness_teardown (c.h);
  gst_object_unref (e);
  for (guint i = 0; i < 2 * IN_FLIGHT; i++)
    gst_buffer_unref (c.in[i]);
  g_mutex_clear (&c.lock);
  g_cond_clear (&c.cond);
  g_rand_free (rand);
}

/* ---- negotiation ---- */

static void
test_wrong_caps (void)
{
  GstElement *gray = gst_element_factory_make ("rkgray", "gray");
  GstBus *bus = gst_bus_new ();
  GstPad *src = gst_object_ref_sink (gst_pad_new ("src", GST_PAD_SRC));
  GstPad *sink = gst_element_get_static_pad (gray, "sink");
  GstMessage *m;

  gst_element_set_bus (gray, bus);
  g_assert_cmpint (gst_pad_link (src, sink), ==, GST_PAD_LINK_OK);
  gst_pad_set_active (src, TRUE);
  g_assert_cmpint (gst_element_set_state (gray, GST_STATE_PLAYING), ==,
      GST_STATE_CHANGE_SUCCESS);

  gst_pad_push_event (src, gst_event_new_stream_start ("test"));
  /* A sticky event is stored and counts as sent; the buffer then fails. */
  {
    GstCaps *caps = gst_caps_from_string ("video/x-raw,format=YUY2,width=16,"
        "height=16,framerate=30/1");
    gst_pad_push_event (src, gst_event_new_caps (caps));
    gst_caps_unref (caps);
  }
  {
    GstSegment seg;
    gst_segment_init (&seg, GST_FORMAT_TIME);
    gst_pad_push_event (src, gst_event_new_segment (&seg));
  }
  g_assert_cmpint (gst_pad_push (src, gst_buffer_new_allocate (NULL, 512,
              NULL)), ==, GST_FLOW_NOT_NEGOTIATED);

  m = wait_message (bus, GST_MESSAGE_ERROR);
  assert_error_text (m, "gray cannot take video/x-raw, format=(string)YUY2",
      "it accepts video/x-raw, format=(string){ RGBA, BGRA, RGBx, BGRx, NV12, "
      "I420 }");
  gst_message_unref (m);

  gst_element_set_state (gray, GST_STATE_NULL);
  gst_element_set_bus (gray, NULL);     /* the bus holds messages from gray */
  gst_pad_set_active (src, FALSE);
  gst_object_unref (sink);
  gst_object_unref (src);
  gst_object_unref (bus);
  gst_object_unref (gray);
}

/* ---- ACCEPT_CAPS ---- */

typedef struct
{
  const gchar *caps;
  gboolean takes;
  const gchar *why;             /* in the error's debug text when refused */
} CapsCase;

#define NOT_IN_TEMPLATE "the kernel does not take these caps"
#define VIDEO(fmt, w, h) \
  "video/x-raw,format=" fmt ",width=" #w ",height=" #h ",framerate=30/1"
#define AUDIO(fmt, layout, ch) "audio/x-raw,format=" fmt ",layout=" layout \
  ",rate=48000,channels=" #ch

static const CapsCase echo_caps[] = {
  /* ANY and no configure function: nothing of any type is refused */
  {"application/x-test", TRUE},
  {VIDEO ("YUY2", 16, 16), TRUE},
  {"application/x-ringkernel", TRUE},
  {NULL}
};

static const CapsCase gray_caps[] = {
  {VIDEO ("RGBA", 64, 48), TRUE},
  {VIDEO ("I420", 33, 17), TRUE},
  {VIDEO ("YUY2", 64, 48), FALSE, NOT_IN_TEMPLATE},
  {VIDEO ("GRAY8", 64, 48), FALSE, NOT_IN_TEMPLATE},
  /* a CAPS event must fill in every field of the template */
  {"video/x-raw,format=RGBA,width=64,height=48", FALSE, NOT_IN_TEMPLATE},
  /* within the template, refused by the configure function */
  {VIDEO ("RGBA", 65536, 65536), FALSE, "frame is too large"},
  {"application/x-ringkernel", FALSE, NOT_IN_TEMPLATE},
  {NULL}
};

static const CapsCase blur_caps[] = {
  {VIDEO ("GRAY8", 64, 48), TRUE},
  {VIDEO ("BGRx", 33, 17), TRUE},
  {VIDEO ("NV12", 64, 48), FALSE, NOT_IN_TEMPLATE},
  {VIDEO ("GRAY8", 65536, 65536), FALSE, "frame is too large"},
  {NULL}
};

static const CapsCase sobel_caps[] = {
  {VIDEO ("GRAY8", 64, 48), TRUE},
  {VIDEO ("RGBA", 64, 48), FALSE, NOT_IN_TEMPLATE},
  {VIDEO ("GRAY8", 65536, 65536), FALSE, "frame is too large"},
  {NULL}
};

static const CapsCase bgsub_caps[] = {
  {VIDEO ("RGBA", 64, 48), TRUE},
  {VIDEO ("GRAY8", 64, 48), TRUE},
  {VIDEO ("I420", 64, 48), FALSE, NOT_IN_TEMPLATE},
  {VIDEO ("RGBx", 65536, 65536), FALSE, "frame is too large"},
  {NULL}
};

/* rkfir, rkspectrum and rkanomaly share their caps */
static const CapsCase sensor_caps[] = {
  {AUDIO ("F32LE", "interleaved", 2), TRUE},
  {AUDIO ("F32LE", "interleaved", 1024), TRUE},
  {AUDIO ("S16LE", "interleaved", 2), FALSE, NOT_IN_TEMPLATE},
  {AUDIO ("F32LE", "non-interleaved", 2), FALSE, NOT_IN_TEMPLATE},
  {AUDIO ("F32LE", "interleaved", 1025), FALSE, NOT_IN_TEMPLATE},
  {NULL}
};

static gboolean
accepts (GstElement * element, const gchar * pad_name, const gchar * str)
{
  GstPad *pad = gst_element_get_static_pad (element, pad_name);
  GstCaps *caps = gst_caps_from_string (str);
  GstQuery *q = gst_query_new_accept_caps (caps);
  gboolean res = FALSE;

  g_assert_true (gst_pad_query (pad, q));
  gst_query_parse_accept_caps_result (q, &res);
  gst_query_unref (q);
  gst_caps_unref (caps);
  gst_object_unref (pad);
  return res;
}

/* The query answers what the CAPS event then does: the event is taken, or
 * refused with the element's negotiation error. The query posts nothing. */
static void
check_accept_caps (const gchar * factory, const CapsCase * cases)
{
  GstHarness *h = gst_harness_new (factory);
  GstPad *sink = gst_element_get_static_pad (h->element, "sink");
  GstBus *bus = gst_bus_new ();
  gchar *prefix = g_strdup_printf ("%s cannot take ",
      GST_ELEMENT_NAME (h->element));

  gst_element_set_bus (h->element, bus);
  for (const CapsCase * c = cases; c->caps; c++) {
    GstCaps *caps = gst_caps_from_string (c->caps), *current;
    gboolean answer = accepts (h->element, "sink", c->caps), taken;
    GstMessage *m;

    if (answer != c->takes)
      g_error ("%s: ACCEPT_CAPS %s answered %d", factory, c->caps, answer);
    m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR | GST_MESSAGE_WARNING);
    if (m)
      g_error ("%s: query %s posted a %s message", factory, c->caps,
          GST_MESSAGE_TYPE_NAME (m));

    taken = gst_pad_send_event (sink, gst_event_new_caps (caps));
    if (taken != c->takes)
      g_error ("%s: CAPS %s returned %d", factory, c->caps, taken);
    m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    if (c->takes) {
      g_assert_null (m);
      current = gst_pad_get_current_caps (sink);
      g_assert_true (gst_caps_is_equal (current, caps));
      gst_caps_unref (current);
    } else {
      g_assert_nonnull (m);
      assert_error_text (m, prefix, c->why);
      gst_message_unref (m);
      current = gst_pad_get_current_caps (sink);
      g_assert_false (current && gst_caps_is_equal (current, caps));
      gst_clear_caps (&current);
    }
    gst_caps_unref (caps);
  }

  gst_element_set_bus (h->element, NULL);
  g_free (prefix);
  gst_object_unref (bus);
  gst_object_unref (sink);
  gst_harness_teardown (h);
}

static void
test_accept_caps (void)
{
  GstElement *gray;

  check_accept_caps ("rkecho", echo_caps);
  check_accept_caps ("rkgray", gray_caps);
  check_accept_caps ("rkblur", blur_caps);
  check_accept_caps ("rksobel", sobel_caps);
  check_accept_caps ("rkbgsub", bgsub_caps);
  check_accept_caps ("rkfir", sensor_caps);
  check_accept_caps ("rkspectrum", sensor_caps);
  check_accept_caps ("rkanomaly", sensor_caps);

  /* Answered before the kernel is launched, the configure function too */
  gray = gst_object_ref_sink (gst_element_factory_make ("rkgray", NULL));
  g_assert_true (accepts (gray, "sink", VIDEO ("BGRA", 64, 48)));
  g_assert_false (accepts (gray, "sink", VIDEO ("YUY2", 64, 48)));
  g_assert_false (accepts (gray, "sink", VIDEO ("BGRA", 65536, 65536)));
  /* The src pad: within what it can give */
  g_assert_true (accepts (gray, "src", VIDEO ("GRAY8", 64, 48)));
  g_assert_false (accepts (gray, "src", VIDEO ("RGBA", 64, 48)));
  gst_object_unref (gray);
}

/* ---- lifecycle ---- */

static GstRkKernel *
kernel_of (GstElement * element)
{
  GstRkRuntime *rt = runtime_of (element);
  GstRkKernel *k = gst_rk_runtime_get_kernel (rt, GST_ELEMENT_NAME (element));

  gst_object_unref (rt);
  g_assert_nonnull (k);
  return k;
}

static void
set_state_check (GstElement * element, GstState state,
    const gchar * kernel_state)
{
  gchar *s;

  g_assert_cmpint (gst_element_set_state (element, state), !=,
      GST_STATE_CHANGE_FAILURE);
  g_assert_cmpint (gst_element_get_state (element, NULL, NULL,
          5 * GST_SECOND), ==, GST_STATE_CHANGE_SUCCESS);
  s = stats_state (element);
  g_assert_cmpstr (s, ==, kernel_state);
  g_free (s);
}

static guint64
push_pull_count (GstHarness * h, guint64 v)
{
  GstBuffer *out;
  guint64 count;

  g_assert_cmpint (gst_harness_push (h, rk_test_make_buffer (v, 8)), ==,
      GST_FLOW_OK);
  out = gst_harness_pull (h);
  count = rk_test_read_u64 (out);
  gst_buffer_unref (out);
  return count;
}

/* Deactivating pads drops their sticky events: send a new stream. */
static void
restart_stream (GstHarness * h, const gchar * id)
{
  GstSegment seg;

  gst_segment_init (&seg, GST_FORMAT_TIME);
  gst_harness_push_event (h, gst_event_new_stream_start (id));
  {
    GstCaps *caps = gst_caps_from_string ("application/x-test");
    gst_harness_push_event (h, gst_event_new_caps (caps));
    gst_caps_unref (caps);
  }
  gst_harness_push_event (h, gst_event_new_segment (&seg));
}

static void
test_lifecycle_walk (void)
{
  GstHarness *h = gst_harness_new ("rkcounter");
  GstElement *e = h->element;
  GstRkKernel *k;

  gst_harness_set_src_caps_str (h, "application/x-test");
  g_assert_cmpuint (push_pull_count (h, 0), ==, 1);
  k = kernel_of (e);

  set_state_check (e, GST_STATE_PAUSED, "active");
  set_state_check (e, GST_STATE_READY, "deactivated");
  g_assert_cmpint (gst_rk_kernel_get_state (k), ==,
      GST_RK_KERNEL_STATE_DEACTIVATED);
  set_state_check (e, GST_STATE_PAUSED, "active");
  set_state_check (e, GST_STATE_PLAYING, "active");
  /* Device state survived PAUSED → READY → PAUSED: the count goes on */
  restart_stream (h, "again");
  g_assert_cmpuint (push_pull_count (h, 1), ==, 2);
  set_state_check (e, GST_STATE_PAUSED, "active");
  set_state_check (e, GST_STATE_READY, "deactivated");
  set_state_check (e, GST_STATE_PAUSED, "active");
  set_state_check (e, GST_STATE_READY, "deactivated");
  set_state_check (e, GST_STATE_NULL, "created");
  g_assert_cmpint (gst_rk_kernel_get_state (k), ==,
      GST_RK_KERNEL_STATE_TERMINATED);
  gst_object_unref (k);

  /* NULL → READY launches afresh: new kernel, new state */
  set_state_check (e, GST_STATE_READY, "launched");
  set_state_check (e, GST_STATE_PLAYING, "active");
  restart_stream (h, "fresh");
  g_assert_cmpuint (push_pull_count (h, 2), ==, 1);
  gst_harness_teardown (h);
}

/* ---- runtime sharing ---- */

static void
test_shared_runtime (void)
{
  GstElement *p = gst_parse_launch ("fakesrc num-buffers=1 ! rkecho name=a ! "
      "rkcounter name=b ! fakesink", NULL);
  GstElement *a = gst_bin_get_by_name (GST_BIN (p), "a");
  GstElement *b = gst_bin_get_by_name (GST_BIN (p), "b");
  GstRkRuntime *ra, *rb;
  GstStructure *s = NULL;
  guint64 launched = 0;

  g_assert_cmpint (gst_element_set_state (p, GST_STATE_READY), ==,
      GST_STATE_CHANGE_SUCCESS);
  ra = runtime_of (a);
  rb = runtime_of (b);
  g_assert_true (ra == rb);
  g_object_get (a, "runtime-stats", &s, NULL);
  g_assert_true (gst_structure_get_uint64 (s, "total-launched", &launched));
  g_assert_cmpuint (launched, ==, 2);
  gst_structure_free (s);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (ra);
  gst_object_unref (rb);
  gst_object_unref (a);
  gst_object_unref (b);
  gst_object_unref (p);
}

static void
test_application_runtime (void)
{
  GstRkRuntime *mine = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  GstContext *ctx = gst_rk_context_new (mine);
  GstElement *p = gst_parse_launch ("fakesrc num-buffers=1 ! rkecho name=a ! "
      "fakesink", NULL);
  GstElement *a = gst_bin_get_by_name (GST_BIN (p), "a");
  GstRkRuntime *ra;
  GstRkKernel *k;

  gst_element_set_context (p, ctx);
  gst_context_unref (ctx);
  g_assert_cmpint (gst_element_set_state (p, GST_STATE_READY), ==,
      GST_STATE_CHANGE_SUCCESS);
  ra = runtime_of (a);
  g_assert_true (ra == mine);
  k = gst_rk_runtime_get_kernel (mine, "a");
  g_assert_nonnull (k);
  gst_object_unref (k);

  gst_element_set_state (p, GST_STATE_NULL);
  g_assert_null (gst_rk_runtime_get_kernel (mine, "a"));
  gst_object_unref (ra);
  gst_object_unref (a);
  gst_object_unref (p);
  gst_object_unref (mine);
}

/* ---- HLC ---- */

/* The probe appends from the streaming thread while the test reads: a
 * pointer into the array would dangle when an append reallocates it, so
 * stamps are copied out under the lock. */
typedef struct
{
  GMutex lock;
  GArray *stamps;
} StampLog;

static GstPadProbeReturn
log_stamp (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  StampLog *log = data;
  GstRkHlcMeta *m = gst_buffer_get_rk_hlc_meta (GST_PAD_PROBE_INFO_BUFFER
      (info));

  g_assert_nonnull (m);
  g_mutex_lock (&log->lock);
  g_array_append_val (log->stamps, m->stamp);
  g_mutex_unlock (&log->lock);
  return GST_PAD_PROBE_OK;
}

static GstRkHlcTimestamp
stamp_at (StampLog * log, guint i)
{
  GstRkHlcTimestamp t;

  g_mutex_lock (&log->lock);
  g_assert_cmpuint (i, <, log->stamps->len);
  t = g_array_index (log->stamps, GstRkHlcTimestamp, i);
  g_mutex_unlock (&log->lock);
  return t;
}

static void
test_hlc_chain (void)
{
  GstHarness *h = gst_harness_new_parse ("rkecho name=first ! rkcounter");
  GstElement *first = gst_bin_get_by_name (GST_BIN (h->element), "first");
  GstPad *mid = gst_element_get_static_pad (first, "src");
  StampLog log;
  GstRkHlcTimestamp prev = { 0 };

  g_mutex_init (&log.lock);
  log.stamps = g_array_new (FALSE, FALSE, sizeof (GstRkHlcTimestamp));
  gst_pad_add_probe (mid, GST_PAD_PROBE_TYPE_BUFFER, log_stamp, &log, NULL);
  gst_harness_set_src_caps_str (h, "application/x-test");
  for (guint i = 0; i < 300; i++)
    g_assert_cmpint (gst_harness_push (h, rk_test_make_buffer (i, 16)), ==,
        GST_FLOW_OK);
  for (guint i = 0; i < 300; i++) {
    GstBuffer *out = gst_harness_pull (h);
    GstRkHlcMeta *m = gst_buffer_get_rk_hlc_meta (out);
    GstRkHlcTimestamp upstream = stamp_at (&log, i);

    g_assert_nonnull (m);
    g_assert_cmpuint (rk_test_read_u64 (out), ==, i + 1);
    /* after the first kernel's stamp on the same buffer ... */
    g_assert_cmpint (gst_rk_hlc_timestamp_compare (&m->stamp, &upstream), >,
        0);
    /* ... and after the previous output */
    g_assert_cmpint (gst_rk_hlc_timestamp_compare (&m->stamp, &prev), >, 0);
    prev = m->stamp;
    gst_buffer_unref (out);
  }
  gst_harness_teardown (h);
  g_array_free (log.stamps, TRUE);
  g_mutex_clear (&log.lock);
  gst_object_unref (mid);
  gst_object_unref (first);
}

/* ---- events ---- */

typedef struct
{
  guint buffers;
  guint buffers_at_eos;
  gboolean eos;
} Order;

static GstPadProbeReturn
log_order (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Order *o = data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    g_assert_false (o->eos);
    o->buffers++;
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_EOS) {
    o->eos = TRUE;
    o->buffers_at_eos = o->buffers;
  }
  return GST_PAD_PROBE_OK;
}

static void
test_eos_after_drain (void)
{
  GstHarness *h = gst_harness_new ("rkcounter");
  GstPad *src = gst_element_get_static_pad (h->element, "src");
  Order o = { 0 };
  GstEvent *ev;

  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, log_order, &o, NULL);
  gst_harness_set_src_caps_str (h, "application/x-test");
  for (guint i = 0; i < 500; i++)
    gst_harness_push (h, rk_test_make_buffer (i, 8));
  g_assert_true (gst_harness_push_event (h, gst_event_new_eos ()));
  /* Buffers after EOS are refused */
  g_assert_cmpint (gst_harness_push (h, rk_test_make_buffer (9, 8)), ==,
      GST_FLOW_EOS);

  while ((ev = gst_harness_pull_event (h))) {
    gboolean is_eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;
    gst_event_unref (ev);
    if (is_eos)
      break;
  }
  g_assert_true (o.eos);
  g_assert_cmpuint (o.buffers_at_eos, ==, 500);
  g_assert_cmpuint (gst_harness_buffers_received (h), ==, 500);
  gst_object_unref (src);
  gst_harness_teardown (h);
}

static void
test_eos_without_data (void)
{
  GstHarness *h = gst_harness_new ("rkecho");
  GstEvent *ev;
  gboolean eos = FALSE;

  gst_harness_set_src_caps_str (h, "application/x-test");
  g_assert_true (gst_harness_push_event (h, gst_event_new_eos ()));
  while (!eos && (ev = gst_harness_pull_event (h))) {
    eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;
    gst_event_unref (ev);
  }
  g_assert_true (eos);
  g_assert_cmpuint (gst_harness_buffers_received (h), ==, 0);
  gst_harness_teardown (h);
}

static GstPadProbeReturn
block_buffers (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  return GST_PAD_PROBE_OK;
}

/* FLUSH_START/STOP empties the queues and keeps the kernel and its state:
 * outputs are held back by a blocking probe, then flushed. */
static void
test_flush (void)
{
  GstHarness *h = gst_harness_new ("rkcounter");
  GstPad *src = gst_element_get_static_pad (h->element, "src");
  guint64 received, emitted, flushed, processed, count;
  GstRkKernel *before, *after;
  gulong probe;

  g_object_set (h->element, "input-queue-capacity", 64,
      "output-queue-capacity", 64, NULL);
  gst_harness_set_src_caps_str (h, "application/x-test");
  before = kernel_of (h->element);
  probe = gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BLOCK |
      GST_PAD_PROBE_TYPE_BUFFER, block_buffers, NULL, NULL);
  for (guint i = 0; i < 40; i++)
    g_assert_cmpint (gst_harness_push (h, rk_test_make_buffer (i, 8)), ==,
        GST_FLOW_OK);

  g_assert_true (gst_harness_push_event (h, gst_event_new_flush_start ()));
  gst_pad_remove_probe (src, probe);
  g_assert_true (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  {
    GstSegment seg;
    gst_segment_init (&seg, GST_FORMAT_TIME);
    gst_harness_push_event (h, gst_event_new_segment (&seg));
  }

  /* Drop whatever got out before the flush */
  while (gst_harness_buffers_in_queue (h))
    gst_buffer_unref (gst_harness_pull (h));

  count = push_pull_count (h, 100);
  after = kernel_of (h->element);
  g_assert_true (before == after);      /* same kernel */
  processed = stats_u64 (h->element, "processed");
  g_assert_cmpuint (count, ==, processed);      /* state kept */
  received = stats_u64 (h->element, "received");
  emitted = stats_u64 (h->element, "emitted");
  flushed = stats_u64 (h->element, "flushed");
  g_assert_cmpuint (received, ==, 41);
  g_assert_cmpuint (received, ==, emitted + flushed);
  g_assert_cmpuint (flushed, >, 0);
  gst_object_unref (before);
  gst_object_unref (after);
  gst_object_unref (src);
  gst_harness_teardown (h);
}

/* Elements go down src pad first: a flush-stop can reach the sink pad
 * after the src pad went inactive. It must not start the src task then;
 * one started there outlived the deactivation and, after the next
 * activation, paused itself for good on a stale FLUSHING (a soak hang
 * under load). */
static void
test_flush_stop_inactive_src (void)
{
  GstHarness *h = gst_harness_new ("rkcounter");
  GstPad *src = gst_element_get_static_pad (h->element, "src");
  GstTask *task;

  gst_harness_set_src_caps_str (h, "application/x-test");
  g_assert_cmpuint (push_pull_count (h, 1), ==, 1);

  g_assert_true (gst_pad_set_active (src, FALSE));
  g_assert_true (gst_harness_push_event (h, gst_event_new_flush_start ()));
  g_assert_true (gst_harness_push_event (h,
          gst_event_new_flush_stop (TRUE)));
  GST_OBJECT_LOCK (src);
  task = GST_PAD_TASK (src);
  g_assert_true (task == NULL ||
      gst_task_get_state (task) != GST_TASK_STARTED);
  GST_OBJECT_UNLOCK (src);

  /* Active again, it streams on with the same kernel state. Downstream
   * got the flush-start (an inactive pad still sends it) but not the
   * flush-stop: it goes through READY too in a real state change. */
  g_assert_true (gst_pad_set_active (src, TRUE));
  g_assert_true (gst_pad_set_active (h->sinkpad, FALSE));
  g_assert_true (gst_pad_set_active (h->sinkpad, TRUE));
  restart_stream (h, "again");
  g_assert_cmpuint (push_pull_count (h, 2), ==, 2);
  gst_object_unref (src);
  gst_harness_teardown (h);
}

static void
test_latency_query (void)
{
  GstHarness *h = gst_harness_new ("rkecho");
  GstQuery *q = gst_query_new_latency ();
  GstPad *src = gst_element_get_static_pad (h->element, "src");
  gboolean live;
  GstClockTime min, max;

  gst_harness_set_upstream_latency (h, 20 * GST_MSECOND);
  g_assert_true (gst_pad_query (src, q));
  gst_query_parse_latency (q, &live, &min, &max);
  g_assert_true (live);
  g_assert_cmpuint (min, ==, 20 * GST_MSECOND);
  g_assert_cmpuint (max, ==, GST_CLOCK_TIME_NONE);
  gst_query_unref (q);
  gst_object_unref (src);
  gst_harness_teardown (h);
}

/* ---- no loss ---- */

#define N_NO_LOSS 100000

typedef struct
{
  guint64 n;
  guint64 next_offset;
  gboolean ok;
} Sink;

static void
slow_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad, gpointer data)
{
  Sink *s = data;
  GstRkHlcMeta *m = gst_buffer_get_rk_hlc_meta (buf);

  /* once, in order: fakesrc numbers buffers by byte offset, the kernel by
   * message id */
  if (GST_BUFFER_OFFSET (buf) != s->next_offset || m == NULL ||
      m->message_id != s->n + 1)
    s->ok = FALSE;
  s->next_offset += gst_buffer_get_size (buf);
  s->n++;
  if (s->n % 64 == 0)
    g_usleep (1000);            /* deliberately slow: the queues fill */
}

static void
test_no_loss_slow_sink (void)
{
  GstElement *p = gst_parse_launch ("fakesrc num-buffers=100000 "
      "sizetype=fixed sizemax=16 ! rkecho name=e input-queue-capacity=16 "
      "output-queue-capacity=16 ! fakesink name=s signal-handoffs=true "
      "sync=false", NULL);
  GstElement *e = gst_bin_get_by_name (GST_BIN (p), "e");
  GstElement *s = gst_bin_get_by_name (GST_BIN (p), "s");
  GstBus *bus = gst_element_get_bus (p);
  Sink sink = { 0, 0, TRUE };
  GstMessage *m;

  g_signal_connect (s, "handoff", G_CALLBACK (slow_handoff), &sink);
  gst_element_set_state (p, GST_STATE_PLAYING);
  m = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (m);
  g_assert_cmpint (GST_MESSAGE_TYPE (m), ==, GST_MESSAGE_EOS);
  gst_message_unref (m);

  g_assert_true (sink.ok);
  g_assert_cmpuint (sink.n, ==, N_NO_LOSS);
  g_assert_cmpuint (stats_u64 (e, "received"), ==, N_NO_LOSS);
  g_assert_cmpuint (stats_u64 (e, "processed"), ==, N_NO_LOSS);
  g_assert_cmpuint (stats_u64 (e, "emitted"), ==, N_NO_LOSS);
  g_assert_cmpuint (stats_u64 (e, "flushed"), ==, 0);
  g_assert_cmpuint (stats_u64 (e, "dropped"), ==, 0);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
  gst_object_unref (s);
  gst_object_unref (p);
}

/* A downstream that stops taking data gets no more: fakesink num-buffers=2
 * renders its second buffer and answers EOS; the element pushes nothing
 * after it and counts exactly what was rendered as emitted. */
static void
test_downstream_eos (void)
{
  GstElement *p = gst_parse_launch ("fakesrc num-buffers=50 sizetype=fixed "
      "sizemax=16 ! rkecho name=e ! fakesink name=s num-buffers=2 "
      "signal-handoffs=true sync=false", NULL);
  GstElement *e = gst_bin_get_by_name (GST_BIN (p), "e");
  GstElement *s = gst_bin_get_by_name (GST_BIN (p), "s");
  guint64 rendered = 0;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_assert_cmpint (gst_element_set_state (p, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  while (stats_u64 (e, "emitted") < 2 && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_usleep (50000);             /* room for a push there should not be */
  {
    GstStructure *st = NULL;

    g_object_get (s, "stats", &st, NULL);
    g_assert_true (gst_structure_get_uint64 (st, "rendered", &rendered));
    gst_structure_free (st);
  }
  /* READY discards what is still queued, counted as flushed. */
  gst_element_set_state (p, GST_STATE_READY);
  g_assert_cmpuint (rendered, ==, 2);
  g_assert_cmpuint (stats_u64 (e, "emitted"), ==, 2);
  g_assert_cmpuint (stats_u64 (e, "received"), ==,
      stats_u64 (e, "emitted") + stats_u64 (e, "flushed"));
  g_assert_cmpuint (stats_u64 (e, "dropped"), ==, 0);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (e);
  gst_object_unref (s);
  gst_object_unref (p);
}

/* ---- errors and messages ---- */

static void
expect_ready_failure (const gchar * launch, const gchar * prefix)
{
  GstElement *p = gst_parse_launch (launch, NULL);
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *m;

  g_assert_cmpint (gst_element_set_state (p, GST_STATE_READY), ==,
      GST_STATE_CHANGE_FAILURE);
  m = wait_message (bus, GST_MESSAGE_ERROR);
  assert_error_text (m, prefix, NULL);
  gst_message_unref (m);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
}

static void
test_missing_backend (void)
{
  static const struct
  {
    GstRkBackendKind kind;
    const gchar *name;
  } gpus[] = { {GST_RK_BACKEND_CUDA, "cuda"}, {GST_RK_BACKEND_VULKAN,
  "vulkan"} };
  guint tested = 0;

  for (guint i = 0; i < G_N_ELEMENTS (gpus); i++) {
    gchar *reason = NULL, *launch, *prefix;

    if (gst_rk_runtime_is_backend_available (gpus[i].kind, &reason))
      continue;
    launch = g_strdup_printf ("fakesrc ! rkecho backend=%s ! fakesink",
        gpus[i].name);
    prefix = g_strdup_printf ("Cannot launch kernel echo: %s", reason);
    expect_ready_failure (launch, prefix);
    g_free (launch);
    g_free (prefix);
    g_free (reason);
    tested++;
  }
  if (tested == 0)
    g_test_skip ("every GPU backend is present here");
}

static void
test_bad_capacity (void)
{
  expect_ready_failure ("fakesrc ! rkecho name=e input-queue-capacity=0 ! "
      "fakesink", "Invalid settings for e: input-queue-capacity is 0: a queue needs "
      "at least one slot");
}

/* Frame kernels default to short queues (a slot may hold a frame), message
 * actors to deep ones; a value set on the element still wins. */
static void
test_queue_defaults (void)
{
  GstElement *gray = gst_element_factory_make ("rkgray", NULL);
  GstElement *echo = gst_element_factory_make ("rkecho", NULL);
  guint in = 0, out = 0;

  g_object_get (gray, "input-queue-capacity", &in, "output-queue-capacity",
      &out, NULL);
  g_assert_cmpuint (in, ==, 8);
  g_assert_cmpuint (out, ==, 8);
  g_object_get (echo, "input-queue-capacity", &in, "output-queue-capacity",
      &out, NULL);
  g_assert_cmpuint (in, ==, GST_RK_DEFAULT_QUEUE_CAPACITY);
  g_assert_cmpuint (out, ==, GST_RK_DEFAULT_QUEUE_CAPACITY);
  g_object_set (gray, "input-queue-capacity", 64, NULL);
  g_object_get (gray, "input-queue-capacity", &in, NULL);
  g_assert_cmpuint (in, ==, 64);
  gst_object_unref (gray);
  gst_object_unref (echo);
}

static void
test_info_and_stats_messages (void)
{
  GstElement *p = gst_parse_launch ("fakesrc num-buffers=-1 "
      "sizetype=fixed sizemax=8 ! rkecho stats-interval=20000000 ! "
      "fakesink sync=false", NULL);
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *m;
  GError *err = NULL;
  gchar *debug = NULL;
  const GstStructure *s;
  guint64 received = 0;

  gst_element_set_state (p, GST_STATE_PLAYING);
  /* auto says which backend it chose */
  m = wait_message (bus, GST_MESSAGE_INFO);
  gst_message_parse_info (m, &err, &debug);
  g_assert_true (g_str_has_prefix (err->message, "backend=auto chose "));
  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (m);

  /* The counts only grow, a message is processed after it is received
   * and answered after it is processed, and the stream gets through: a
   * later report counts more than an earlier one that counted some. */
  for (guint n = 0, first = 0; first == 0 || received <= first; n++) {
    guint64 processed, emitted;

    g_assert_cmpuint (n, <, 1000);
    m = wait_message (bus, GST_MESSAGE_ELEMENT);
    s = gst_message_get_structure (m);
    if (!gst_structure_has_name (s, "ringkernel-stats")) {
      gst_message_unref (m);
      continue;
    }
    g_assert_true (gst_structure_get_uint64 (s, "received", &received));
    g_assert_true (gst_structure_get_uint64 (s, "processed", &processed));
    g_assert_true (gst_structure_get_uint64 (s, "emitted", &emitted));
    g_assert_cmpuint (processed, <=, received);
    g_assert_cmpuint (emitted, <=, processed);
    g_assert_cmpuint (received, >=, first);
    if (first == 0)
      first = received;
    g_assert_nonnull (gst_structure_get_string (s, "backend"));
    g_assert_true (gst_structure_has_field (s, "latency-p99"));
    gst_message_unref (m);
  }

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
}

/* ---- Events in order with the outputs ---- */

/* What leaves an element's src pad, in order: buffers (their first 8
 * bytes) and test markers (-1 - k). */
typedef struct
{
  GMutex lock;
  GArray *log;                  /* gint64 */
} ItemLog;

static GstPadProbeReturn
log_items (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  ItemLog *l = data;
  gint64 v;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    v = (gint64) rk_test_read_u64 (GST_PAD_PROBE_INFO_BUFFER (info));
  } else {
    GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);
    const GstStructure *st = gst_event_get_structure (ev);
    gint k;

    if (GST_EVENT_TYPE (ev) != GST_EVENT_CUSTOM_DOWNSTREAM ||
        !gst_structure_get_int (st, "k", &k))
      return GST_PAD_PROBE_OK;
    v = -1 - k;
  }
  g_mutex_lock (&l->lock);
  g_array_append_val (l->log, v);
  g_mutex_unlock (&l->lock);
  return GST_PAD_PROBE_OK;
}

/* Takes @element. Pushes bursts of buffers (0, 1, 5 and 37), each
 * followed by a serialized custom event, and checks that each event left
 * after exactly the outputs of the buffers before it: @per_message outputs
 * each, carrying their input's number (@numbered) or only counted. */
static void
check_event_order (GstElement * element, guint per_message,
    gboolean numbered)
{
  static const guint bursts[] = { 0, 1, 5, 37, 0, 2 };
  GstHarness *h = gst_harness_new_with_element (element, "sink", "src");
  GstPad *src = gst_element_get_static_pad (element, "src");
  ItemLog l;
  GstEvent *ev;
  guint64 sent = 0;
  guint64 at = 0;

  g_mutex_init (&l.lock);
  l.log = g_array_new (FALSE, FALSE, sizeof (gint64));
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, log_items, &l, NULL);
  gst_harness_set_src_caps_str (h, "application/x-test");
  for (guint k = 0; k < G_N_ELEMENTS (bursts); k++) {
    for (guint i = 0; i < bursts[k]; i++)
      g_assert_cmpint (gst_harness_push (h, rk_test_make_buffer (sent++,
                  16)), ==, GST_FLOW_OK);
    g_assert_true (gst_harness_push_event (h,
            gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
                gst_structure_new ("rk-test-marker", "k", G_TYPE_INT, k,
                    NULL))));
  }
  g_assert_true (gst_harness_push_event (h, gst_event_new_eos ()));
  while ((ev = gst_harness_pull_event (h))) {
    gboolean is_eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

    gst_event_unref (ev);
    if (is_eos)
      break;
  }

  /* Walk the log: before marker k come the outputs of the inputs sent
   * before it, nothing else. */
  g_mutex_lock (&l.lock);
  sent = 0;
  for (guint k = 0; k < G_N_ELEMENTS (bursts); k++) {
    for (guint i = 0; i < bursts[k]; i++, sent++) {
      for (guint o = 0; o < per_message; o++, at++) {
        gint64 v;

        g_assert_cmpuint (at, <, l.log->len);
        v = g_array_index (l.log, gint64, at);
        if (v < 0)
          g_error ("%s: marker %d came before output %u of input %"
              G_GUINT64_FORMAT, GST_ELEMENT_NAME (element), (gint) (-1 - v),
              o, sent);
        if (numbered)
          g_assert_cmpint (v, ==, (gint64) sent);
      }
    }
    g_assert_cmpuint (at, <, l.log->len);
    g_assert_cmpint (g_array_index (l.log, gint64, at), ==, -1 - (gint64) k);
    at++;
  }
  g_assert_cmpuint (at, ==, l.log->len);
  g_mutex_unlock (&l.lock);

  g_array_unref (l.log);
  g_mutex_clear (&l.lock);
  gst_object_unref (src);
  gst_harness_teardown (h);
  gst_object_unref (element);
}

/* The elements of these tests share one runtime, as in a pipeline: a
 * device is opened once, not once per element. */
static GstContext *shared_runtime;

static GstElement *
make_element (const gchar * factory, const gchar * backend,
    const gchar * mode)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  g_assert_nonnull (e);
  gst_object_ref_sink (e);      /* the harness takes a reference of its own */
  gst_util_set_object_arg (G_OBJECT (e), "backend", backend);
  gst_util_set_object_arg (G_OBJECT (e), "mode", mode);
  if (shared_runtime == NULL) {
    GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);

    shared_runtime = gst_rk_context_new (rt);
    gst_object_unref (rt);
  }
  gst_element_set_context (e, shared_runtime);
  return e;
}

static void
test_event_order (void)
{
  static const gchar *const modes[] = { "persistent", "event-driven" };
  static const guint fanouts[] = { 0, 1, 3 };
  gchar *reason = NULL;

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++) {
    for (guint f = 0; f < G_N_ELEMENTS (fanouts); f++) {
      GstElement *e = make_element ("rkfanout", "cpu", modes[m]);

      g_object_set (e, "outputs", fanouts[f], NULL);
      check_event_order (e, fanouts[f], TRUE);
    }
    check_event_order (make_element ("rkecho", "cpu", modes[m]), 1, TRUE);
  }
  if (!rk_test_backend_usable (GST_RK_BACKEND_VULKAN, &reason)) {
    g_test_message ("Vulkan part skipped: %s", reason);
    g_free (reason);
    return;
  }
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++) {
    check_event_order (make_element ("rkecho", "vulkan", modes[m]), 1, TRUE);
    check_event_order (make_element ("rkcounter", "vulkan", modes[m]), 1,
        FALSE);
  }
}

/* ---- A kernel's error goes before the EOS that follows ---- */

typedef struct
{
  gint errors;                  /* atomic: ERRORs posted so far */
  gint eos_after_error;         /* atomic: -1 none yet, 0 no, 1 yes */
  gchar *debug;
} ErrorOrder;

static GstBusSyncReply
note_error (GstBus * bus, GstMessage * msg, gpointer data)
{
  ErrorOrder *o = data;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    if (g_atomic_int_add (&o->errors, 1) == 0)
      gst_message_parse_error (msg, NULL, &o->debug);
  }
  return GST_BUS_PASS;
}

static GstPadProbeReturn
note_eos (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  ErrorOrder *o = data;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS)
    g_atomic_int_compare_and_exchange (&o->eos_after_error, -1,
        g_atomic_int_get (&o->errors) > 0);
  return GST_PAD_PROBE_OK;
}

/* rkgray refuses the short frame that comes last before EOS: its ERROR is
 * on the bus before EOS leaves the element, every time. */
static void
check_error_before_eos (const gchar * backend)
{
  for (guint run = 0; run < 50; run++) {
    GstElement *e = make_element ("rkgray", backend, "auto");
    GstHarness *h = gst_harness_new_with_element (e, "sink", "src");
    GstBus *bus = gst_bus_new ();
    GstPad *src = gst_element_get_static_pad (e, "src");
    ErrorOrder o = { 0, -1, NULL };
    GstEvent *ev;

    gst_bus_set_sync_handler (bus, note_error, &o, NULL);
    gst_element_set_bus (e, bus);
    gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, note_eos,
        &o, NULL);
    gst_harness_set_src_caps_str (h,
        "video/x-raw,format=RGBA,width=16,height=8,framerate=30/1");
    for (guint i = 0; i < 3; i++)
      gst_harness_push (h, gst_buffer_new_allocate (NULL, 16 * 8 * 4, NULL));
    gst_harness_push (h, gst_buffer_new_allocate (NULL, 16 * 8 * 4 - 1,
            NULL));
    gst_harness_push_event (h, gst_event_new_eos ());
    while ((ev = gst_harness_pull_event (h))) {
      gboolean is_eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

      gst_event_unref (ev);
      if (is_eos)
        break;
    }
    if (g_atomic_int_get (&o.eos_after_error) != 1)
      g_error ("%s run %u: EOS left rkgray before its error (%d errors)",
          backend, run, g_atomic_int_get (&o.errors));
    g_assert_nonnull (o.debug);
    g_assert_nonnull (strstr (o.debug, "smaller than a 16x8 RGBA frame"));
    if (gst_harness_buffers_received (h) != 3)
      g_error ("%s run %u: %u outputs of the 3 good frames came out", backend,
          run, gst_harness_buffers_received (h));

    gst_object_unref (src);
    /* The bus holds messages from the element: let both go */
    gst_element_set_bus (e, NULL);
    gst_bus_set_flushing (bus, TRUE);
    gst_object_unref (bus);
    gst_harness_teardown (h);
    gst_object_unref (e);
    g_free (o.debug);
  }
}

static void
test_error_before_eos (void)
{
  gchar *reason = NULL;

  check_error_before_eos ("cpu");
  if (!rk_test_backend_usable (GST_RK_BACKEND_VULKAN, &reason)) {
    g_test_message ("Vulkan part skipped: %s", reason);
    g_free (reason);
    return;
  }
  check_error_before_eos ("vulkan");
}

int
main (int argc, char **argv)
{
  int ret;

  rk_test_init (&argc, &argv);
  g_test_add_func ("/elements/echo-bytes", test_echo_bytes);
  g_test_add_func ("/elements/gray-bit-exact", test_gray_bit_exact);
  g_test_add_func ("/elements/wrong-caps", test_wrong_caps);
  g_test_add_data_func ("/elements/caps-change-in-flight/cpu",
      GINT_TO_POINTER (GST_RK_BACKEND_CPU), test_caps_change_in_flight);
  g_test_add_data_func ("/elements/caps-change-in-flight/vulkan",
      GINT_TO_POINTER (GST_RK_BACKEND_VULKAN), test_caps_change_in_flight);
  g_test_add_func ("/elements/accept-caps", test_accept_caps);
  g_test_add_func ("/elements/lifecycle-walk", test_lifecycle_walk);
  g_test_add_func ("/elements/shared-runtime", test_shared_runtime);
  g_test_add_func ("/elements/application-runtime", test_application_runtime);
  g_test_add_func ("/elements/hlc-chain", test_hlc_chain);
  g_test_add_func ("/elements/eos-after-drain", test_eos_after_drain);
  g_test_add_func ("/elements/eos-without-data", test_eos_without_data);
  g_test_add_func ("/elements/event-order", test_event_order);
  g_test_add_func ("/elements/error-before-eos", test_error_before_eos);
  g_test_add_func ("/elements/flush", test_flush);
  g_test_add_func ("/elements/flush-stop-inactive-src",
      test_flush_stop_inactive_src);
  g_test_add_func ("/elements/latency-query", test_latency_query);
  g_test_add_func ("/elements/no-loss-slow-sink", test_no_loss_slow_sink);
  g_test_add_func ("/elements/downstream-eos", test_downstream_eos);
  g_test_add_func ("/elements/missing-backend", test_missing_backend);
  g_test_add_func ("/elements/bad-capacity", test_bad_capacity);
  g_test_add_func ("/elements/queue-defaults", test_queue_defaults);
  g_test_add_func ("/elements/info-and-stats-messages",
      test_info_and_stats_messages);
  ret = g_test_run ();
  g_clear_pointer (&shared_runtime, gst_context_unref);
  return ret;
}
