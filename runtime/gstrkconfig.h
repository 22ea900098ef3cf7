/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CONFIG_H__
#define __GST_RK_CONFIG_H__

#include <gst/gst.h>
#include "gstrkparams.h"

G_BEGIN_DECLS

/**
 * GstRkConfig:
 * @params: dispatch parameters for every message sent under this config
 * @sink_caps: (nullable): the caps it was made from; %NULL for raw messages
 * @src_caps: (nullable): the caps of the outputs; %NULL when unknown
 * @state_size: bytes of device state the kernel needs
 * @blob: (nullable): extra read-only parameter data (e.g. FIR taps)
 *
 * One negotiated configuration of a kernel: immutable and reference-counted.
 * Every message carries a reference to the config in force when it was
 * sent, so a caps or parameter change applies exactly from the next message.
 */
typedef struct
{
  GstRkParams params;
  GstCaps *sink_caps;
  GstCaps *src_caps;
  gsize state_size;
  GBytes *blob;
} GstRkConfig;

G_END_DECLS

#endif /* __GST_RK_CONFIG_H__ */
