/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CPU_KERNEL_H__
#define __GST_RK_CPU_KERNEL_H__

#include <gst/gst.h>
#include "gstrkdispatcher.h"
#include "gstrkcpupool.h"

G_BEGIN_DECLS

/*
 * How a kernel runs on the CPU backend. The CPU implementation of a kernel
 * is the reference every other backend is tested against.
 */

typedef struct _GstRkCpuContext GstRkCpuContext;

/**
 * GstRkCpuProcessFunc:
 *
 * Processes ctx->msg: reads its payload, updates ctx->state, emits zero or
 * more outputs with gst_rk_cpu_context_emit().
 */
typedef gboolean (*GstRkCpuProcessFunc) (GstRkCpuContext * ctx,
    GError ** error);

typedef struct _GstRkCpuKernel GstRkCpuKernel;

/**
 * GstRkCpuKernel:
 * @name: the kernel's registry name
 * @process: called once per message, in order
 * @reset_state: (nullable): puts fresh state in place; %NULL zeroes it
 * @user_data: for the implementation (user kernels keep their descriptor
 *   here); reachable as ctx->impl->user_data
 */
struct _GstRkCpuKernel
{
  const gchar *name;
  GstRkCpuProcessFunc process;
  void (*reset_state) (const GstRkCpuKernel * impl, gpointer state, gsize size,
      const GstRkParams * params);
  gconstpointer user_data;
};

/**
 * GstRkCpuContext:
 * @msg: the input; a kernel that forwards the payload unchanged may take
 *   msg->payload (set it to %NULL)
 * @config: the configuration the message was sent under
 * @params: &config->params
 * @state: the kernel's device state, kept across messages and deactivation
 * @state_size: its size in bytes
 * @grid_size: blocks to split data-parallel work into
 * @impl: the implementation being run
 */
struct _GstRkCpuContext
{
  GstRkMessage *msg;
  GstRkConfig *config;
  const GstRkParams *params;
  gpointer state;
  gsize state_size;
  guint grid_size;
  const GstRkCpuKernel *impl;

  /*< private >*/
  GstRkDispatcher *dispatcher;
  GstRkCpuPool *pool;
};

gboolean gst_rk_cpu_context_emit (GstRkCpuContext * ctx, guint32 type,
    GstBuffer * payload, GError ** error);
GstBuffer *gst_rk_cpu_context_alloc (GstRkCpuContext * ctx, gsize size,
    GError ** error);
void gst_rk_cpu_context_parallel_for (GstRkCpuContext * ctx, guint n_items,
    GstRkCpuRangeFunc func, gpointer user_data);

/* Built-in kernels (backends/cpu/kernels/) */
extern const GstRkCpuKernel gst_rk_cpu_kernel_echo;
extern const GstRkCpuKernel gst_rk_cpu_kernel_relay;

/* User kernels (backends/cpu/gstrkcpuuser.c) */
gconstpointer gst_rk_cpu_load_user_kernel (const gchar * path,
    const gchar * entry, GstRkKernelInfo * info, GError ** error);
extern const GstRkCpuKernel gst_rk_cpu_kernel_gray;
extern const GstRkCpuKernel gst_rk_cpu_kernel_blur;
extern const GstRkCpuKernel gst_rk_cpu_kernel_sobel;
extern const GstRkCpuKernel gst_rk_cpu_kernel_bgsub;
extern const GstRkCpuKernel gst_rk_cpu_kernel_fir;
extern const GstRkCpuKernel gst_rk_cpu_kernel_spectrum;
extern const GstRkCpuKernel gst_rk_cpu_kernel_anomaly;

G_END_DECLS

#endif /* __GST_RK_CPU_KERNEL_H__ */
