/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stddef.h>
#include <string.h>

#include <gmodule.h>
#include <gst/gst.h>

#include "gstrkcudadriver.h"
#include "gstrkerror.h"

#define DRIVER_LIBRARY "libcuda.so.1"

typedef struct
{
  const gchar *symbol;          /* the versioned ABI name */
  const gchar *fallback;        /* an older name with the same signature */
  gsize offset;
  gboolean optional;
} Entry;

#define REQ(field, symbol) { symbol, NULL, offsetof (GstRkCudaDriver, field), FALSE }
#define OPT(field, symbol, fallback) \
  { symbol, fallback, offsetof (GstRkCudaDriver, field), TRUE }

static const Entry entries[] = {
  REQ (Init, "cuInit"),
  REQ (DriverGetVersion, "cuDriverGetVersion"),
  REQ (GetErrorName, "cuGetErrorName"),
  REQ (GetErrorString, "cuGetErrorString"),
  REQ (DeviceGetCount, "cuDeviceGetCount"),
  REQ (DeviceGet, "cuDeviceGet"),
  REQ (DeviceGetName, "cuDeviceGetName"),
  REQ (DeviceGetAttribute, "cuDeviceGetAttribute"),
  REQ (DevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain"),
  REQ (DevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2"),
  REQ (CtxPushCurrent, "cuCtxPushCurrent_v2"),
  REQ (CtxPopCurrent, "cuCtxPopCurrent_v2"),
  REQ (MemHostAlloc, "cuMemHostAlloc"),
  REQ (MemFreeHost, "cuMemFreeHost"),
  REQ (MemHostGetDevicePointer, "cuMemHostGetDevicePointer_v2"),
  REQ (MemAlloc, "cuMemAlloc_v2"),
  REQ (MemFree, "cuMemFree_v2"),
  REQ (MemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2"),
  REQ (MemcpyDtoHAsync, "cuMemcpyDtoHAsync_v2"),
  REQ (MemsetD8Async, "cuMemsetD8Async"),
  REQ (StreamCreate, "cuStreamCreate"),
  REQ (StreamDestroy, "cuStreamDestroy_v2"),
  REQ (StreamSynchronize, "cuStreamSynchronize"),
  REQ (StreamQuery, "cuStreamQuery"),
  REQ (StreamWaitEvent, "cuStreamWaitEvent"),
  REQ (EventCreate, "cuEventCreate"),
  REQ (EventRecord, "cuEventRecord"),
  REQ (EventSynchronize, "cuEventSynchronize"),
  REQ (EventDestroy, "cuEventDestroy_v2"),
  REQ (ModuleLoadData, "cuModuleLoadData"),
  REQ (ModuleUnload, "cuModuleUnload"),
  REQ (ModuleGetFunction, "cuModuleGetFunction"),
  REQ (LaunchKernel, "cuLaunchKernel"),
  REQ (LaunchCooperativeKernel, "cuLaunchCooperativeKernel"),
  REQ (OccupancyMaxActiveBlocksPerMultiprocessor,
      "cuOccupancyMaxActiveBlocksPerMultiprocessor"),
  REQ (FuncGetAttribute, "cuFuncGetAttribute"),
  OPT (MemAllocAsync, "cuMemAllocAsync", NULL),
  OPT (MemFreeAsync, "cuMemFreeAsync", NULL),
  OPT (FuncLoad, "cuFuncLoad", NULL),
  OPT (EventElapsedTime, "cuEventElapsedTime_v2", "cuEventElapsedTime"),
  OPT (StreamBeginCapture, "cuStreamBeginCapture_v2", NULL),
  OPT (StreamEndCapture, "cuStreamEndCapture", NULL),
  OPT (GraphInstantiateWithFlags, "cuGraphInstantiateWithFlags", NULL),
  OPT (GraphLaunch, "cuGraphLaunch", NULL),
  OPT (GraphExecDestroy, "cuGraphExecDestroy", NULL),
  OPT (GraphDestroy, "cuGraphDestroy", NULL),
};

static GstRkCudaDriver driver;
static gchar *load_reason;

static gboolean
load_symbols (GModule * module, const gchar * library)
{
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++) {
    const Entry *e = &entries[i];
    gpointer *slot = (gpointer *) ((guint8 *) & driver + e->offset);

    if (g_module_symbol (module, e->symbol, slot))
      continue;
    if (e->fallback && g_module_symbol (module, e->fallback, slot))
      continue;
    *slot = NULL;
    if (!e->optional) {
      load_reason = g_strdup_printf ("%s has no %s (driver too old?)",
          library, e->symbol);
      return FALSE;
    }
  }
  return TRUE;
}

GST_DEBUG_CATEGORY_EXTERN (gst_rk_cuda_debug);

/* A context's streams share CUDA_DEVICE_MAX_CONNECTIONS hardware work
 * queues (8 unless set), assigned in turn: a stream sharing one with a
 * persistent kernel, which never ends, waits forever (every element has
 * three streams). The driver's most, 32, makes that rarer; a value the
 * user set is kept. cuInit reads it, so it is set before, once per
 * process, when the driver is first probed. */
#define MAX_CONNECTIONS_ENV "CUDA_DEVICE_MAX_CONNECTIONS"
#define MAX_CONNECTIONS     "32"

static void
raise_connections (void)
{
  if (g_getenv (MAX_CONNECTIONS_ENV) != NULL)
    return;
  g_setenv (MAX_CONNECTIONS_ENV, MAX_CONNECTIONS, FALSE);
  if (gst_rk_cuda_debug)
    GST_CAT_INFO (gst_rk_cuda_debug, "set %s=%s before cuInit: fewer "
        "streams share a hardware queue with a persistent kernel",
        MAX_CONNECTIONS_ENV, MAX_CONNECTIONS);
}

static gboolean
load (void)
{
  const gchar *library = g_getenv ("GST_RK_CUDA_DRIVER");
  GModule *module;
  CUresult res;

  if (library == NULL || *library == '\0')
    library = DRIVER_LIBRARY;
  module = g_module_open (library, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL) {
    const gchar *why = g_module_error ();

    if (why && strstr (why, "No such file"))
      load_reason = g_strdup_printf ("%s not found", library);
    else
      load_reason = g_strdup_printf ("cannot load %s: %s", library, why);
    return FALSE;
  }
  if (!load_symbols (module, library)) {
    g_module_close (module);
    return FALSE;
  }

  /* The toolkit's stub library answers CUDA_ERROR_STUB_LIBRARY here. The
   * module stays open: a driver is never unloaded. */
  raise_connections ();
  res = driver.Init (0);
  if (res != CUDA_SUCCESS) {
    gchar *what = gst_rk_cuda_result_describe (res);

    load_reason = g_strdup_printf ("cuInit failed: %s", what);
    g_free (what);
    memset (&driver, 0, sizeof (driver));
    return FALSE;
  }
  g_module_make_resident (module);
  return TRUE;
}

/**
 * gst_rk_cuda_driver_get:
 * @reason: (out) (optional): why the driver cannot be used
 *
 * Loads and initialises the driver once per process.
 *
 * Returns: (nullable): the driver's entry points, or %NULL
 */
const GstRkCudaDriver *
gst_rk_cuda_driver_get (const gchar ** reason)
{
  static gsize done = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&done)) {
    ok = load ();
    g_once_init_leave (&done, 1);
  }
  if (!ok && reason)
    *reason = load_reason;
  return ok ? &driver : NULL;
}

/* Names for when the driver cannot give them (the stub library cannot). */
static const struct
{
  CUresult result;
  const gchar *name;
} names[] = {
#define N(x) { x, #x }
  N (CUDA_SUCCESS),
  N (CUDA_ERROR_INVALID_VALUE),
  N (CUDA_ERROR_OUT_OF_MEMORY),
  N (CUDA_ERROR_NOT_INITIALIZED),
  N (CUDA_ERROR_DEINITIALIZED),
  N (CUDA_ERROR_STUB_LIBRARY),
  N (CUDA_ERROR_NO_DEVICE),
  N (CUDA_ERROR_INVALID_DEVICE),
  N (CUDA_ERROR_INVALID_IMAGE),
  N (CUDA_ERROR_INVALID_CONTEXT),
  N (CUDA_ERROR_NO_BINARY_FOR_GPU),
  N (CUDA_ERROR_INVALID_PTX),
  N (CUDA_ERROR_UNSUPPORTED_PTX_VERSION),
  N (CUDA_ERROR_INVALID_HANDLE),
  N (CUDA_ERROR_NOT_FOUND),
  N (CUDA_ERROR_NOT_READY),
  N (CUDA_ERROR_ILLEGAL_ADDRESS),
  N (CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES),
  N (CUDA_ERROR_LAUNCH_TIMEOUT),
  N (CUDA_ERROR_HARDWARE_STACK_ERROR),
  N (CUDA_ERROR_ILLEGAL_INSTRUCTION),
  N (CUDA_ERROR_MISALIGNED_ADDRESS),
  N (CUDA_ERROR_INVALID_ADDRESS_SPACE),
  N (CUDA_ERROR_INVALID_PC),
  N (CUDA_ERROR_LAUNCH_FAILED),
  N (CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE),
  N (CUDA_ERROR_NOT_SUPPORTED),
  N (CUDA_ERROR_SYSTEM_DRIVER_MISMATCH),
  N (CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE),
  N (CUDA_ERROR_UNKNOWN),
#undef N
};

/**
 * gst_rk_cuda_result_name:
 *
 * Returns: "CUDA_ERROR_..." for @result (the driver's own name when it can
 * give one), or "CUresult" for a code nobody knows.
 */
const gchar *
gst_rk_cuda_result_name (CUresult result)
{
  const gchar *name = NULL;

  if (driver.GetErrorName && driver.GetErrorName (result, &name) ==
      CUDA_SUCCESS && name)
    return name;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i].result == result)
      return names[i].name;
  return "CUresult";
}

/**
 * gst_rk_cuda_result_describe:
 *
 * Returns: (transfer full): "NAME (code)", e.g.
 * "CUDA_ERROR_STUB_LIBRARY (34)"
 */
gchar *
gst_rk_cuda_result_describe (CUresult result)
{
  return g_strdup_printf ("%s (%d)", gst_rk_cuda_result_name (result),
      (gint) result);
}

/**
 * gst_rk_cuda_check:
 * @what: the call, for the message ("cuMemAlloc")
 *
 * Returns: %TRUE on CUDA_SUCCESS; otherwise %FALSE with @error set to
 * "@what failed: NAME (code)".
 */
gboolean
gst_rk_cuda_check (CUresult result, const gchar * what, GError ** error)
{
  gchar *desc;

  if (result == CUDA_SUCCESS)
    return TRUE;
  desc = gst_rk_cuda_result_describe (result);
  g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE, "%s failed: %s", what,
      desc);
  g_free (desc);
  return FALSE;
}
