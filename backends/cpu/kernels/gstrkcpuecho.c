/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkcpukernel.h"

/* The payload moves from input to output without a copy; a request gets a
 * reply, anything else comes back as data. */
static gboolean
echo_process (GstRkCpuContext * ctx, GError ** error)
{
  GstBuffer *payload = ctx->msg->payload;

  ctx->msg->payload = NULL;
  return gst_rk_cpu_context_emit (ctx,
      ctx->msg->env.type == RK_MSG_REQUEST ? RK_MSG_REPLY : RK_MSG_DATA,
      payload, error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_echo = {
  .name = "echo",
  .process = echo_process,
};
