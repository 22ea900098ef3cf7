/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * gst-ringkernel: persistent ring kernels for GStreamer.
 *
 * The public API of libgstringkernel-1.0: the runtime an application
 * shares with a pipeline, kernels it can launch and talk to directly,
 * messages, the HLC clock and the buffer meta that carries its stamps.
 * The library exports exactly the functions these headers mark GST_RK_API
 * (gstrkapi.h), listed in runtime/gstringkernel.symbols.
 */
#ifndef __GST_RINGKERNEL_H__
#define __GST_RINGKERNEL_H__

#include <gst/gst.h>

#include "gstrkapi.h"
#include "gstrkabi.h"
#include "gstrkbackendkind.h"
#include "gstrkconfig.h"
#include "gstrkdevicememory.h"
#include "gstrkenumtypes.h"
#include "gstrkenvelope.h"
#include "gstrkerror.h"
#include "gstrkhlc.h"
#include "gstrkhlcmeta.h"
#include "gstrkhlcwire.h"
#include "gstrkinit.h"
#include "gstrkkernel.h"
#include "gstrkkernelinfo.h"
#include "gstrklaunchoptions.h"
#include "gstrkparams.h"
#include "gstrkregistry.h"
#include "gstrkruntime.h"
#include "gstrkstate.h"
#include "gstrkuserkernel.h"

#endif /* __GST_RINGKERNEL_H__ */
