/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * User kernels on the CPU backend: a shared object whose entry point
 * returns an rk_cpu_kernel (runtime/rkuser.h). The module is opened by its
 * absolute path only and stays loaded for the life of the process (its code
 * is referenced by the registry). Each message reaches the user's process
 * function as an rk_cpu_message whose callbacks lead back here.
 */

#include <string.h>
#include <gmodule.h>

#include "gstrkcpukernel.h"
#include "gstrkerror.h"
#include "rkuser.h"

G_STATIC_ASSERT (sizeof (rk_params) == sizeof (GstRkParams));
G_STATIC_ASSERT (G_STRUCT_OFFSET (rk_params, param) ==
    G_STRUCT_OFFSET (GstRkParams, param));
G_STATIC_ASSERT (G_STRUCT_OFFSET (rk_params, sequence) ==
    G_STRUCT_OFFSET (GstRkParams, sequence));

typedef struct
{
  GstRkCpuKernel impl;
  const rk_cpu_kernel *user;
  gchar *name;
} UserCpuKernel;

/* One message's call into the user's code. */
typedef struct
{
  rk_cpu_message pub;
  GstRkCpuContext *ctx;
  GstMapInfo in_map;
  gboolean in_mapped;
  GstBuffer *out;
  GstMapInfo out_map;
} Call;

static guint32
output_type (Call * c, guint32 type)
{
  /* A request's outputs answer it. */
  if (c->ctx->msg->env.type == RK_MSG_REQUEST && type == RK_USER_MSG_DATA)
    return RK_MSG_REPLY;
  return type;
}

static void
drop_output (Call * c)
{
  if (c->out) {
    gst_buffer_unmap (c->out, &c->out_map);
    gst_clear_buffer (&c->out);
  }
}

static uint8_t *
call_alloc (rk_cpu_message * msg, size_t size)
{
  Call *c = msg->priv;

  drop_output (c);              /* an output allocated and never emitted */
  c->out = gst_rk_cpu_context_alloc (c->ctx, MAX (size, 1), NULL);
  if (c->out == NULL)
    return NULL;
  gst_buffer_map (c->out, &c->out_map, GST_MAP_WRITE);
  if (size == 0)
    gst_buffer_set_size (c->out, 0);
  return c->out_map.data;
}

static gboolean
valid_type (guint32 type)
{
  return type == RK_USER_MSG_DATA || type == RK_USER_MSG_REPLY ||
      type == RK_USER_MSG_NOTIFY;
}

static int
call_emit (rk_cpu_message * msg, uint32_t type)
{
  Call *c = msg->priv;
  GstBuffer *out = c->out;

  if (out == NULL || !valid_type (type))
    return -1;
  gst_buffer_unmap (out, &c->out_map);
  c->out = NULL;
  if (c->ctx->msg->payload)
    gst_buffer_copy_into (out, c->ctx->msg->payload,
        GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
  return gst_rk_cpu_context_emit (c->ctx, output_type (c, type), out, NULL) ?
      0 : -1;
}

static int
call_emit_input (rk_cpu_message * msg, uint32_t type)
{
  Call *c = msg->priv;
  GstBuffer *in = c->ctx->msg->payload;

  if (!valid_type (type))
    return -1;
  if (c->in_mapped) {
    gst_buffer_unmap (in, &c->in_map);
    c->in_mapped = FALSE;
  }
  msg->data = NULL;
  msg->size = 0;
  c->ctx->msg->payload = NULL;
  return gst_rk_cpu_context_emit (c->ctx, output_type (c, type), in, NULL) ?
      0 : -1;
}

typedef struct
{
  void (*fn) (uint32_t begin, uint32_t end, void *data);
  void *data;
} Range;

static void
range_trampoline (guint begin, guint end, gpointer user_data)
{
  Range *r = user_data;

  r->fn (begin, end, r->data);
}

static void
call_parallel_for (rk_cpu_message * msg, uint32_t n,
    void (*fn) (uint32_t begin, uint32_t end, void *data), void *data)
{
  Call *c = msg->priv;
  Range r = { fn, data };

  gst_rk_cpu_context_parallel_for (c->ctx, n, range_trampoline, &r);
}

static gboolean
user_process (GstRkCpuContext * ctx, GError ** error)
{
  const UserCpuKernel *uk = ctx->impl->user_data;
  GstBuffer *in = ctx->msg->payload;
  Call c = { 0 };
  int ret;

  c.ctx = ctx;
  c.pub.type = ctx->msg->env.type;
  c.pub.message_id = ctx->msg->env.message_id;
  c.pub.correlation_id = ctx->msg->env.correlation_id;
  c.pub.hlc.physical = ctx->msg->env.hlc_physical;
  c.pub.hlc.logical = ctx->msg->env.hlc_logical;
  c.pub.hlc.node = ctx->msg->env.hlc_node;
  c.pub.state = ctx->state;
  c.pub.state_size = ctx->state_size;
  c.pub.params = (const rk_params *) ctx->params;
  c.pub.alloc = call_alloc;
  c.pub.emit = call_emit;
  c.pub.emit_input = call_emit_input;
  c.pub.parallel_for = call_parallel_for;
  c.pub.priv = &c;
  if (in && gst_buffer_map (in, &c.in_map, GST_MAP_READ)) {
    c.in_mapped = TRUE;
    c.pub.data = c.in_map.data;
    c.pub.size = c.in_map.size;
  }

  ret = uk->user->process (&c.pub);

  drop_output (&c);
  if (c.in_mapped)
    gst_buffer_unmap (ctx->msg->payload, &c.in_map);
  if (ret != 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "user kernel %s failed on message %" G_GUINT64_FORMAT " (its process "
        "function returned %d)", uk->name, ctx->msg->env.message_id, ret);
    return FALSE;
  }
  return TRUE;
}

static void
user_reset_state (const GstRkCpuKernel * impl, gpointer state, gsize size,
    const GstRkParams * params)
{
  const UserCpuKernel *uk = impl->user_data;

  memset (state, 0, size);
  uk->user->init_state (state, size, (const rk_params *) params);
}

/**
 * gst_rk_cpu_load_user_kernel:
 * @path: absolute path of a shared object
 * @entry: the exported function returning the kernel's descriptor
 *
 * Returns: the CPU implementation of the user kernel, or %NULL with @error
 * naming what is wrong with the file.
 */
gconstpointer
gst_rk_cpu_load_user_kernel (const gchar * path, const gchar * entry,
    GstRkKernelInfo * info, GError ** error)
{
  GModule *module;
  rk_cpu_entry fn = NULL;
  const rk_cpu_kernel *k;
  UserCpuKernel *uk;

  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "cannot load kernel file %s: %s", path, g_module_error ());
    return NULL;
  }
  if (!g_module_symbol (module, entry, (gpointer *) & fn) || fn == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel file %s has no entry point %s (export a function "
        "`const rk_cpu_kernel *%s (void)`)", path, entry, entry);
    g_module_close (module);
    return NULL;
  }
  k = fn ();
  if (k == NULL || k->abi_version != RK_USER_ABI_VERSION) {
    if (k == NULL)
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
          "entry point %s of kernel file %s returned no kernel", entry, path);
    else
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
          "kernel file %s was built for ring-kernel ABI version %u; this "
          "plugin reads version %u", path, k->abi_version,
          RK_USER_ABI_VERSION);
    g_module_close (module);
    return NULL;
  }
  if (k->process == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel %s in %s has no process function", entry, path);
    g_module_close (module);
    return NULL;
  }

  /* The registry keeps pointers into the module: it stays. */
  g_module_make_resident (module);
  uk = g_new0 (UserCpuKernel, 1);
  uk->user = k;
  uk->name = g_strdup (k->name ? k->name : entry);
  uk->impl.name = uk->name;
  uk->impl.process = user_process;
  uk->impl.reset_state = k->init_state ? user_reset_state : NULL;
  uk->impl.user_data = uk;

  info->state_size = k->state_size;
  if (k->flags & RK_USER_FLAG_FRAME)
    info->kind = GST_RK_KERNEL_KIND_FRAME;
  return &uk->impl;
}
