/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_RING_H__
#define __GST_RK_RING_H__

#include <glib.h>
#include "gstrkabi.h"

G_BEGIN_DECLS

/*
 * A lock-free single-producer single-consumer ring over memory that a
 * backend hands in (host memory, mapped pinned memory, a host-visible Vulkan
 * buffer). The memory layout is RK_RING_* in gstrkabi.h. Positions are
 * monotonic 64-bit counters; slot = position & (capacity - 1).
 *
 * Each side works through its own view, so a view's cached copy of the other
 * side's index stays on the thread that uses it. The producer writes only
 * head and the consumer writes only tail, with release stores and acquire
 * loads. Several slots may be filled and published at once.
 */

typedef struct
{
  guint8 *base;                 /* ring memory: header, then slots */
  guint8 *slots;
  guint64 *head;                /* producer-owned */
  guint64 *tail;                /* consumer-owned */
  guint32 capacity;
  guint32 mask;
  guint32 slot_size;
  guint64 pos;                  /* this side's own index, cached */
  guint64 other;                /* last seen value of the other side's index */
} GstRkRingView;

typedef GstRkRingView GstRkRingProducer;
typedef GstRkRingView GstRkRingConsumer;

gsize gst_rk_ring_memory_size (guint32 capacity, guint32 slot_size);

gboolean gst_rk_ring_format (gpointer mem, gsize mem_size, guint32 capacity,
    guint32 slot_size, GError ** error);

gboolean gst_rk_ring_producer_init (GstRkRingProducer * p, gpointer mem,
    gsize mem_size, GError ** error);
gboolean gst_rk_ring_consumer_init (GstRkRingConsumer * c, gpointer mem,
    gsize mem_size, GError ** error);

/* Producer side */
guint32 gst_rk_ring_producer_free (GstRkRingProducer * p);
void gst_rk_ring_producer_publish (GstRkRingProducer * p, guint32 n);

/* Consumer side */
guint32 gst_rk_ring_consumer_available (GstRkRingConsumer * c);
void gst_rk_ring_consumer_release (GstRkRingConsumer * c, guint32 n);

/* Either side: depth as seen from shared memory (for stats, racy by nature) */
guint32 gst_rk_ring_depth (const GstRkRingView * v);

/**
 * gst_rk_ring_slot:
 * @i: offset from the view's own position (0 = next slot to fill/read)
 *
 * Returns: the slot at position v->pos + @i.
 */
static inline gpointer
gst_rk_ring_slot (const GstRkRingView * v, guint32 i)
{
  return v->slots + (gsize) ((v->pos + i) & v->mask) * v->slot_size;
}

/**
 * gst_rk_ring_position:
 *
 * Returns: the view's own index: the next position the producer will fill,
 * or the next position the consumer will read.
 */
static inline guint64
gst_rk_ring_position (const GstRkRingView * v)
{
  return v->pos;
}

static inline guint64
gst_rk_ring_load_acquire (const guint64 * p)
{
  return __atomic_load_n (p, __ATOMIC_ACQUIRE);
}

G_END_DECLS

#endif /* __GST_RK_RING_H__ */
