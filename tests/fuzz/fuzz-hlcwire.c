/* libFuzzer target: the RTP header extension's parser (untrusted bytes
 * from the network). Decode must never read past @size, and what decodes
 * must encode back to the same bytes in the same form. */
#include <string.h>
#include "ringkernel.h"

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  GstRkHlcWire wire;
  guint8 back[GST_RK_HLC_WIRE_FULL_SIZE];
  GError *err = NULL;
  gsize n;

  if (!gst_rk_hlc_wire_decode (data, size, &wire, &err)) {
    if (err == NULL || err->domain != GST_RK_ERROR)
      abort ();
    g_error_free (err);
    return 0;
  }
  n = gst_rk_hlc_wire_encode (&wire, size == GST_RK_HLC_WIRE_FULL_SIZE,
      back, sizeof (back));
  if (n != size || memcmp (back, data, size) != 0)
    abort ();
  return 0;
}
