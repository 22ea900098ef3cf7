/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CPU_SCRATCH_H__
#define __GST_RK_CPU_SCRATCH_H__

#include <glib.h>

G_BEGIN_DECLS

/* Scratch slots per thread: a kernel may use several at once. */
#define GST_RK_CPU_SCRATCH_SLOTS 4

gpointer gst_rk_cpu_scratch (guint slot, gsize size);

G_END_DECLS

#endif /* __GST_RK_CPU_SCRATCH_H__ */
