/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkconfigprivate.h"

GstRkConfig *
gst_rk_config_new (void)
{
  return g_atomic_rc_box_new0 (GstRkConfig);
}

GstRkConfig *
gst_rk_config_ref (GstRkConfig * config)
{
  return g_atomic_rc_box_acquire (config);
}

static void
config_clear (gpointer data)
{
  GstRkConfig *config = data;

  gst_clear_caps (&config->sink_caps);
  gst_clear_caps (&config->src_caps);
  g_clear_pointer (&config->blob, g_bytes_unref);
}

void
gst_rk_config_unref (GstRkConfig * config)
{
  g_atomic_rc_box_release_full (config, config_clear);
}
