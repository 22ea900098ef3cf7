/* Envelope: golden bytes, round trip, and decoding of untrusted bytes. */
#include <string.h>
#include "ringkernel.h"

/* Written by hand from the layout in DESIGN §6 / gstrkabi.h, not produced
 * by the encoder: a change to the layout must fail here. */
static const guint8 golden[RK_ENVELOPE_SIZE + 5] = {
  0x52, 0x4B, 0x45, 0x56,                       /* magic "RKEV" */
  0x01, 0x00,                                   /* version 1 */
  0x01, 0x00,                                   /* flags INLINE */
  0x02, 0x00, 0x00, 0x00,                       /* type REQUEST */
  0x05, 0x00, 0x00, 0x00,                       /* payload size 5 */
  0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,       /* message id */
  0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,       /* correlation id */
  0x03, 0x00, 0x00, 0x00,                       /* source kernel 3 */
  0x07, 0x00, 0x00, 0x00,                       /* destination kernel 7 */
  0xE5, 0xD4, 0xC3, 0xB2, 0xA1, 0x44, 0x06, 0x00,       /* HLC physical */
  0x2A, 0x00, 0x00, 0x00,                       /* HLC logical 42 */
  0xEF, 0xBE, 0xAD, 0xDE,                       /* HLC node */
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,       /* payload ref */
  'h', 'e', 'l', 'l', 'o',
};

static void
fill (GstRkEnvelope * env)
{
  gst_rk_envelope_init (env, RK_MSG_REQUEST);
  env->flags = RK_FLAG_INLINE;
  env->payload_size = 5;
  env->message_id = G_GUINT64_CONSTANT (0x0102030405060708);
  env->correlation_id = G_GUINT64_CONSTANT (0x1122334455667788);
  env->source = 3;
  env->dest = 7;
  env->hlc_physical = G_GUINT64_CONSTANT (0x000644A1B2C3D4E5);
  env->hlc_logical = 42;
  env->hlc_node = 0xDEADBEEF;
  env->payload_ref = 0;
}

static void
test_golden (void)
{
  GstRkEnvelope env, back;
  guint8 bytes[RK_ENVELOPE_SIZE];

  fill (&env);
  gst_rk_envelope_encode (&env, bytes);
  g_assert_cmpmem (bytes, sizeof (bytes), golden, RK_ENVELOPE_SIZE);
  /* The in-memory struct is the wire layout (ring slots rely on it). */
  g_assert_cmpmem (&env, sizeof (env), golden, RK_ENVELOPE_SIZE);

  g_assert_true (gst_rk_envelope_decode (golden, sizeof (golden), &back, NULL));
  g_assert_cmpmem (&back, sizeof (back), &env, sizeof (env));
}

static void
expect_malformed (const guint8 * data, gsize size, const gchar * message)
{
  GstRkEnvelope env;
  GError *err = NULL;
  /* Decode from an allocation of exactly @size bytes, so a read past the
   * end is caught by ASan or valgrind. */
  guint8 *copy = g_memdup2 (data, size ? size : 1);

  g_assert_false (gst_rk_envelope_decode (copy, size, &env, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_MALFORMED);
  if (message)
    g_assert_cmpstr (err->message, ==, message);
  g_error_free (err);
  g_free (copy);
}

static void
test_truncated (void)
{
  GError *err = NULL;
  GstRkEnvelope env;

  for (gsize n = 0; n < RK_ENVELOPE_SIZE; n++) {
    gchar *msg = g_strdup_printf ("truncated envelope: %" G_GSIZE_FORMAT
        " bytes, a header needs 64", n);
    expect_malformed (golden, n, msg);
    g_free (msg);
  }
  /* Header complete, inline payload cut short */
  for (gsize n = RK_ENVELOPE_SIZE; n < sizeof (golden); n++) {
    gchar *msg = g_strdup_printf ("truncated payload: header declares 5 "
        "bytes, %" G_GSIZE_FORMAT " follow", n - RK_ENVELOPE_SIZE);
    expect_malformed (golden, n, msg);
    g_free (msg);
  }
  g_assert_false (gst_rk_envelope_decode (NULL, 100, &env, &err));
  g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_MALFORMED);
  g_error_free (err);
}

static void
corrupt (gsize offset, guint8 value, const gchar * message)
{
  guint8 bytes[sizeof (golden)];

  memcpy (bytes, golden, sizeof (golden));
  bytes[offset] = value;
  expect_malformed (bytes, sizeof (bytes), message);
}

static void
test_corrupt (void)
{
  corrupt (RK_ENV_OFF_MAGIC, 0x00,
      "bad envelope magic 0x56454b00 (expected 0x56454b52)");
  corrupt (RK_ENV_OFF_VERSION, 0x02,
      "unsupported envelope version 2 (this build reads version 1)");
  corrupt (RK_ENV_OFF_TYPE, 0x00, "unknown message type 0");
  corrupt (RK_ENV_OFF_TYPE, 0x09, "unknown message type 9");
  corrupt (RK_ENV_OFF_FLAGS, 0x81, "unknown envelope flags 0x0080");
  corrupt (RK_ENV_OFF_FLAGS, RK_FLAG_INLINE | RK_FLAG_ARENA,
      "envelope names more than one payload location (flags 0x0003)");
  corrupt (RK_ENV_OFF_FLAGS, 0x00, "payload size 5 but no payload location "
      "flag");
  corrupt (RK_ENV_OFF_PAYLOAD_SIZE + 3, 0x20,
      "payload size 536870917 exceeds the maximum of 268435456 bytes");
}

/* Random bytes, and random corruptions of a good envelope: decode must
 * answer without crashing or reading out of bounds. */
static void
test_random (void)
{
  GRand *rand = g_rand_new_with_seed (20261124);

  for (guint i = 0; i < 20000; i++) {
    gsize size = g_rand_int_range (rand, 0, 2 * RK_ENVELOPE_SIZE);
    guint8 *buf = g_malloc (MAX (size, 1));
    GstRkEnvelope env;

    if (i % 2 && size >= sizeof (golden)) {
      memcpy (buf, golden, sizeof (golden));
      buf[g_rand_int_range (rand, 0, size)] ^= 1 << g_rand_int_range (rand, 0, 8);
    } else {
      for (gsize j = 0; j < size; j++)
        buf[j] = g_rand_int (rand);
    }
    if (gst_rk_envelope_decode (buf, size, &env, NULL) &&
        (env.flags & RK_FLAG_INLINE))
      g_assert_cmpuint (env.payload_size, <=, size - RK_ENVELOPE_SIZE);
    g_free (buf);
  }
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/envelope/golden", test_golden);
  g_test_add_func ("/envelope/truncated", test_truncated);
  g_test_add_func ("/envelope/corrupt", test_corrupt);
  g_test_add_func ("/envelope/random", test_random);
  return g_test_run ();
}
