/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkcudaentry.cuh"
#include "gstrkcudaspectrum.h"

RK_CUDA_DEFINE_PHASED_ENTRIES (rk_cuda_spectrum_process, 3)
