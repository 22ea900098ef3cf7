/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkwakeup.h"

#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#endif

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause ()
#elif defined(__aarch64__)
#define cpu_relax() __asm__ volatile ("yield" ::: "memory")
#else
#define cpu_relax() do { } while (0)
#endif

#ifndef __linux__
/* Portable fallback: one process-wide lock, only taken on the slow path. */
static GMutex fallback_lock;
static GCond fallback_cond;
#endif

void
gst_rk_wakeup_init (GstRkWakeup * w)
{
  w->seq = 0;
  w->waiters = 0;
}

guint32
gst_rk_wakeup_prepare (GstRkWakeup * w)
{
  __atomic_add_fetch (&w->waiters, 1, __ATOMIC_SEQ_CST);
  return __atomic_load_n (&w->seq, __ATOMIC_SEQ_CST);
}

void
gst_rk_wakeup_cancel (GstRkWakeup * w)
{
  __atomic_sub_fetch (&w->waiters, 1, __ATOMIC_SEQ_CST);
}

/**
 * gst_rk_wakeup_commit:
 * @deadline: g_get_monotonic_time() value, or GST_RK_WAIT_FOREVER
 *
 * Sleeps until a notify after the matching prepare, or @deadline. May return
 * early (spuriously); callers re-check their condition.
 */
void
gst_rk_wakeup_commit (GstRkWakeup * w, guint32 token, gint64 deadline)
{
#ifdef __linux__
  struct timespec ts, *tsp = NULL;

  if (deadline != GST_RK_WAIT_FOREVER) {
    /* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC time, the clock
     * behind g_get_monotonic_time(). */
    ts.tv_sec = deadline / G_USEC_PER_SEC;
    ts.tv_nsec = (deadline % G_USEC_PER_SEC) * 1000;
    tsp = &ts;
  }
  if (__atomic_load_n (&w->seq, __ATOMIC_SEQ_CST) == token)
    syscall (SYS_futex, &w->seq, FUTEX_WAIT_BITSET_PRIVATE, token, tsp, NULL,
        FUTEX_BITSET_MATCH_ANY);
#else
  g_mutex_lock (&fallback_lock);
  while (__atomic_load_n (&w->seq, __ATOMIC_SEQ_CST) == token) {
    if (deadline == GST_RK_WAIT_FOREVER)
      g_cond_wait (&fallback_cond, &fallback_lock);
    else if (!g_cond_wait_until (&fallback_cond, &fallback_lock, deadline))
      break;
  }
  g_mutex_unlock (&fallback_lock);
#endif
  __atomic_sub_fetch (&w->waiters, 1, __ATOMIC_SEQ_CST);
}

/**
 * gst_rk_wakeup_notify:
 *
 * Call after making a waiter's condition true.
 */
void
gst_rk_wakeup_notify (GstRkWakeup * w)
{
  /* Orders the caller's condition store before the waiters load (Dekker
   * with the waiter's increment in prepare). ThreadSanitizer does not model
   * fences, so its builds use the equivalent read-modify-write. */
#ifdef __SANITIZE_THREAD__
  if (__atomic_fetch_add (&w->waiters, 0, __ATOMIC_SEQ_CST) == 0)
    return;
#else
  __atomic_thread_fence (__ATOMIC_SEQ_CST);
  if (__atomic_load_n (&w->waiters, __ATOMIC_RELAXED) == 0)
    return;
#endif

  __atomic_add_fetch (&w->seq, 1, __ATOMIC_SEQ_CST);
#ifdef __linux__
  syscall (SYS_futex, &w->seq, FUTEX_WAKE_PRIVATE, G_MAXINT, NULL, NULL, 0);
#else
  g_mutex_lock (&fallback_lock);
  g_cond_broadcast (&fallback_cond);
  g_mutex_unlock (&fallback_lock);
#endif
}

/**
 * gst_rk_wakeup_wait:
 * @spins: how many times to poll @ready before sleeping
 * @deadline: g_get_monotonic_time() value, or GST_RK_WAIT_FOREVER
 *
 * Returns: %TRUE once @ready returned %TRUE, %FALSE at the deadline.
 */
gboolean
gst_rk_wakeup_wait (GstRkWakeup * w, GstRkReadyFunc ready, gpointer user_data,
    guint spins, gint64 deadline)
{
  guint i;

  for (i = 0; i < spins; i++) {
    if (ready (user_data))
      return TRUE;
    cpu_relax ();
  }

  while (!ready (user_data)) {
    guint32 token;

    if (deadline != GST_RK_WAIT_FOREVER && g_get_monotonic_time () >= deadline)
      return FALSE;
    token = gst_rk_wakeup_prepare (w);
    if (ready (user_data)) {
      gst_rk_wakeup_cancel (w);
      break;
    }
    gst_rk_wakeup_commit (w, token, deadline);
  }
  return TRUE;
}
