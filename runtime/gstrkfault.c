/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:gstrkfault
 * @title: Fault injection
 *
 * A debug switch that makes any backend fail at a chosen point, so that
 * error paths (element errors, state changes that still complete, nothing
 * leaked) can be tested on every backend, GPU or not:
 *
 *   GST_RK_FAULT=<point>[:<kernel>][@<n>]
 *
 * <point> is launch, activate, stream or terminate (checked by the runtime
 * around the backend's calls), or alloc, pipeline or memory (checked inside
 * the backends, where they make the call, so that their own cleanup runs);
 * <kernel> limits it to one kernel name (e.g. echo). For stream, the device
 * fails once it has processed <n> messages (default 1); for alloc, pipeline
 * and memory, the <n>th such call fails (default the first), and only that
 * one. memory (payload memory on a device, GstRkDeviceMemory) belongs to no
 * kernel. Examples:
 *
 *   GST_RK_FAULT=launch:gray            rkgray fails to launch
 *   GST_RK_FAULT=stream:echo@1000       rkecho fails after 1000 messages
 *   GST_RK_FAULT=alloc:blur@2           rkblur's second allocation fails
 *
 * The variable is read at gst_rk_init(); tests call gst_rk_fault_configure().
 */

#include <stdlib.h>
#include <string.h>

#include <gst/gst.h>

#include "gstrkfault.h"
#include "gstrkerror.h"
#include "gstrksync.h"

static GMutex lock;
static GstRkFaultPoint fault_point;
static gchar *fault_kernel;
static guint64 fault_after = 1;
static guint64 fault_calls;     /* alloc, pipeline, memory: calls so far */
static guint fault_strikes;     /* ... and how many of them failed */

static const gchar *const point_names[] = {
  "none", "launch", "activate", "stream", "terminate", "alloc", "pipeline",
  "memory"
};

/**
 * gst_rk_fault_configure:
 * @spec: (nullable): a GST_RK_FAULT value, or %NULL / "" for no fault
 *
 * Returns: %FALSE with @error for a spec that does not parse (the previous
 * setting stays).
 */
gboolean
gst_rk_fault_configure (const gchar * spec, GError ** error)
{
  GstRkFaultPoint point = GST_RK_FAULT_NONE;
  gchar *kernel = NULL, *copy, *at, *colon;
  guint64 after = 1;
  guint i;

  if (spec && *spec) {
    copy = g_strdup (spec);
    if ((at = strchr (copy, '@'))) {
      gchar *end;

      *at++ = '\0';
      after = g_ascii_strtoull (at, &end, 10);
      if (*at == '\0' || *end != '\0' || after == 0) {
        g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
            "GST_RK_FAULT: \"%s\" is not a positive message count", at);
        g_free (copy);
        return FALSE;
      }
    }
    if ((colon = strchr (copy, ':'))) {
      *colon++ = '\0';
      kernel = g_strdup (colon);
    }
    for (i = 1; i < G_N_ELEMENTS (point_names); i++)
      if (strcmp (copy, point_names[i]) == 0)
        point = i;
    if (point == GST_RK_FAULT_NONE) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
          "GST_RK_FAULT: unknown fault point \"%s\" (launch, activate, "
          "stream, terminate, alloc, pipeline or memory)", copy);
      g_free (copy);
      g_free (kernel);
      return FALSE;
    }
    if (point == GST_RK_FAULT_MEMORY && kernel) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
          "GST_RK_FAULT: memory belongs to a device, not to kernel \"%s\"",
          kernel);
      g_free (copy);
      g_free (kernel);
      return FALSE;
    }
    g_free (copy);
  }

  gst_rk_mutex_lock (&lock);
  fault_point = point;
  g_free (fault_kernel);
  fault_kernel = kernel;
  fault_after = after;
  fault_calls = 0;
  fault_strikes = 0;
  gst_rk_mutex_unlock (&lock);
  return TRUE;
}

/**
 * gst_rk_fault_check:
 * @kernel: the kernel's registry name
 * @count: for GST_RK_FAULT_STREAM, messages processed so far
 *
 * Returns: %FALSE with an "injected fault" error when the configured fault
 * strikes here.
 */
gboolean
gst_rk_fault_check (GstRkFaultPoint point, const gchar * kernel,
    guint64 count, GError ** error)
{
  gboolean strike;

  /* Racy read first: the common case costs one load. */
  if (G_LIKELY (fault_point == GST_RK_FAULT_NONE))
    return TRUE;

  gst_rk_mutex_lock (&lock);
  strike = fault_point == point &&
      (fault_kernel == NULL || g_strcmp0 (fault_kernel, kernel) == 0) &&
      (point != GST_RK_FAULT_STREAM || count >= fault_after);
  gst_rk_mutex_unlock (&lock);
  if (!strike)
    return TRUE;

  if (point == GST_RK_FAULT_STREAM)
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "injected fault: the device running %s failed after %"
        G_GUINT64_FORMAT " messages", kernel, count);
  else
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "injected fault: %s of %s failed", point_names[point], kernel);
  return FALSE;
}

/**
 * gst_rk_fault_strikes:
 * @point: %GST_RK_FAULT_ALLOC, %GST_RK_FAULT_PIPELINE or
 *   %GST_RK_FAULT_MEMORY
 * @kernel: (nullable): the kernel's registry name; %NULL for memory
 *
 * Called by a backend just before it makes a call that @point stands for:
 * when %TRUE, the backend takes the call as failed (with the error the
 * call's real failure gives) and goes down its own failure path.
 *
 * Returns: whether the configured fault strikes this call
 */
gboolean
gst_rk_fault_strikes (GstRkFaultPoint point, const gchar * kernel)
{
  gboolean strike = FALSE;

  if (G_LIKELY (fault_point == GST_RK_FAULT_NONE))
    return FALSE;

  gst_rk_mutex_lock (&lock);
  if (fault_point == point &&
      (fault_kernel == NULL || g_strcmp0 (fault_kernel, kernel) == 0))
    strike = ++fault_calls == fault_after;
  fault_strikes += strike;
  gst_rk_mutex_unlock (&lock);
  if (strike)
    GST_WARNING ("injected fault: %s of %s", point_names[point],
        kernel ? kernel : "a device");
  return strike;
}

/**
 * gst_rk_fault_get_strikes:
 *
 * Returns: how many calls gst_rk_fault_strikes() failed since the fault was
 * configured: lets a test tell "the fault never came" from "it came and
 * was lost".
 */
guint
gst_rk_fault_get_strikes (void)
{
  guint n;

  gst_rk_mutex_lock (&lock);
  n = fault_strikes;
  gst_rk_mutex_unlock (&lock);
  return n;
}
