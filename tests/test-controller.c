/* Kernel parameters driven by a GstController, on each backend: an
 * interpolation control source ramps one parameter of each kernel over
 * 100 buffers, and every output (buffers and element messages) equals
 * that of a CPU element whose property was set, before the same buffer,
 * to the controller's value at the buffer's timestamp. A value applied a
 * buffer early or late, or not at all, changes the outputs. */
#include <math.h>
#include <string.h>
#include <gst/check/gstharness.h>
#include <gst/controller/controller.h>

#include "rktest.h"
#ifdef RK_TEST_FAKE_CUDA
#include "rkfakecuda.h"
#endif

#define N_BUFFERS 100
#define DURATION (10 * GST_MSECOND)

#define VIDEO "video/x-raw,format=GRAY8,width=32,height=16,framerate=100/1"
#define AUDIO "audio/x-raw,format=F32LE,layout=interleaved,rate=48000," \
    "channels=2,channel-mask=(bitmask)0x3"

typedef enum
{
  OUT_BYTES,                    /* output buffers equal */
  OUT_ANOMALIES,                /* + the same anomalies (channel, offset) */
  OUT_SPECTRUM,                 /* + the same spectra, within 0.01 dB */
} Compare;

typedef struct
{
  const gchar *element;
  const gchar *property;
  gdouble from, to;             /* the control source at the first and last buffer */
  const gchar *caps;
  gsize size;
  gboolean audio;
  Compare compare;
} Case;

static const Case cases[] = {
  {"rkblur", "sigma", 0.0, 6.0, VIDEO, 32 * 16, FALSE, OUT_BYTES},
  {"rksobel", "threshold", 0, 255, VIDEO, 32 * 16, FALSE, OUT_BYTES},
  {"rkbgsub", "threshold", 0, 255, VIDEO, 32 * 16, FALSE, OUT_BYTES},
  {"rkanomaly", "z-threshold", 1.0, 3.0, AUDIO, 480 * 2 * 4, TRUE,
      OUT_ANOMALIES},
  {"rkspectrum", "threshold", -90, -10, AUDIO, 480 * 2 * 4, TRUE,
      OUT_SPECTRUM},
};

static GstBuffer *
input (const Case * c, guint i, GRand * rand)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, c->size, NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  if (c->audio) {
    gfloat *f = (gfloat *) map.data;

    for (gsize k = 0; k < c->size / 4; k++)
      f[k] = (gfloat) g_rand_double_range (rand, -1.0, 1.0);
  } else {
    for (gsize k = 0; k < c->size; k++)
      map.data[k] = (guint8) g_rand_int_range (rand, 0, 256);
  }
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = i * DURATION;
  GST_BUFFER_DURATION (buf) = DURATION;
  return buf;
}

static GstHarness *
harness (const Case * c, const gchar * backend, GstBus * bus)
{
  GstElement *e = gst_element_factory_make (c->element, NULL);
  GstHarness *h;

  /* set before the harness starts it */
  gst_util_set_object_arg (G_OBJECT (e), "backend", backend);
  h = gst_harness_new_with_element (e, "sink", "src");
  gst_object_unref (e);
  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, c->caps);
  return h;
}

static void
assert_same_buffer (GstBuffer * a, GstBuffer * b, guint i)
{
  GstMapInfo ma, mb;

  gst_buffer_map (a, &ma, GST_MAP_READ);
  gst_buffer_map (b, &mb, GST_MAP_READ);
  if (ma.size != mb.size || memcmp (ma.data, mb.data, ma.size) != 0)
    g_error ("buffer %u differs from the CPU reference", i);
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
}

static GList *
element_messages (GstBus * bus)
{
  GList *l = NULL;
  GstMessage *m;

  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT)))
    l = g_list_append (l, m);
  return l;
}

static void
assert_same_messages (const Case * c, GList * got, GList * want)
{
  guint n = 0;

  g_assert_cmpuint (g_list_length (got), ==, g_list_length (want));
  for (; got && want; got = got->next, want = want->next, n++) {
    const GstStructure *a = gst_message_get_structure (got->data);
    const GstStructure *b = gst_message_get_structure (want->data);
    guint64 ta, tb;

    g_assert_cmpstr (gst_structure_get_name (a), ==,
        gst_structure_get_name (b));
    g_assert_true (gst_structure_get_uint64 (a, "timestamp", &ta));
    g_assert_true (gst_structure_get_uint64 (b, "timestamp", &tb));
    g_assert_cmpuint (ta, ==, tb);
    if (c->compare == OUT_ANOMALIES) {
      guint ca, cb;
      guint64 oa, ob;

      g_assert_true (gst_structure_get_uint (a, "channel", &ca));
      g_assert_true (gst_structure_get_uint (b, "channel", &cb));
      g_assert_true (gst_structure_get_uint64 (a, "offset", &oa));
      g_assert_true (gst_structure_get_uint64 (b, "offset", &ob));
      g_assert_cmpuint (ca, ==, cb);
      g_assert_cmpuint (oa, ==, ob);
    } else {
      const GValue *ma = gst_structure_get_value (a, "magnitude");
      const GValue *mb = gst_structure_get_value (b, "magnitude");

      g_assert_cmpuint (gst_value_list_get_size (ma), ==,
          gst_value_list_get_size (mb));
      for (guint k = 0; k < gst_value_list_get_size (ma); k++) {
        gfloat x = g_value_get_float (gst_value_list_get_value (ma, k));
        gfloat y = g_value_get_float (gst_value_list_get_value (mb, k));

        if (fabsf (x - y) > 0.01f)
          g_error ("message %u band %u: %g dB, the CPU reference %g dB", n,
              k, x, y);
      }
    }
  }
}

static void
wait_eos (GstHarness * h)
{
  GstEvent *e;
  gboolean eos = FALSE;

  g_assert_true (gst_harness_push_event (h, gst_event_new_eos ()));
  while (!eos && (e = gst_harness_pull_event (h))) {
    eos = GST_EVENT_TYPE (e) == GST_EVENT_EOS;
    gst_event_unref (e);
  }
  g_assert_true (eos);
}

static void
run_case (const Case * c, const gchar * backend)
{
  GstBus *bus = gst_bus_new (), *ref_bus = gst_bus_new ();
  GstHarness *h = harness (c, backend, bus);
  GstHarness *ref = harness (c, "cpu", ref_bus);
  GstControlSource *cs = gst_interpolation_control_source_new ();
  GRand *rand = g_rand_new_with_seed (7);
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  GList *got, *want;

  g_object_set (cs, "mode", GST_INTERPOLATION_MODE_LINEAR, NULL);
  gst_timed_value_control_source_set (GST_TIMED_VALUE_CONTROL_SOURCE (cs), 0,
      c->from);
  gst_timed_value_control_source_set (GST_TIMED_VALUE_CONTROL_SOURCE (cs),
      (N_BUFFERS - 1) * DURATION, c->to);
  g_assert_true (gst_object_add_control_binding (GST_OBJECT (h->element),
          gst_direct_control_binding_new_absolute (GST_OBJECT (h->element),
              c->property, cs)));

  for (guint i = 0; i < N_BUFFERS; i++) {
    GstBuffer *in = input (c, i, rand), *a, *b;
    GValue *v = gst_object_get_value (GST_OBJECT (h->element), c->property,
        GST_BUFFER_PTS (in));
    GValue now = G_VALUE_INIT;

    g_assert_nonnull (v);
    g_hash_table_add (values, g_strdup_value_contents (v));
    g_object_set_property (G_OBJECT (ref->element), c->property, v);

    g_assert_cmpint (gst_harness_push (ref, gst_buffer_ref (in)), ==,
        GST_FLOW_OK);
    g_assert_cmpint (gst_harness_push (h, in), ==, GST_FLOW_OK);
    b = gst_harness_pull (ref);
    a = gst_harness_pull (h);
    g_assert_nonnull (a);
    g_assert_nonnull (b);
    assert_same_buffer (a, b, i);
    gst_buffer_unref (a);
    gst_buffer_unref (b);

    /* The controller set the element's property itself */
    g_value_init (&now, G_VALUE_TYPE (v));
    g_object_get_property (G_OBJECT (h->element), c->property, &now);
    g_assert_cmpint (gst_value_compare (&now, v), ==, GST_VALUE_EQUAL);
    g_value_unset (&now);
    g_value_unset (v);
    g_free (v);
  }
  /* The ramp gives (nearly) every buffer a value of its own */
  g_assert_cmpuint (g_hash_table_size (values), >=, N_BUFFERS / 2);

  /* Every message is posted before EOS leaves the element */
  wait_eos (h);
  wait_eos (ref);
  gst_harness_teardown (h);
  gst_harness_teardown (ref);

  got = element_messages (bus);
  want = element_messages (ref_bus);
  if (c->compare != OUT_BYTES) {
    g_assert_cmpuint (g_list_length (want), >, 0);
    assert_same_messages (c, got, want);
  }
  g_list_free_full (got, (GDestroyNotify) gst_message_unref);
  g_list_free_full (want, (GDestroyNotify) gst_message_unref);
  g_hash_table_unref (values);
  g_rand_free (rand);
  gst_object_unref (cs);
  gst_object_unref (bus);
  gst_object_unref (ref_bus);
}

typedef struct
{
  const Case *c;
  GstRkBackendKind backend;
} Run;

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
  run_case (r->c, gst_rk_backend_kind_get_name (r->backend));
}

int
main (int argc, char **argv)
{
#ifdef RK_TEST_FAKE_CUDA
  static const GstRkBackendKind backends[] = { GST_RK_BACKEND_CUDA };
#else
  static const GstRkBackendKind backends[] = { GST_RK_BACKEND_CPU,
    GST_RK_BACKEND_VULKAN
  };
#endif
  static Run runs[G_N_ELEMENTS (backends) * G_N_ELEMENTS (cases)];
  guint n = 0;

#ifdef RK_TEST_FAKE_CUDA
  rk_fake_cuda_install ();
#endif
  rk_test_init (&argc, &argv);
  for (guint b = 0; b < G_N_ELEMENTS (backends); b++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++, n++) {
      gchar *path = g_strdup_printf ("/controller/%s/%s-%s",
          gst_rk_backend_kind_get_name (backends[b]), cases[i].element,
          cases[i].property);

      runs[n].c = &cases[i];
      runs[n].backend = backends[b];
      g_test_add_data_func (path, &runs[n], test_case);
      g_free (path);
    }
  return g_test_run ();
}
