/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkcpukernel.h"

/* Every message goes on as what it is: a request out to the far kernel, a
 * reply from it back to its caller (the runtime routes it by correlation
 * id), data through. */
static gboolean
relay_process (GstRkCpuContext * ctx, GError ** error)
{
  GstBuffer *payload = ctx->msg->payload;

  ctx->msg->payload = NULL;
  return gst_rk_cpu_context_emit (ctx, ctx->msg->env.type, payload, error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_relay = {
  .name = "relay",
  .process = relay_process,
};
