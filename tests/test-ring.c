/* SPSC ring: layout, wrap-around, batching, and two threads. */
#include <string.h>
#include "ringkernel.h"
#include "gstrkring.h"

#define SLOT 64

static gpointer
new_ring (guint32 capacity, gsize * size)
{
  gpointer mem;

  *size = gst_rk_ring_memory_size (capacity, SLOT);
  mem = g_aligned_alloc0 (1, *size, 64);
  g_assert_true (gst_rk_ring_format (mem, *size, capacity, SLOT, NULL));
  return mem;
}

static void
test_layout (void)
{
  gsize size;
  guint8 *mem = new_ring (8, &size);
  GstRkRingProducer p;

  g_assert_cmpuint (size, ==, RK_RING_HEADER_SIZE + 8 * SLOT);
  g_assert_cmpuint (*(guint32 *) (mem + RK_RING_OFF_MAGIC), ==, RK_RING_MAGIC);
  g_assert_cmpuint (*(guint32 *) (mem + RK_RING_OFF_CAPACITY), ==, 8);
  g_assert_cmpuint (*(guint32 *) (mem + RK_RING_OFF_SLOT_SIZE), ==, SLOT);
  g_assert_true (gst_rk_ring_producer_init (&p, mem, size, NULL));
  /* head and tail on cache lines of their own */
  g_assert_true ((guint8 *) p.head == mem + RK_RING_OFF_HEAD);
  g_assert_true ((guint8 *) p.tail == mem + RK_RING_OFF_TAIL);
  g_assert_cmpuint (RK_RING_OFF_TAIL - RK_RING_OFF_HEAD, >=, 64);
  g_assert_true ((guint8 *) gst_rk_ring_slot (&p, 0) == mem + RK_RING_HEADER_SIZE);
  g_aligned_free (mem);
}

static void
test_format_errors (void)
{
  guint8 mem[1024];
  GError *err = NULL;
  GstRkRingConsumer c;

  g_assert_false (gst_rk_ring_format (mem, sizeof (mem), 6, SLOT, &err));
  g_assert_cmpstr (err->message, ==, "ring capacity 6 is not a power of two");
  g_clear_error (&err);
  g_assert_false (gst_rk_ring_format (mem, sizeof (mem), 4, 48, &err));
  g_assert_cmpstr (err->message, ==, "ring slot size 48 is not a multiple of "
      "64 bytes of at least 64");
  g_clear_error (&err);
  g_assert_false (gst_rk_ring_format (mem, sizeof (mem), 32, SLOT, &err));
  g_assert_nonnull (strstr (err->message, "too small"));
  g_clear_error (&err);
  memset (mem, 0, sizeof (mem));
  g_assert_false (gst_rk_ring_consumer_init (&c, mem, sizeof (mem), &err));
  g_assert_cmpstr (err->message, ==, "ring memory is not formatted");
  g_clear_error (&err);
}

static void
test_fill_drain_wrap (void)
{
  gsize size;
  gpointer mem = new_ring (4, &size);
  GstRkRingProducer p;
  GstRkRingConsumer c;
  guint64 next_in = 0, next_out = 0;

  g_assert_true (gst_rk_ring_producer_init (&p, mem, size, NULL));
  g_assert_true (gst_rk_ring_consumer_init (&c, mem, size, NULL));

  for (guint round = 0; round < 50; round++) {
    guint32 n = gst_rk_ring_producer_free (&p);
    guint32 batch = (round % 4) + 1;

    /* The producer refreshes its copy of tail only when it looks full:
     * the count may be low, never high, and never 0 when there is room. */
    g_assert_cmpuint (n, <=, 4 - (next_in - next_out));
    g_assert_cmpint (n > 0, ==, next_in - next_out < 4);
    batch = MIN (batch, n);
    for (guint32 i = 0; i < batch; i++)
      *(guint64 *) gst_rk_ring_slot (&p, i) = next_in++;
    gst_rk_ring_producer_publish (&p, batch);   /* one batch, one store */

    n = gst_rk_ring_consumer_available (&c);
    g_assert_cmpuint (n, <=, next_in - next_out);
    g_assert_cmpint (n > 0, ==, next_in > next_out);
    n = MIN (n, (round % 3) + 1);
    for (guint32 i = 0; i < n; i++)
      g_assert_cmpuint (*(guint64 *) gst_rk_ring_slot (&c, i), ==, next_out + i);
    gst_rk_ring_consumer_release (&c, n);
    next_out += n;
    g_assert_cmpuint (gst_rk_ring_depth (&c), ==, next_in - next_out);
  }
  g_assert_cmpuint (gst_rk_ring_position (&p), ==, next_in);
  g_aligned_free (mem);
}

/* Positions are 64-bit and monotonic: start them just below 2^64 and
 * carry on through the wrap of the counters themselves. */
static void
test_counter_wrap (void)
{
  gsize size;
  guint8 *mem = new_ring (8, &size);
  GstRkRingProducer p;
  GstRkRingConsumer c;
  guint64 start = G_MAXUINT64 - 5;

  *(guint64 *) (mem + RK_RING_OFF_HEAD) = start;
  *(guint64 *) (mem + RK_RING_OFF_TAIL) = start;
  g_assert_true (gst_rk_ring_producer_init (&p, mem, size, NULL));
  g_assert_true (gst_rk_ring_consumer_init (&c, mem, size, NULL));
  for (guint64 i = 0; i < 40; i++) {
    g_assert_cmpuint (gst_rk_ring_producer_free (&p), >, 0);
    *(guint64 *) gst_rk_ring_slot (&p, 0) = i;
    gst_rk_ring_producer_publish (&p, 1);
    g_assert_cmpuint (gst_rk_ring_consumer_available (&c), ==, 1);
    g_assert_cmpuint (*(guint64 *) gst_rk_ring_slot (&c, 0), ==, i);
    gst_rk_ring_consumer_release (&c, 1);
  }
  g_assert_cmpuint (gst_rk_ring_position (&c), ==, start + 40);
  g_aligned_free (mem);
}

#define N_THREADED 2000000

typedef struct
{
  gpointer mem;
  gsize size;
} Shared;

static gpointer
producer_main (gpointer data)
{
  Shared *s = data;
  GstRkRingProducer p;
  guint64 v = 0;

  g_assert_true (gst_rk_ring_producer_init (&p, s->mem, s->size, NULL));
  while (v < N_THREADED) {
    guint32 n = MIN (gst_rk_ring_producer_free (&p), N_THREADED - v);

    if (n == 0) {
      g_thread_yield ();
      continue;
    }
    n = MIN (n, (v % 7) + 1);   /* vary the batch size */
    for (guint32 i = 0; i < n; i++) {
      guint64 *slot = gst_rk_ring_slot (&p, i);
      slot[0] = v;
      slot[7] = ~v;             /* whole slot written before publication */
      v++;
    }
    gst_rk_ring_producer_publish (&p, n);
  }
  return NULL;
}

static void
test_two_threads (void)
{
  Shared s;
  GstRkRingConsumer c;
  GThread *t;
  guint64 expect = 0;

  s.mem = new_ring (64, &s.size);
  g_assert_true (gst_rk_ring_consumer_init (&c, s.mem, s.size, NULL));
  t = g_thread_new ("producer", producer_main, &s);
  while (expect < N_THREADED) {
    guint32 n = gst_rk_ring_consumer_available (&c);

    if (n == 0) {
      g_thread_yield ();
      continue;
    }
    for (guint32 i = 0; i < n; i++) {
      guint64 *slot = gst_rk_ring_slot (&c, i);
      if (slot[0] != expect || slot[7] != ~expect)
        g_error ("slot %" G_GUINT64_FORMAT " holds %" G_GUINT64_FORMAT,
            expect, slot[0]);
      expect++;
    }
    gst_rk_ring_consumer_release (&c, n);
  }
  g_thread_join (t);
  g_assert_cmpuint (gst_rk_ring_depth (&c), ==, 0);
  g_aligned_free (s.mem);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ring/layout", test_layout);
  g_test_add_func ("/ring/format-errors", test_format_errors);
  g_test_add_func ("/ring/fill-drain-wrap", test_fill_drain_wrap);
  g_test_add_func ("/ring/counter-wrap", test_counter_wrap);
  g_test_add_func ("/ring/two-threads", test_two_threads);
  return g_test_run ();
}
