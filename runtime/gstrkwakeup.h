/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_WAKEUP_H__
#define __GST_RK_WAKEUP_H__

#include <glib.h>

G_BEGIN_DECLS

/*
 * An event count: lets a thread sleep until another thread changes some
 * condition, without a lock on the fast path. Notifying costs one fence and
 * one load when nobody sleeps, so the ring fast paths can notify after every
 * batch. A waiter does:
 *
 *   while (!ready ()) {
 *     guint32 token = gst_rk_wakeup_prepare (w);
 *     if (ready ()) { gst_rk_wakeup_cancel (w); break; }
 *     gst_rk_wakeup_commit (w, token, deadline);
 *   }
 *
 * gst_rk_wakeup_wait() wraps that loop around a predicate.
 */
typedef struct
{
  guint32 seq;
  guint32 waiters;
} GstRkWakeup;

typedef gboolean (*GstRkReadyFunc) (gpointer user_data);

void gst_rk_wakeup_init (GstRkWakeup * w);

guint32 gst_rk_wakeup_prepare (GstRkWakeup * w);
void gst_rk_wakeup_cancel (GstRkWakeup * w);
void gst_rk_wakeup_commit (GstRkWakeup * w, guint32 token, gint64 deadline);

void gst_rk_wakeup_notify (GstRkWakeup * w);

gboolean gst_rk_wakeup_wait (GstRkWakeup * w, GstRkReadyFunc ready,
    gpointer user_data, guint spins, gint64 deadline);

/* Deadline meaning "no deadline" for gst_rk_wakeup_commit/wait; the public
 * gstrkkernel.h defines it too, for the kernel API (the compiler checks that
 * the two agree wherever both are included). */
#define GST_RK_WAIT_FOREVER G_MAXINT64

G_END_DECLS

#endif /* __GST_RK_WAKEUP_H__ */
