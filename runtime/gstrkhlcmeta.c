/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkhlcmeta.h"

/**
 * gst_rk_hlc_meta_api_get_type:
 *
 * Returns: the #GType of the #GstRkHlcMeta API
 */
GType
gst_rk_hlc_meta_api_get_type (void)
{
  static GType type = 0;
  /* No tags: the stamp describes the message, not the memory or the video
   * layout, so it survives every transform. */
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("GstRkHlcMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
hlc_meta_init (GstMeta * meta, gpointer params, GstBuffer * buffer)
{
  GstRkHlcMeta *m = (GstRkHlcMeta *) meta;

  m->stamp.physical = 0;
  m->stamp.logical = 0;
  m->stamp.node = 0;
  m->kernel_id = 0;
  m->message_id = 0;
  m->correlation_id = 0;
  return TRUE;
}

static gboolean
hlc_meta_transform (GstBuffer * dest, GstMeta * meta, GstBuffer * buffer,
    GQuark type, gpointer data)
{
  GstRkHlcMeta *m = (GstRkHlcMeta *) meta;

  /* Copies, region copies and format conversions all keep the stamp. */
  return gst_buffer_add_rk_hlc_meta (dest, &m->stamp, m->kernel_id,
      m->message_id, m->correlation_id) != NULL;
}

/**
 * gst_rk_hlc_meta_get_info:
 *
 * Returns: (transfer none): the #GstMetaInfo of #GstRkHlcMeta
 */
const GstMetaInfo *
gst_rk_hlc_meta_get_info (void)
{
  static const GstMetaInfo *info = NULL;

  if (g_once_init_enter ((GstMetaInfo **) & info)) {
    const GstMetaInfo *mi = gst_meta_register (GST_RK_HLC_META_API_TYPE,
        "GstRkHlcMeta", sizeof (GstRkHlcMeta), hlc_meta_init, NULL,
        hlc_meta_transform);
    g_once_init_leave ((GstMetaInfo **) & info, (GstMetaInfo *) mi);
  }
  return info;
}

/**
 * gst_buffer_add_rk_hlc_meta:
 * @buffer: a #GstBuffer
 * @stamp: the HLC stamp
 * @kernel_id: the kernel that emitted the buffer, 0 for the host
 * @message_id: the message id within that kernel
 * @correlation_id: request/response correlation, 0 for none
 *
 * Adds the meta, or updates it in place when @buffer already has one (a
 * buffer carries one stamp: the latest).
 *
 * Returns: (transfer none): the meta
 */
GstRkHlcMeta *
gst_buffer_add_rk_hlc_meta (GstBuffer * buffer,
    const GstRkHlcTimestamp * stamp, guint32 kernel_id, guint64 message_id,
    guint64 correlation_id)
{
  GstRkHlcMeta *m;

  g_return_val_if_fail (gst_buffer_is_writable (buffer), NULL);

  m = gst_buffer_get_rk_hlc_meta (buffer);
  if (m == NULL)
    m = (GstRkHlcMeta *) gst_buffer_add_meta (buffer, GST_RK_HLC_META_INFO,
        NULL);
  m->stamp = *stamp;
  m->kernel_id = kernel_id;
  m->message_id = message_id;
  m->correlation_id = correlation_id;
  return m;
}

/**
 * gst_buffer_get_rk_hlc_meta:
 * @buffer: a #GstBuffer
 *
 * A function rather than a macro, so that language bindings can read a
 * buffer's stamp and ids.
 *
 * Returns: (transfer none) (nullable): the buffer's #GstRkHlcMeta, %NULL
 * when it has none
 */
GstRkHlcMeta *
gst_buffer_get_rk_hlc_meta (GstBuffer * buffer)
{
  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);

  return (GstRkHlcMeta *) gst_buffer_get_meta (buffer,
      GST_RK_HLC_META_API_TYPE);
}
