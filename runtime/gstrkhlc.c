/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkhlc.h"
#include "gstrkerror.h"

static guint64
default_now (gpointer user_data)
{
  return (guint64) g_get_real_time ();
}

/**
 * gst_rk_hlc_init:
 * @hlc: the clock to initialise
 * @node: this clock's node id, carried in every stamp
 * @max_drift_us: how far ahead of the local clock a received stamp may be
 *
 * Starts a clock reading real time (g_get_real_time()).
 */
void
gst_rk_hlc_init (GstRkHlc * hlc, guint32 node, guint64 max_drift_us)
{
  hlc->word = 0;
  hlc->node = node;
  hlc->max_drift_us = max_drift_us;
  hlc->now = default_now;
  hlc->now_data = NULL;
}

/**
 * gst_rk_hlc_set_now_func:
 * @hlc: a clock
 * @func: (scope forever): returns the physical time in µs
 * @user_data: (closure func): data for @func
 *
 * Replaces the physical clock (tests drive time with it).
 */
void
gst_rk_hlc_set_now_func (GstRkHlc * hlc, GstRkHlcNowFunc func,
    gpointer user_data)
{
  hlc->now = func ? func : default_now;
  hlc->now_data = user_data;
}

static inline guint64
pack (guint64 physical, guint64 logical)
{
  /* A logical part beyond the field carries into physical, keeping order. */
  return (physical << GST_RK_HLC_LOGICAL_BITS) + logical;
}

static inline void
unpack (guint64 word, guint32 node, GstRkHlcTimestamp * out)
{
  out->physical = word >> GST_RK_HLC_LOGICAL_BITS;
  out->logical = (guint32) (word & GST_RK_HLC_LOGICAL_MASK);
  out->node = node;
}

/* One CAS loop serves tick and update: new = max (old + 1, floor, pt).
 * @now is the physical time already read; a lost race reads it again (a
 * clock read is most of what a stamp costs). */
static guint64
advance (GstRkHlc * hlc, guint64 floor, guint64 now)
{
  guint64 old, new, pt = pack (now, 0);

  old = __atomic_load_n (&hlc->word, __ATOMIC_RELAXED);
  for (;;) {
    new = MAX (old + 1, MAX (pt, floor));
    if (__atomic_compare_exchange_n (&hlc->word, &old, new, TRUE,
            __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
      return new;
    pt = pack (hlc->now (hlc->now_data), 0);
  }
}

/**
 * gst_rk_hlc_tick:
 * @hlc: a clock
 * @out: (out caller-allocates): the new stamp
 *
 * Issues a stamp for a local event (sending a message): strictly greater
 * than every stamp this clock issued or received before.
 */
void
gst_rk_hlc_tick (GstRkHlc * hlc, GstRkHlcTimestamp * out)
{
  unpack (advance (hlc, 0, hlc->now (hlc->now_data)), hlc->node, out);
}

/* The drift rule, at physical time @now. */
static gboolean
check_remote (GstRkHlc * hlc, const GstRkHlcTimestamp * remote, guint64 now,
    GError ** error)
{
  guint64 remote_pt;

  /* Beyond the packing range (the year 2112, less room for a 32-bit logical
   * carry) a stamp is ahead by definition. */
  if (remote->physical >= (G_GUINT64_CONSTANT (1) << 52) - (1u << 21)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_CLOCK_DRIFT,
        "remote HLC stamp from node %u has physical time %" G_GUINT64_FORMAT
        " us, beyond the range of this clock", remote->node,
        remote->physical);
    return FALSE;
  }
  /* Judge drift on the packed value: a huge logical part moves it ahead too. */
  remote_pt = pack (remote->physical, remote->logical) >>
      GST_RK_HLC_LOGICAL_BITS;
  if (remote_pt > now && remote_pt - now > hlc->max_drift_us) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_CLOCK_DRIFT,
        "remote HLC stamp from node %u is %" G_GUINT64_FORMAT " us ahead of "
        "the local clock (maximum drift %" G_GUINT64_FORMAT " us)",
        remote->node, remote_pt - now, hlc->max_drift_us);
    return FALSE;
  }
  return TRUE;
}

/**
 * gst_rk_hlc_check:
 * @remote: a stamp from elsewhere
 *
 * Whether gst_rk_hlc_update() would take @remote now, without changing
 * the clock: the same GST_RK_ERROR_CLOCK_DRIFT otherwise.
 */
gboolean
gst_rk_hlc_check (GstRkHlc * hlc, const GstRkHlcTimestamp * remote,
    GError ** error)
{
  return check_remote (hlc, remote, hlc->now (hlc->now_data), error);
}

/**
 * gst_rk_hlc_update:
 * @hlc: a clock
 * @remote: the stamp a received message carries
 * @out: (out caller-allocates) (optional): the receive stamp
 * @error: return location for a #GError
 *
 * Merges a received stamp: the clock moves past both its own last stamp and
 * @remote. A @remote more than max-drift ahead of the local physical clock is
 * refused (GST_RK_ERROR_CLOCK_DRIFT) and leaves the clock unchanged.
 *
 * Returns: %TRUE when merged
 */
gboolean
gst_rk_hlc_update (GstRkHlc * hlc, const GstRkHlcTimestamp * remote,
    GstRkHlcTimestamp * out, GError ** error)
{
  guint64 now = hlc->now (hlc->now_data);
  guint64 word;

  if (!check_remote (hlc, remote, now, error))
    return FALSE;
  word = advance (hlc, pack (remote->physical, remote->logical) + 1, now);
  if (out)
    unpack (word, hlc->node, out);
  return TRUE;
}

/**
 * gst_rk_hlc_peek:
 * @hlc: a clock
 * @out: (out caller-allocates): the last stamp issued
 *
 * The last stamp issued or merged, without advancing.
 */
void
gst_rk_hlc_peek (GstRkHlc * hlc, GstRkHlcTimestamp * out)
{
  unpack (__atomic_load_n (&hlc->word, __ATOMIC_ACQUIRE), hlc->node, out);
}

/**
 * gst_rk_hlc_timestamp_compare:
 * @a: a stamp
 * @b: another stamp
 *
 * Returns: negative, 0 or positive as @a orders before, equal to or after
 * @b (by physical time, logical counter, then node)
 */
gint
gst_rk_hlc_timestamp_compare (const GstRkHlcTimestamp * a,
    const GstRkHlcTimestamp * b)
{
  if (a->physical != b->physical)
    return a->physical < b->physical ? -1 : 1;
  if (a->logical != b->logical)
    return a->logical < b->logical ? -1 : 1;
  if (a->node != b->node)
    return a->node < b->node ? -1 : 1;
  return 0;
}
