/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CUDA_EVENT_H__
#define __GST_RK_CUDA_EVENT_H__

#include "gstrkcudadevice.h"

G_BEGIN_DECLS

/*
 * Event-driven CUDA kernels: a host thread runs the runtime's dispatcher
 * and launches the kernel's rk_event entry per frame (over the whole grid)
 * or per batch of messages (one block), then waits for the stream. The
 * same device code as the persistent mode; for comparison, and for GPUs
 * where persistent kernels are unsafe (a display watchdog).
 */
typedef struct _GstRkCudaEvent GstRkCudaEvent;

/* Messages one launch (one block) takes at most */
#define GST_RK_CUDA_MAX_BATCH 64

GstRkCudaEvent *gst_rk_cuda_event_launch (GstRkCudaDevice * dev,
    GstRkKernel * kernel, GError ** error);
gboolean gst_rk_cuda_event_command (GstRkCudaEvent * e, guint32 command,
    GError ** error);
gboolean gst_rk_cuda_event_terminate (GstRkCudaEvent * e, GError ** error);
void gst_rk_cuda_event_send (GstRkCudaEvent * e);
void gst_rk_cuda_event_fill_stats (GstRkCudaEvent * e, GstStructure * stats);

G_END_DECLS

#endif /* __GST_RK_CUDA_EVENT_H__ */
