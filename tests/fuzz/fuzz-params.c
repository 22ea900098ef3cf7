/* libFuzzer target: kernel parameters as users set them. The input bytes
 * build a "params" structure: names taken from the registered kernels'
 * parameters (and some that exist nowhere), values of any type (doubles
 * including NaN and infinities, ints, booleans, strings, arrays of any
 * length and element type). Every kernel gets it through
 * gst_rk_kernel_set_params(), the path element properties take, after caps
 * were set so configure runs too, then one message goes through each
 * kernel so the values reach its process code. Refusals are fine; crashes,
 * hangs and leaks are not. (The text form is parsed by GStreamer before it reaches us.) */
#include <math.h>
#include <string.h>
#include "ringkernel.h"
#include "fuzzkernel.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static GstRkRuntime *runtime;
static GPtrArray *launched;
static GPtrArray *names;

static gdouble
take_double (RkFuzzBytes *b)
{
  static const gdouble special[]
      = { 0.0, -0.0, 1.0, -1.0, 1e308, -1e308, 1e-320, G_MAXINT, G_MININT };
  guint8 kind = rk_fuzz_take8 (b);
  guint64 bits;
  gdouble d;

  if (kind < 64)
    return special[kind % G_N_ELEMENTS (special)];
  if (kind < 72)
    return kind & 1 ? INFINITY : NAN;
  if (kind < 160)
    return (gdouble)(gint64)rk_fuzz_take (b, 8) / 1e12;
  bits = rk_fuzz_take (b, 8);
  memcpy (&d, &bits, sizeof (d));
  return d;
}

static void
take_value (RkFuzzBytes *b, GValue *v)
{
  switch (rk_fuzz_take8 (b) % 6) {
    case 0:
    case 1:
      g_value_init (v, G_TYPE_DOUBLE);
      g_value_set_double (v, take_double (b));
      break;
    case 2:
      g_value_init (v, G_TYPE_INT);
      g_value_set_int (v, (gint)rk_fuzz_take (b, 8));
      break;
    case 3:
      g_value_init (v, G_TYPE_BOOLEAN);
      g_value_set_boolean (v, rk_fuzz_take8 (b) & 1);
      break;
    case 4: {
      guint n = rk_fuzz_take8 (b);
      gboolean wrong = n >= 250;

      /* Sometimes very long arrays, sometimes of the wrong element type */
      if (n >= 240)
        n = (n - 239) * 1000;
      g_value_init (v, GST_TYPE_ARRAY);
      for (guint i = 0; i < n; i++) {
        GValue e = G_VALUE_INIT;
        if (wrong) {
          g_value_init (&e, G_TYPE_STRING);
          g_value_set_string (&e, "x");
        } else {
          g_value_init (&e, G_TYPE_DOUBLE);
          g_value_set_double (&e, take_double (b));
        }
        gst_value_array_append_and_take_value (v, &e);
      }
      break;
    }
    default:
      g_value_init (v, G_TYPE_STRING);
      g_value_set_string (v, "nonsense");
      break;
  }
}

/* One launched kernel per registered kernel, with the caps it runs on and
 * the size of one input for them; a kernel that fails is replaced. */
typedef struct {
  const GstRkKernelInfo *info;
  GstRkKernel *kernel;
  GstCaps *caps;
  gsize frame_size;
} RkFuzzTarget;

static GstRkKernel *
launch (RkFuzzTarget *t)
{
  GstRkKernel *k = gst_rk_runtime_launch (
      runtime, t->info->name, NULL, GST_RK_BACKEND_CPU, -1, NULL, NULL, NULL);

  /* With caps, parameter changes also go through the kernel's configure */
  if (k != NULL && t->caps != NULL)
    gst_rk_kernel_set_caps (k, t->caps, NULL, NULL);
  return k;
}

/* The kernel's sink caps at a small but not degenerate size */
static GstCaps *
small_caps (const GstRkKernelInfo *info)
{
  GstCaps *all = gst_caps_from_string (info->sink_caps);
  GstCaps *pref = gst_caps_from_string ("video/x-raw, width=16, height=8; "
      "audio/x-raw, rate=48000, channels=2");
  GstCaps *caps = gst_caps_intersect (pref, all);

  if (gst_caps_is_empty (caps)) {
    gst_caps_unref (caps);
    caps = gst_caps_ref (all);
  }
  gst_caps_unref (pref);
  gst_caps_unref (all);
  caps = gst_caps_fixate (caps);
  if (gst_caps_is_any (caps) || gst_caps_is_empty (caps)) {
    gst_caps_unref (caps);
    return NULL;
  }
  return caps;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  GPtrArray *kernels;

  gst_init (NULL, NULL);
  runtime = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  kernels = gst_rk_registry_list ();
  launched = g_ptr_array_new ();
  names = g_ptr_array_new ();
  g_ptr_array_add (names, (gpointer) "no-such-parameter");
  for (guint i = 0; i < kernels->len; i++) {
    RkFuzzTarget *t = g_new0 (RkFuzzTarget, 1);

    t->info = g_ptr_array_index (kernels, i);
    for (guint p = 0; p < t->info->n_params; p++)
      g_ptr_array_add (names, (gpointer)t->info->params[p].name);
    t->caps = small_caps (t->info);
    t->frame_size = rk_fuzz_frame_size (t->caps);
    t->kernel = launch (t);
    if (t->kernel == NULL) {
      if (t->caps)
        gst_caps_unref (t->caps);
      g_free (t);
      continue;
    }
    g_ptr_array_add (launched, t);
  }
  g_ptr_array_unref (kernels);
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  RkFuzzBytes b = { data, size };
  GstStructure *s = gst_structure_new_empty ("params");

  rk_fuzz_selftest ();
  for (guint n = rk_fuzz_take8 (&b) % 6 + 1; n > 0 && b.left > 0; n--) {
    GValue v = G_VALUE_INIT;
    const gchar *name
        = g_ptr_array_index (names, rk_fuzz_take8 (&b) % names->len);

    take_value (&b, &v);
    gst_structure_take_value (s, name, &v);
  }
  /* The values reach each kernel's process code through one message */
  for (guint i = 0; i < launched->len; i++) {
    RkFuzzTarget *t = g_ptr_array_index (launched, i);
    RkFuzzBytes fill = b;

    gst_rk_kernel_set_params (t->kernel, s, NULL);
    if (t->frame_size > 0 && !rk_fuzz_push (t->kernel, t->frame_size, &fill)) {
      gst_rk_kernel_terminate (t->kernel, NULL);
      gst_object_unref (t->kernel);
      t->kernel = launch (t);
      g_assert (t->kernel != NULL);
    }
  }
  gst_structure_free (s);
  return 0;
}
