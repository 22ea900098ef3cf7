/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * GST_RK_API: what libgstringkernel-1.0 exports.
 *
 * The library is compiled with hidden symbol visibility, so a function is
 * part of its ABI only when its declaration in an installed header carries
 * GST_RK_API. Building the library defines BUILDING_GST_RK, which turns the
 * mark into an export; everyone else sees an import. runtime/
 * gstringkernel.symbols lists the result and a test compares it with what
 * the built library exports.
 *
 * (Not to be confused with gstrkabi.h, the byte layouts shared with the
 * devices.)
 */
#ifndef __GST_RK_API_H__
#define __GST_RK_API_H__

#include <gst/gstconfig.h>

#ifndef GST_RK_API
#ifdef BUILDING_GST_RK
#define GST_RK_API GST_API_EXPORT
#else
#define GST_RK_API GST_API_IMPORT
#endif
#endif

#endif /* __GST_RK_API_H__ */
