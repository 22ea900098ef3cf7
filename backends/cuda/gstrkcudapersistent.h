/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CUDA_PERSISTENT_H__
#define __GST_RK_CUDA_PERSISTENT_H__

#include "gstrkcudadevice.h"

G_BEGIN_DECLS

/*
 * The host side of a persistent CUDA kernel: memory layout and launch,
 * staging of inputs (stage records, arena slots), commands and their
 * acknowledgement, the flush target, the heartbeat watchdog, progress
 * reporting back to the runtime, and a bounded terminate. The device side is
 * gstrkcudaloop.h.
 */
typedef struct _GstRkCudaPersistent GstRkCudaPersistent;

/* Bounds of the protocol, in milliseconds */
#define GST_RK_CUDA_START_TIMEOUT_MS      5000
#define GST_RK_CUDA_COMMAND_TIMEOUT_MS    5000
#define GST_RK_CUDA_TERMINATE_TIMEOUT_MS  2000
#define GST_RK_CUDA_WATCHDOG_MS           1000

/* Frames on the device at once: arena slots per kernel (power of two) */
#define GST_RK_CUDA_MAX_FRAMES_IN_FLIGHT  4

GstRkCudaPersistent *gst_rk_cuda_persistent_launch (GstRkCudaDevice * dev,
    GstRkKernel * kernel, GError ** error);
gboolean gst_rk_cuda_persistent_command (GstRkCudaPersistent * p,
    guint32 command, GError ** error);
gboolean gst_rk_cuda_persistent_terminate (GstRkCudaPersistent * p,
    GError ** error);
void gst_rk_cuda_persistent_send (GstRkCudaPersistent * p);
void gst_rk_cuda_persistent_flush (GstRkCudaPersistent * p);
gboolean gst_rk_cuda_persistent_poll (GstRkCudaPersistent * p,
    GError ** error);
GstBuffer *gst_rk_cuda_persistent_fetch (GstRkCudaPersistent * p,
    const GstRkEnvelope * env);
void gst_rk_cuda_persistent_fill_stats (GstRkCudaPersistent * p,
    GstStructure * stats);

G_END_DECLS

#endif /* __GST_RK_CUDA_PERSISTENT_H__ */
