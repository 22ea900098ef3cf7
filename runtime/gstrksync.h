/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * GLib's GMutex and GCond are futex-based and built without
 * ThreadSanitizer, which therefore cannot see the ordering they give and
 * reports races on everything they protect. The runtime and backends lock
 * through these wrappers, which tell TSan about each acquire and release.
 * Without -fsanitize=thread they are the plain GLib calls.
 */
#ifndef __GST_RK_SYNC_H__
#define __GST_RK_SYNC_H__

#include <glib.h>

#ifdef __SANITIZE_THREAD__
#include <sanitizer/tsan_interface.h>
#define GST_RK_TSAN_ACQUIRE(addr) __tsan_acquire ((void *) (addr))
#define GST_RK_TSAN_RELEASE(addr) __tsan_release ((void *) (addr))
#else
#define GST_RK_TSAN_ACQUIRE(addr) ((void) 0)
#define GST_RK_TSAN_RELEASE(addr) ((void) 0)
#endif

static inline void
gst_rk_mutex_lock (GMutex * m)
{
  g_mutex_lock (m);
  GST_RK_TSAN_ACQUIRE (m);
}

static inline gboolean
gst_rk_mutex_trylock (GMutex * m)
{
  if (!g_mutex_trylock (m))
    return FALSE;
  GST_RK_TSAN_ACQUIRE (m);
  return TRUE;
}

static inline void
gst_rk_mutex_unlock (GMutex * m)
{
  GST_RK_TSAN_RELEASE (m);
  g_mutex_unlock (m);
}

static inline void
gst_rk_rec_mutex_lock (GRecMutex * m)
{
  g_rec_mutex_lock (m);
  GST_RK_TSAN_ACQUIRE (m);
}

static inline void
gst_rk_rec_mutex_unlock (GRecMutex * m)
{
  GST_RK_TSAN_RELEASE (m);
  g_rec_mutex_unlock (m);
}

static inline void
gst_rk_cond_wait (GCond * c, GMutex * m)
{
  GST_RK_TSAN_RELEASE (m);
  g_cond_wait (c, m);
  GST_RK_TSAN_ACQUIRE (m);
}

static inline gboolean
gst_rk_cond_wait_until (GCond * c, GMutex * m, gint64 end_time)
{
  gboolean ok;

  GST_RK_TSAN_RELEASE (m);
  ok = g_cond_wait_until (c, m, end_time);
  GST_RK_TSAN_ACQUIRE (m);
  return ok;
}

#endif /* __GST_RK_SYNC_H__ */
