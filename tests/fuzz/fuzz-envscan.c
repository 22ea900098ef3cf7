/* libFuzzer target: re-framing untrusted stream bytes into messages, as
 * rkenvelopeparse does for TCP. Scanning must never read out of bounds,
 * must always make progress, and every frame it finds must decode whole. */
#include "ringkernel.h"

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  guint32 max_payload;
  size_t pos = 0;

  if (size < 1)
    return 0;
  /* The first byte picks the parser's limit */
  max_payload = data[0] & 1 ? 4096 : GST_RK_ENVELOPE_MAX_PAYLOAD;
  data++;
  size--;

  while (pos < size) {
    GstRkEnvelope env;
    gsize n = 0;

    switch (gst_rk_envelope_scan (data + pos, size - pos, max_payload, &n,
            NULL)) {
      case GST_RK_ENVELOPE_SCAN_FRAME:
        if (n > size - pos || !gst_rk_envelope_decode (data + pos, n, &env,
                NULL) || n != RK_ENVELOPE_SIZE + env.payload_size ||
            (env.flags & RK_FLAG_PAYLOAD_MASK & ~RK_FLAG_INLINE) ||
            env.payload_size > max_payload)
          abort ();
        break;
      case GST_RK_ENVELOPE_SCAN_NEED_MORE:
        if (n <= size - pos)
          abort ();
        return 0;
      case GST_RK_ENVELOPE_SCAN_SKIP:
        if (n == 0 || n > size - pos)
          abort ();
        break;
    }
    pos += n;
  }
  return 0;
}
