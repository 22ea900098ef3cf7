/* libFuzzer target: caps to kernel negotiation. The input bytes build one
 * caps structure field by field (media type, format, sizes, rates,
 * channels, layout, of any type: ints, ranges, lists, strings, fractions,
 * nonsense), then every registered kernel transforms it both ways and, when
 * it is fixed, tries to configure itself from it; caps it accepts go to a
 * running instance of the kernel, which gets one frame of them. Refusals
 * are fine; crashes, hangs, leaks and out-of-bounds reads are not.
 *
 * Caps are built rather than parsed from text so that the fuzzer spends
 * its time in our negotiation code, not in GStreamer's caps parser. */
#include "ringkernel.h"
#include "gstrkconfigprivate.h"
#include "fuzzkernel.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static GPtrArray *kernels;
static GstRkRuntime *runtime;
static GstRkKernel **running;

static const gchar *const media[] = { "video/x-raw", "audio/x-raw",
  "application/x-ringkernel", "application/x-test" };
static const gchar *const formats[] = { "RGBA", "BGRA", "RGBx", "BGRx", "NV12",
  "I420", "GRAY8", "F32LE", "S16LE", "YUY2", "", "RGBA\xff" };
static const gchar *const fields[] = { "format", "width", "height", "framerate",
  "channels", "rate", "layout", "channel-mask" };

/* A value of a type the fuzz bytes choose; the "right" type is just one of
 * the possibilities. */
static void
take_value (RkFuzzBytes *b, GValue *v)
{
  switch (rk_fuzz_take8 (b) % 7) {
    case 0:
    case 1:
      g_value_init (v, G_TYPE_INT);
      g_value_set_int (
          v, (gint32)rk_fuzz_take (b, 4) >> (rk_fuzz_take8 (b) % 24));
      break;
    case 2:
      g_value_init (v, G_TYPE_STRING);
      g_value_set_string (
          v, formats[rk_fuzz_take8 (b) % G_N_ELEMENTS (formats)]);
      break;
    case 3: {
      gint lo = (gint32)rk_fuzz_take (b, 4) >> 16,
           hi = (gint32)rk_fuzz_take (b, 4) >> 16;
      g_value_init (v, GST_TYPE_INT_RANGE);
      gst_value_set_int_range (v, MIN (lo, hi), MAX (lo, hi) + 1);
      break;
    }
    case 4:
      g_value_init (v, GST_TYPE_FRACTION);
      gst_value_set_fraction (v, (gint32)rk_fuzz_take (b, 4) >> 8,
          ((gint32)rk_fuzz_take (b, 4) >> 8) | 1);
      break;
    case 5: {
      GValue item = G_VALUE_INIT;
      g_value_init (v, GST_TYPE_LIST);
      for (guint n = rk_fuzz_take8 (b) % 4; n > 0; n--) {
        g_value_init (&item, G_TYPE_STRING);
        g_value_set_string (
            &item, formats[rk_fuzz_take8 (b) % G_N_ELEMENTS (formats)]);
        gst_value_list_append_and_take_value (v, &item);
      }
      break;
    }
    default:
      g_value_init (v, G_TYPE_DOUBLE);
      g_value_set_double (v, (gdouble)(gint32)rk_fuzz_take (b, 4) / 7.0);
      break;
  }
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  gst_init (NULL, NULL);
  gst_rk_init ();
  kernels = gst_rk_registry_list ();
  runtime = gst_rk_runtime_new (GST_RK_BACKEND_CPU, -1);
  running = g_new0 (GstRkKernel *, kernels->len);
  return 0;
}

/* Accepted caps, set on a running instance of kernel @i, which gets one
 * frame; an instance that failed is replaced. */
static void
push (guint i, const GstRkKernelInfo *info, GstCaps *caps, RkFuzzBytes *b)
{
  gsize frame_size = rk_fuzz_frame_size (caps);

  if (frame_size == 0)
    return;
  if (running[i] == NULL)
    running[i] = gst_rk_runtime_launch (
        runtime, info->name, NULL, GST_RK_BACKEND_CPU, -1, NULL, NULL, NULL);
  if (running[i] == NULL)
    return;
  if (gst_rk_kernel_set_caps (running[i], caps, NULL, NULL)
      && rk_fuzz_push (running[i], frame_size, b))
    return;
  if (gst_rk_kernel_check (running[i], NULL))
    return;
  gst_rk_kernel_terminate (running[i], NULL);
  gst_object_unref (running[i]);
  running[i] = NULL;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  RkFuzzBytes b = { data, size };
  GstStructure *s;

  rk_fuzz_selftest ();
  s = gst_structure_new_empty (
      media[rk_fuzz_take8 (&b) % G_N_ELEMENTS (media)]);
  GstCaps *caps;

  for (guint n = rk_fuzz_take8 (&b) % 10; n > 0 && b.left > 0; n--) {
    GValue v = G_VALUE_INIT;

    take_value (&b, &v);
    gst_structure_take_value (
        s, fields[rk_fuzz_take8 (&b) % G_N_ELEMENTS (fields)], &v);
  }
  caps = gst_caps_new_full (s, NULL);

  for (guint i = 0; i < kernels->len; i++) {
    const GstRkKernelInfo *info = g_ptr_array_index (kernels, i);
    GstCaps *a
        = gst_rk_kernel_info_transform_caps (info, GST_PAD_SINK, caps, NULL);
    GstCaps *t
        = gst_rk_kernel_info_transform_caps (info, GST_PAD_SRC, caps, NULL);

    gst_caps_unref (a);
    gst_caps_unref (t);
    if (gst_caps_is_fixed (caps)) {
      GstStructure *params = gst_rk_kernel_info_default_params (info);
      GstRkConfig *config = NULL;

      if (gst_rk_kernel_info_make_config (info, caps, params, &config, NULL)) {
        gst_rk_config_unref (config);
        push (i, info, caps, &b);
      }
      gst_structure_free (params);
    }
  }
  gst_caps_unref (caps);
  return 0;
}
