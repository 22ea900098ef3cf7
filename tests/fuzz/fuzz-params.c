/* libFuzzer target: kernel parameters as users set them. The input bytes
 * build a "params" structure: names taken from the registered kernels'
 * parameters (and some that exist nowhere), values of any type (doubles
 * including NaN and infinities, ints, booleans, strings, arrays of any
 * length and element type). Every kernel gets it through
 * gst_rk_kernel_set_params(), the path element properties take, after caps
 * were set so configure runs too. Refusals are fine; crashes and leaks are
 * not. (The text form is parsed by GStreamer before it reaches us.) */
#include <math.h>
#include <string.h>
#include "ringkernel.h"
#include "fuzzbytes.h"

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
    const GstRkKernelInfo *info = g_ptr_array_index (kernels, i);
    GstRkKernel *k = gst_rk_runtime_launch (
        runtime, info->name, NULL, GST_RK_BACKEND_CPU, -1, NULL, NULL, NULL);
    GstCaps *caps = gst_caps_fixate (gst_caps_from_string (info->sink_caps));

    for (guint p = 0; p < info->n_params; p++)
      g_ptr_array_add (names, (gpointer)info->params[p].name);
    if (k == NULL) {
      gst_caps_unref (caps);
      continue;
    }
    /* With caps, parameter changes also go through the kernel's configure */
    if (!gst_caps_is_any (caps))
      gst_rk_kernel_set_caps (k, caps, NULL, NULL);
    gst_caps_unref (caps);
    g_ptr_array_add (launched, k);
  }
  g_ptr_array_unref (kernels);
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  RkFuzzBytes b = { data, size };
  GstStructure *s = gst_structure_new_empty ("params");

  for (guint n = rk_fuzz_take8 (&b) % 6 + 1; n > 0 && b.left > 0; n--) {
    GValue v = G_VALUE_INIT;
    const gchar *name
        = g_ptr_array_index (names, rk_fuzz_take8 (&b) % names->len);

    take_value (&b, &v);
    gst_structure_take_value (s, name, &v);
  }
  for (guint i = 0; i < launched->len; i++)
    gst_rk_kernel_set_params (g_ptr_array_index (launched, i), s, NULL);
  gst_structure_free (s);
  return 0;
}
