/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_HLC_H__
#define __GST_RK_HLC_H__

#include <glib.h>
#include "gstrkapi.h"

G_BEGIN_DECLS

/**
 * GstRkHlcTimestamp:
 * @physical: microseconds since the Unix epoch
 * @logical: logical counter within one physical microsecond
 * @node: the clock that issued the stamp
 *
 * A hybrid logical clock stamp. Stamps order lexicographically by
 * (physical, logical, node).
 */
typedef struct
{
  guint64 physical;
  guint32 logical;
  guint32 node;
} GstRkHlcTimestamp;

typedef guint64 (*GstRkHlcNowFunc) (gpointer user_data);

/*
 * The clock is one 64-bit word, physical << 12 | logical, changed with one
 * compare-and-swap, so a tick can never hand out a duplicate. 52 bits of
 * microseconds last until the year 2112. When more than 4096 stamps fall in
 * one microsecond the logical part carries into the physical part: stamps
 * stay unique and increasing, and run at most that many microseconds ahead.
 */
#define GST_RK_HLC_LOGICAL_BITS 12
#define GST_RK_HLC_LOGICAL_MASK ((1u << GST_RK_HLC_LOGICAL_BITS) - 1)

#define GST_RK_HLC_DEFAULT_MAX_DRIFT_US (G_USEC_PER_SEC)

typedef struct
{
  guint64 word;                 /* packed (physical, logical), atomically updated */
  guint32 node;
  guint64 max_drift_us;
  GstRkHlcNowFunc now;
  gpointer now_data;
} GstRkHlc;

GST_RK_API
void gst_rk_hlc_init (GstRkHlc * hlc, guint32 node, guint64 max_drift_us);
GST_RK_API
void gst_rk_hlc_set_now_func (GstRkHlc * hlc, GstRkHlcNowFunc func,
    gpointer user_data);

GST_RK_API
void gst_rk_hlc_tick (GstRkHlc * hlc, GstRkHlcTimestamp * out);
GST_RK_API
gboolean gst_rk_hlc_update (GstRkHlc * hlc, const GstRkHlcTimestamp * remote,
    GstRkHlcTimestamp * out, GError ** error);
GST_RK_API
gboolean gst_rk_hlc_check (GstRkHlc * hlc, const GstRkHlcTimestamp * remote,
    GError ** error);
GST_RK_API
void gst_rk_hlc_peek (GstRkHlc * hlc, GstRkHlcTimestamp * out);

GST_RK_API
gint gst_rk_hlc_timestamp_compare (const GstRkHlcTimestamp * a,
    const GstRkHlcTimestamp * b);

G_END_DECLS

#endif /* __GST_RK_HLC_H__ */
