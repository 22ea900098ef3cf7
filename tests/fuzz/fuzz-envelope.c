/* libFuzzer target: decoding untrusted message bytes. Decode must never
 * read out of bounds, and what decodes must encode back to the same
 * header bytes. */
#include <string.h>
#include "ringkernel.h"
#include "fuzzbytes.h"

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  GstRkEnvelope env;
  guint8 back[RK_ENVELOPE_SIZE];

  rk_fuzz_selftest ();
  if (gst_rk_envelope_decode (data, size, &env, NULL)) {
    g_assert (gst_rk_envelope_validate (&env, NULL));
    if ((env.flags & RK_FLAG_INLINE) &&
        env.payload_size > size - RK_ENVELOPE_SIZE)
      abort ();
    gst_rk_envelope_encode (&env, back);
    if (memcmp (back, data, RK_ENVELOPE_SIZE) != 0)
      abort ();
  }
  return 0;
}
