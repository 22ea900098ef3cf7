/* gstrkcudaapi.h against NVIDIA's own headers: every constant, handle type
 * and entry point the CUDA backend declares for itself must be the
 * toolkit's. Built only where the toolkit's headers are installed; a
 * mismatch fails the build, at the line that names it. */
#include <stdio.h>

#include <cuda.h>
#include <cudaTypedefs.h>
#include <nvrtc.h>

#define GST_RK_CUDA_API_LISTS_ONLY
#include "gstrkcudaapi.h"

#define CHECK_CONSTANT(name, value) \
  _Static_assert ((long long) (name) == (value), #name " is not " #value); \
  n_constants++;
#define CHECK_HANDLE(type, st) \
  _Static_assert (__builtin_types_compatible_p (type, struct st *), \
      #type " is not struct " #st " *"); \
  n_handles++;
#define CHECK_ENTRY_POINT(name, version, params) \
  _Static_assert (__builtin_types_compatible_p (PFN_##name##_v##version, \
          CUresult (CUDAAPI *) params), \
      "PFN_" #name "_v" #version " takes other parameters"); \
  n_entry_points++;
#define CHECK_NVRTC_FUNCTION(name, ret, params) \
  _Static_assert (__builtin_types_compatible_p (__typeof__ (&name), \
          ret (*) params), #name " takes other parameters"); \
  n_entry_points++;

int
main (void)
{
  int n_constants = 0, n_handles = 0, n_entry_points = 0;

  _Static_assert (__builtin_types_compatible_p (CUdevice, int), "CUdevice");
  _Static_assert (__builtin_types_compatible_p (CUdeviceptr,
          unsigned long long), "CUdeviceptr");
  _Static_assert (__builtin_types_compatible_p (nvrtcProgram,
          struct _nvrtcProgram *), "nvrtcProgram");

  GST_RK_CUDA_RESULTS (CHECK_CONSTANT);
  GST_RK_CUDA_DEVICE_ATTRIBUTES (CHECK_CONSTANT);
  GST_RK_CUDA_FUNCTION_ATTRIBUTES (CHECK_CONSTANT);
  GST_RK_CUDA_CAPTURE_MODES (CHECK_CONSTANT);
  GST_RK_CUDA_FLAGS (CHECK_CONSTANT);
  GST_RK_NVRTC_RESULTS (CHECK_CONSTANT);
  GST_RK_CUDA_HANDLES (CHECK_HANDLE);
  GST_RK_CUDA_ENTRY_POINTS (CHECK_ENTRY_POINT);
  GST_RK_NVRTC_FUNCTIONS (CHECK_NVRTC_FUNCTION);

  printf ("1..1\nok 1 - %d constants, %d handle types and %d entry points "
      "are the toolkit's (CUDA %d.%d)\n", n_constants, n_handles,
      n_entry_points, CUDA_VERSION / 1000, CUDA_VERSION % 1000 / 10);
  return 0;
}
