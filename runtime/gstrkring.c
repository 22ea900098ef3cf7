/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gstrkring.h"
#include "gstrkerror.h"

/* Slots hold GstRkEnvelope in host layout, which equals the wire layout only
 * on little-endian hosts (like every GPU we target). */
G_STATIC_ASSERT (G_BYTE_ORDER == G_LITTLE_ENDIAN);

gsize
gst_rk_ring_memory_size (guint32 capacity, guint32 slot_size)
{
  return RK_RING_HEADER_SIZE + (gsize) capacity * slot_size;
}

/**
 * gst_rk_ring_format:
 *
 * Writes a fresh header into @mem: both positions 0. Done once by the owner
 * of the memory (the backend) before either side attaches.
 */
gboolean
gst_rk_ring_format (gpointer mem, gsize mem_size, guint32 capacity,
    guint32 slot_size, GError ** error)
{
  guint8 *base = mem;

  if (capacity == 0 || (capacity & (capacity - 1)) != 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "ring capacity %u is not a power of two", capacity);
    return FALSE;
  }
  if (slot_size < RK_ENVELOPE_SIZE || slot_size % RK_RING_SLOT_ALIGN != 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "ring slot size %u is not a multiple of %u bytes of at least %u",
        slot_size, RK_RING_SLOT_ALIGN, RK_ENVELOPE_SIZE);
    return FALSE;
  }
  if (mem_size < gst_rk_ring_memory_size (capacity, slot_size)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "ring memory of %" G_GSIZE_FORMAT " bytes is too small for %u slots "
        "of %u bytes", mem_size, capacity, slot_size);
    return FALSE;
  }

  memset (base, 0, RK_RING_HEADER_SIZE);
  *(guint32 *) (base + RK_RING_OFF_CAPACITY) = capacity;
  *(guint32 *) (base + RK_RING_OFF_SLOT_SIZE) = slot_size;
  /* The magic goes last, released: a view that sees it sees the rest. */
  __atomic_store_n ((guint32 *) (base + RK_RING_OFF_MAGIC), RK_RING_MAGIC,
      __ATOMIC_RELEASE);
  return TRUE;
}

static gboolean
view_init (GstRkRingView * v, gpointer mem, gsize mem_size, gboolean producer,
    GError ** error)
{
  guint8 *base = mem;
  guint32 capacity, slot_size;

  memset (v, 0, sizeof (*v));
  if (mem_size < RK_RING_HEADER_SIZE ||
      __atomic_load_n ((guint32 *) (base + RK_RING_OFF_MAGIC),
          __ATOMIC_ACQUIRE) != RK_RING_MAGIC) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "ring memory is not formatted");
    return FALSE;
  }
  capacity = *(guint32 *) (base + RK_RING_OFF_CAPACITY);
  slot_size = *(guint32 *) (base + RK_RING_OFF_SLOT_SIZE);
  if (capacity == 0 || (capacity & (capacity - 1)) != 0 ||
      slot_size < RK_ENVELOPE_SIZE ||
      mem_size < gst_rk_ring_memory_size (capacity, slot_size)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "ring header is inconsistent (capacity %u, slot size %u)", capacity,
        slot_size);
    return FALSE;
  }

  v->base = base;
  v->slots = base + RK_RING_HEADER_SIZE;
  v->head = (guint64 *) (base + RK_RING_OFF_HEAD);
  v->tail = (guint64 *) (base + RK_RING_OFF_TAIL);
  v->capacity = capacity;
  v->mask = capacity - 1;
  v->slot_size = slot_size;
  if (producer) {
    v->pos = gst_rk_ring_load_acquire (v->head);
    v->other = gst_rk_ring_load_acquire (v->tail);
  } else {
    v->pos = gst_rk_ring_load_acquire (v->tail);
    v->other = gst_rk_ring_load_acquire (v->head);
  }
  return TRUE;
}

gboolean
gst_rk_ring_producer_init (GstRkRingProducer * p, gpointer mem,
    gsize mem_size, GError ** error)
{
  return view_init (p, mem, mem_size, TRUE, error);
}

gboolean
gst_rk_ring_consumer_init (GstRkRingConsumer * c, gpointer mem,
    gsize mem_size, GError ** error)
{
  return view_init (c, mem, mem_size, FALSE, error);
}

/**
 * gst_rk_ring_producer_free:
 *
 * Returns: how many slots the producer may fill now. Reads the consumer's
 * tail only when the cached copy says the ring is full.
 */
guint32
gst_rk_ring_producer_free (GstRkRingProducer * p)
{
  guint64 used = p->pos - p->other;

  if (used >= p->capacity) {
    p->other = gst_rk_ring_load_acquire (p->tail);
    used = p->pos - p->other;
  }
  return p->capacity - (guint32) used;
}

/**
 * gst_rk_ring_producer_publish:
 *
 * Makes the next @n filled slots visible to the consumer (one release store).
 */
void
gst_rk_ring_producer_publish (GstRkRingProducer * p, guint32 n)
{
  p->pos += n;
  __atomic_store_n (p->head, p->pos, __ATOMIC_RELEASE);
}

/**
 * gst_rk_ring_consumer_available:
 *
 * Returns: how many published slots the consumer may read now.
 */
guint32
gst_rk_ring_consumer_available (GstRkRingConsumer * c)
{
  if (c->other == c->pos)
    c->other = gst_rk_ring_load_acquire (c->head);
  return (guint32) (c->other - c->pos);
}

/**
 * gst_rk_ring_consumer_release:
 *
 * Hands the next @n read slots back to the producer.
 */
void
gst_rk_ring_consumer_release (GstRkRingConsumer * c, guint32 n)
{
  c->pos += n;
  __atomic_store_n (c->tail, c->pos, __ATOMIC_RELEASE);
}

guint32
gst_rk_ring_depth (const GstRkRingView * v)
{
  guint64 head = gst_rk_ring_load_acquire (v->head);
  guint64 tail = gst_rk_ring_load_acquire (v->tail);

  return head >= tail ? (guint32) MIN (head - tail, v->capacity) : 0;
}
