/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkbench ring-vs-element: pipelined 64-byte messages per second through
 *
 *   ring    a bare single-producer single-consumer ring between two
 *           threads, written here: the cheapest way to move 64-byte
 *           messages from one thread to another, the floor for any element
 *   rkecho  fakesrc ! rkecho backend=cpu ! fakesink
 *   queue   fakesrc ! queue ! fakesink, the stock thread hop
 *
 * The elements pay for buffers, events and pads as well as the hop; the
 * ratio to the ring is what all of that costs.
 *
 * rk_bench_ring_roundtrip() is the same ring used the other way: one
 * message out, its echo back, the floor under `rkbench roundtrip`.
 */

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "rkbenchclock.h"
#include "rkbenchpipeline.h"
#include "rkbenchring.h"

#define RING_SLOTS 1024         /* a power of two: positions are masked */
#define MSG_SIZE 64
#define SPINS 1000              /* polls before yielding at each poll */

/* head and tail on cache lines of their own, so that one side's stores do
 * not evict the line the other side polls; each side keeps a copy of the
 * other's counter and reloads it only when the ring looks full or empty. */
typedef struct
{
  guint64 head __attribute__ ((aligned (64)));  /* written by the producer */
  guint64 tail __attribute__ ((aligned (64)));  /* written by the consumer */
  guint8 slots[RING_SLOTS][MSG_SIZE] __attribute__ ((aligned (64)));
  guint64 messages;
  gint go;
  guint64 end_ns;
  gboolean out_of_order;
} Ring;

static inline void
ring_wait (guint * spins)
{
  if (*spins < SPINS) {
    (*spins)++;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause ();
#elif defined(__aarch64__)
    __asm__ volatile ("yield");
#endif
  } else {
    /* Two cores and a busy machine: spinning on would starve the other side */
    sched_yield ();
  }
}

static void
ring_wait_go (Ring * r)
{
  guint spins = 0;

  while (!g_atomic_int_get (&r->go))
    ring_wait (&spins);
}

static gpointer
ring_produce (gpointer data)
{
  Ring *r = data;
  guint8 msg[MSG_SIZE];
  guint64 tail = 0;

  memset (msg, 0x5A, sizeof (msg));
  ring_wait_go (r);
  for (guint64 i = 0; i < r->messages; i++) {
    guint spins = 0;

    while (i - tail == RING_SLOTS) {
      tail = __atomic_load_n (&r->tail, __ATOMIC_ACQUIRE);
      if (i - tail == RING_SLOTS)
        ring_wait (&spins);
    }
    /* A sequence number in each message, so the consumer can check it */
    memcpy (msg, &i, sizeof (i));
    memcpy (r->slots[i & (RING_SLOTS - 1)], msg, MSG_SIZE);
    __atomic_store_n (&r->head, i + 1, __ATOMIC_RELEASE);
  }
  return NULL;
}

static gpointer
ring_consume (gpointer data)
{
  Ring *r = data;
  guint8 msg[MSG_SIZE];
  guint64 head = 0, seq;
  gboolean bad = FALSE;

  ring_wait_go (r);
  for (guint64 i = 0; i < r->messages; i++) {
    guint spins = 0;

    while (i == head) {
      head = __atomic_load_n (&r->head, __ATOMIC_ACQUIRE);
      if (i == head)
        ring_wait (&spins);
    }
    /* Copied out before the slot is given back, as a receiver would */
    memcpy (msg, r->slots[i & (RING_SLOTS - 1)], MSG_SIZE);
    __atomic_store_n (&r->tail, i + 1, __ATOMIC_RELEASE);
    memcpy (&seq, msg, sizeof (seq));
    bad |= seq != i;
  }
  r->end_ns = rk_bench_now_ns ();
  r->out_of_order = bad;
  return NULL;
}

/* Messages per second through the bare ring; the threads are started
 * before the clock is. */
static gdouble
ring_run (guint64 messages)
{
  Ring *r = g_aligned_alloc0 (1, sizeof (Ring), 64);
  GThread *producer, *consumer;
  guint64 start;
  gdouble rate;

  r->messages = messages;
  consumer = g_thread_new ("ring-consumer", ring_consume, r);
  producer = g_thread_new ("ring-producer", ring_produce, r);
  start = rk_bench_now_ns ();
  g_atomic_int_set (&r->go, 1);
  g_thread_join (producer);
  g_thread_join (consumer);
  if (r->out_of_order) {
    g_printerr ("rkbench: the bare ring lost or reordered a message\n");
    exit (1);
  }
  rate = messages * 1e9 / (r->end_ns - start);
  g_aligned_free (r);
  return rate;
}

/* ---- Round trip: a request ring, an echo thread, a reply ring ---- */

typedef struct
{
  Ring *request, *reply;
} Echo;

static gpointer
ring_echo (gpointer data)
{
  Echo *e = data;
  guint8 msg[MSG_SIZE];
  guint64 head = 0;

  ring_wait_go (e->request);
  for (guint64 i = 0; i < e->request->messages; i++) {
    guint spins = 0;

    while (i == head) {
      head = __atomic_load_n (&e->request->head, __ATOMIC_ACQUIRE);
      if (i == head)
        ring_wait (&spins);
    }
    memcpy (msg, e->request->slots[i & (RING_SLOTS - 1)], MSG_SIZE);
    __atomic_store_n (&e->request->tail, i + 1, __ATOMIC_RELEASE);
    /* One in flight at a time: the reply ring is never full */
    memcpy (e->reply->slots[i & (RING_SLOTS - 1)], msg, MSG_SIZE);
    __atomic_store_n (&e->reply->head, i + 1, __ATOMIC_RELEASE);
  }
  return NULL;
}

/**
 * rk_bench_ring_roundtrip:
 * @samples: (out caller-allocates): @messages round-trip times, in ns
 *
 * One 64-byte message to an echo thread through a bare ring and back
 * through another, @messages times, each timed from before the copy in to
 * after the copy out (the caller polls, as `rkbench roundtrip` does).
 */
void
rk_bench_ring_roundtrip (guint64 messages, guint64 * samples)
{
  Echo e;
  GThread *echo;
  guint8 msg[MSG_SIZE];

  e.request = g_aligned_alloc0 (1, sizeof (Ring), 64);
  e.reply = g_aligned_alloc0 (1, sizeof (Ring), 64);
  e.request->messages = messages;
  memset (msg, 0x5A, sizeof (msg));
  echo = g_thread_new ("ring-echo", ring_echo, &e);
  g_atomic_int_set (&e.request->go, 1);
  for (guint64 i = 0; i < messages; i++) {
    guint64 t0 = rk_bench_now_ns (), seq;

    memcpy (msg, &i, sizeof (i));
    memcpy (e.request->slots[i & (RING_SLOTS - 1)], msg, MSG_SIZE);
    __atomic_store_n (&e.request->head, i + 1, __ATOMIC_RELEASE);
    while (__atomic_load_n (&e.reply->head, __ATOMIC_ACQUIRE) == i);
    memcpy (msg, e.reply->slots[i & (RING_SLOTS - 1)], MSG_SIZE);
    samples[i] = rk_bench_now_ns () - t0;
    memcpy (&seq, msg, sizeof (seq));
    if (seq != i) {
      g_printerr ("rkbench: the bare ring echoed message %" G_GUINT64_FORMAT
          " for %" G_GUINT64_FORMAT "\n", seq, i);
      exit (1);
    }
  }
  g_thread_join (echo);
  g_aligned_free (e.request);
  g_aligned_free (e.reply);
}

enum
{ RING, RKECHO, QUEUE, N_CONTENDERS };

static const struct
{
  const gchar *name;
  const gchar *element;
} contenders[N_CONTENDERS] = {
  {"ring", NULL},
  {"rkecho", "rkecho backend=cpu"},
  {"queue", "queue"},
};

/**
 * rk_bench_ring_vs_element:
 * @messages: messages (buffers) per contender and repeat
 *
 * Messages per second of each contender, repeats round-robin. For the
 * elements: steady state (the sink's first buffer to its last) and wall
 * (PLAYING to EOS, start-up included).
 */
void
rk_bench_ring_vs_element (RkJson * j, guint64 messages, guint repeats)
{
  gdouble *rate = g_new0 (gdouble, N_CONTENDERS * repeats);
  gdouble *wall_rate = g_new0 (gdouble, N_CONTENDERS * repeats);
  gdouble med[N_CONTENDERS];
  gchar *desc[N_CONTENDERS] = { NULL };

  rk_json_key (j, "ring_vs_element");
  rk_json_begin_object (j);
  rk_json_loadavg (j, "loadavg_before");
  for (guint c = 1; c < N_CONTENDERS; c++)
    desc[c] = g_strdup_printf ("fakesrc num-buffers=%" G_GUINT64_FORMAT
        " sizetype=fixed sizemax=64 ! %s ! fakesink name=sink sync=false",
        messages, contenders[c].element);

  for (guint r = 0; r < repeats; r++) {
    for (guint c = 0; c < N_CONTENDERS; c++) {
      gdouble *mine = rate + c * repeats + r;
      gdouble *wall = wall_rate + c * repeats + r;

      if (c == RING) {
        *mine = *wall = ring_run (messages);
      } else {
        RkBenchTiming t;
        guint64 w = rk_bench_run_pipeline (desc[c], &t, FALSE);

        if (w == 0 || t.count < 2)
          exit (1);
        *mine = (t.count - 1) * 1e9 / (t.last_ns - t.first_ns);
        *wall = messages * 1e9 / w;
      }
      g_printerr ("ring-vs-element %u/%u %-7s %12.0f msg/s\n", r + 1,
          repeats, contenders[c].name, *mine);
    }
  }

  rk_json_int (j, "messages", (gint64) messages);
  rk_json_int (j, "repeats", repeats);
  rk_json_int (j, "payload_bytes", MSG_SIZE);
  rk_json_int (j, "ring_slots", RING_SLOTS);
  rk_json_key (j, "contenders");
  rk_json_begin_array (j);
  g_printerr ("\n%-8s %14s %14s\n", "median", "msg/s", "wall msg/s");
  for (guint c = 0; c < N_CONTENDERS; c++) {
    gdouble wall_med = rk_bench_median (wall_rate + c * repeats, repeats);

    med[c] = rk_bench_median (rate + c * repeats, repeats);
    rk_json_begin_object (j);
    rk_json_string (j, "name", contenders[c].name);
    rk_json_string (j, "pipeline", c == RING ?
        "bare SPSC ring, 1024 slots of 64 bytes, copy in and out, "
        "acquire/release head and tail, spin then sched_yield" : desc[c]);
    rk_json_double_array (j, "messages_per_s", rate + c * repeats, repeats);
    rk_json_double (j, "median_messages_per_s", med[c]);
    rk_json_double (j, "median_ns_per_message", 1e9 / med[c]);
    rk_json_double_array (j, "wall_messages_per_s", wall_rate + c * repeats,
        repeats);
    rk_json_double (j, "median_wall_messages_per_s", wall_med);
    rk_json_end_object (j);
    g_printerr ("%-8s %14.0f %14.0f\n", contenders[c].name, med[c], wall_med);
  }
  rk_json_end_array (j);
  /* Of the median steady-state rates: below 1, the element is slower */
  rk_json_key (j, "ratios");
  rk_json_begin_object (j);
  rk_json_double (j, "rkecho_over_ring", med[RKECHO] / med[RING]);
  rk_json_double (j, "queue_over_ring", med[QUEUE] / med[RING]);
  rk_json_double (j, "rkecho_over_queue", med[RKECHO] / med[QUEUE]);
  rk_json_end_object (j);
  g_printerr ("rkecho / ring: %.4f, queue / ring: %.4f, rkecho / queue: "
      "%.2f (msg/s)\n", med[RKECHO] / med[RING], med[QUEUE] / med[RING],
      med[RKECHO] / med[QUEUE]);
  rk_json_loadavg (j, "loadavg_after");
  rk_json_end_object (j);

  for (guint c = 0; c < N_CONTENDERS; c++)
    g_free (desc[c]);
  g_free (rate);
  g_free (wall_rate);
}
