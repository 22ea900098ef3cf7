/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkkernelinfo.h"
#include "gstrkconfigprivate.h"
#include "gstrkerror.h"

/**
 * gst_rk_kernel_info_default_params:
 * @info: a kernel's descriptor
 *
 * Returns: (transfer full): a "params" structure with every parameter at its
 * default value (arrays empty).
 */
GstStructure *
gst_rk_kernel_info_default_params (const GstRkKernelInfo * info)
{
  GstStructure *s = gst_structure_new_empty ("params");
  guint i;

  for (i = 0; i < info->n_params; i++) {
    const GstRkParamInfo *p = &info->params[i];
    GValue v = G_VALUE_INIT;

    switch (p->type) {
      case GST_RK_PARAM_DOUBLE:
        g_value_init (&v, G_TYPE_DOUBLE);
        g_value_set_double (&v, p->default_value);
        break;
      case GST_RK_PARAM_INT:
        g_value_init (&v, G_TYPE_INT);
        g_value_set_int (&v, (gint) p->default_value);
        break;
      case GST_RK_PARAM_BOOLEAN:
        g_value_init (&v, G_TYPE_BOOLEAN);
        g_value_set_boolean (&v, p->default_value != 0.0);
        break;
      case GST_RK_PARAM_DOUBLE_ARRAY:
        g_value_init (&v, GST_TYPE_ARRAY);
        break;
      case GST_RK_PARAM_UINT64:
        g_value_init (&v, G_TYPE_UINT64);
        g_value_set_uint64 (&v, (guint64) p->default_value);
        break;
    }
    gst_structure_take_value (s, p->name, &v);
  }
  return s;
}

/* Numeric parameters with a slot land in params.param[slot] as floats. */
static void
fill_param_slots (const GstRkKernelInfo * info, GstRkParams * params,
    const GstStructure * values)
{
  guint i;

  for (i = 0; i < info->n_params; i++) {
    const GstRkParamInfo *p = &info->params[i];
    const GValue *v;

    if (p->slot < 0 || p->slot >= (gint) RK_PARAMS_N_PARAM)
      continue;
    v = gst_structure_get_value (values, p->name);
    if (v == NULL)
      continue;
    if (G_VALUE_HOLDS_DOUBLE (v))
      params->param[p->slot] = (gfloat) g_value_get_double (v);
    else if (G_VALUE_HOLDS_INT (v))
      params->param[p->slot] = (gfloat) g_value_get_int (v);
    else if (G_VALUE_HOLDS_UINT64 (v))
      params->param[p->slot] = (gfloat) g_value_get_uint64 (v);
    else if (G_VALUE_HOLDS_BOOLEAN (v))
      params->param[p->slot] = g_value_get_boolean (v) ? 1.0f : 0.0f;
  }
}

/* A configuration but for its sequence number: checking caps must not use
 * one up. */
static GstRkConfig *
build_config (const GstRkKernelInfo * info, GstCaps * sink_caps,
    const GstStructure * params, GError ** error)
{
  GstRkConfig *c = gst_rk_config_new ();

  c->sink_caps = sink_caps ? gst_caps_ref (sink_caps) : NULL;
  c->state_size = info->state_size;
  c->params.in_format = c->params.out_format = RK_FORMAT_BYTES;
  fill_param_slots (info, &c->params, params);

  /* Without caps (raw messages, or before negotiation) a kernel sees bytes
   * in and bytes out; its configure function only ever sees caps. */
  if (info->configure && sink_caps) {
    if (!info->configure (info, c, params, error)) {
      gst_rk_config_unref (c);
      return NULL;
    }
  } else if (sink_caps) {
    c->src_caps = gst_caps_ref (sink_caps);
  }
  return c;
}

/**
 * gst_rk_kernel_info_make_config:
 * @sink_caps: (nullable): negotiated input caps, %NULL for a stream without
 * @params: parameter values
 * @config: (out) (transfer full): the new configuration
 *
 * Builds the configuration messages are sent under. Without a configure
 * function the kernel passes bytes through and keeps the caps.
 */
gboolean
gst_rk_kernel_info_make_config (const GstRkKernelInfo * info,
    GstCaps * sink_caps, const GstStructure * params, GstRkConfig ** config,
    GError ** error)
{
  static guint32 sequence;
  GstRkConfig *c = build_config (info, sink_caps, params, error);

  if (c == NULL)
    return FALSE;
  c->params.sequence = g_atomic_int_add (&sequence, 1) + 1;
  *config = c;
  return TRUE;
}

/**
 * gst_rk_kernel_info_check_caps:
 * @info: a kernel's descriptor
 * @sink_caps: input caps
 * @params: (nullable): parameter values; %NULL for the defaults
 * @error: return location for a #GError
 *
 * Whether a kernel would take @sink_caps with @params, without side
 * effects and without a launched kernel: what an ACCEPT_CAPS query needs.
 * The pad template is the caller's to check.
 *
 * Returns: %TRUE if it would; %FALSE with the reason
 */
gboolean
gst_rk_kernel_info_check_caps (const GstRkKernelInfo * info,
    GstCaps * sink_caps, const GstStructure * params, GError ** error)
{
  GstStructure *defaults = NULL;
  GstRkConfig *c;

  if (params == NULL)
    params = defaults = gst_rk_kernel_info_default_params (info);
  c = build_config (info, sink_caps, params, error);
  if (defaults)
    gst_structure_free (defaults);
  if (c == NULL)
    return FALSE;
  gst_rk_config_unref (c);
  return TRUE;
}

/**
 * gst_rk_kernel_info_transform_caps:
 * @info: a kernel's descriptor
 * @direction: the pad @caps are on
 * @caps: caps on that pad
 * @filter: (nullable): caps to intersect the result with
 *
 * Returns: (transfer full): the caps possible on the other pad.
 */
GstCaps *
gst_rk_kernel_info_transform_caps (const GstRkKernelInfo * info,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter)
{
  GstCaps *res;

  if (info->transform_caps)
    res = info->transform_caps (info, direction, caps);
  else
    res = gst_caps_ref (caps);

  if (filter) {
    GstCaps *tmp = gst_caps_intersect_full (filter, res,
        GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref (res);
    res = tmp;
  }
  return res;
}
