/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * CUDA user kernels: a .cu file compiled at run time by NVRTC.
 *
 * libnvrtc is opened with GModule at first use (GST_RK_CUDA_NVRTC names
 * another library; else libnvrtc.so.13, .so.12, libnvrtc.so from the
 * loader's path); gstrkcudaapi.h declares what is used of it, nothing
 * links it. The user's source is compiled between the device protocol
 * headers and rkuser-cuda.h (embedded at build time) and a tail that wraps
 * its entry function into the persistent and event-driven entry points
 * (gstrkcudaentry.cuh), for compute_<GST_RK_CUDA_MIN_CC>: PTX that every
 * GPU the backend accepts compiles at load, and a target that needs no
 * GPU, so compile errors are found without one. The module must declare
 * RK_USER_KERNEL (...): its ABI version, state size and flags are read
 * from the PTX.
 */

#include <string.h>
#include <gmodule.h>
#include "gstrkcudaapi.h"

#include "gstrkcudakernel.h"
#include "gstrkcudauser.h"
#include "rkhdr-abi.h"
#include "rkhdr-protocol.h"
#include "rkhdr-portable.h"
#include "rkhdr-job.h"
#include "rkhdr-loop.h"
#include "rkhdr-entry.h"
#include "rkhdr-user.h"
#include "gstrkerror.h"
#include "gstrksync.h"
#include "rkuser.h"

typedef struct
{
  GModule *module;
  __typeof__ (nvrtcCreateProgram) *create;
  __typeof__ (nvrtcDestroyProgram) *destroy;
  __typeof__ (nvrtcCompileProgram) *compile;
  __typeof__ (nvrtcGetPTXSize) *ptx_size;
  __typeof__ (nvrtcGetPTX) *ptx;
  __typeof__ (nvrtcGetProgramLogSize) *log_size;
  __typeof__ (nvrtcGetProgramLog) *log;
  __typeof__ (nvrtcGetErrorString) *error_string;
} Nvrtc;

static GMutex nvrtc_lock;
static gint n_loads;

/* Opens libnvrtc once per process (a failure is retried: the environment
 * may change between tries in tests) */
static const Nvrtc *
nvrtc_get (GError ** error)
{
  static Nvrtc nv;
  static const gchar *names[] = { "libnvrtc.so.13", "libnvrtc.so.12",
    "libnvrtc.so"
  };
  const gchar *env = g_getenv ("GST_RK_CUDA_NVRTC");
  GString *tried;
  const Nvrtc *ret = NULL;

  gst_rk_mutex_lock (&nvrtc_lock);
  if (nv.module) {
    gst_rk_mutex_unlock (&nvrtc_lock);
    return &nv;
  }
  tried = g_string_new (NULL);
  for (guint i = 0; i < (env && *env ? 1 : G_N_ELEMENTS (names)); i++) {
    const gchar *name = env && *env ? env : names[i];
    GModule *m = g_module_open (name, G_MODULE_BIND_LOCAL);

    g_string_append_printf (tried, "%s%s", tried->len ? ", " : "", name);
    if (m == NULL)
      continue;
#define SYM(field, sym) g_module_symbol (m, #sym, (gpointer *) &nv.field)
    if (SYM (create, nvrtcCreateProgram) && SYM (destroy, nvrtcDestroyProgram)
        && SYM (compile, nvrtcCompileProgram) && SYM (ptx_size,
            nvrtcGetPTXSize) && SYM (ptx, nvrtcGetPTX) && SYM (log_size,
            nvrtcGetProgramLogSize) && SYM (log, nvrtcGetProgramLog) &&
        SYM (error_string, nvrtcGetErrorString)) {
      nv.module = m;
      ret = &nv;
      break;
    }
#undef SYM
    g_string_append (tried, " (not NVRTC)");
    g_module_close (m);
  }
  gst_rk_mutex_unlock (&nvrtc_lock);
  if (ret == NULL)
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "NVRTC unavailable: no usable libnvrtc (tried %s; "
        "GST_RK_CUDA_NVRTC names another)", tried->str);
  g_string_free (tried, TRUE);
  return ret;
}

/* What follows the user's source: the output functions and the entry
 * points around RK_USER_ENTRY */
static const gchar wrapper_tail[] =
    "\n#line 1 \"<rk-user-wrapper>\"\n"
    "__device__ unsigned char *\n"
    "rk_cuda_output (rk_cuda_message * msg, unsigned int size)\n"
    "{\n"
    "  RkCudaJob *job = (RkCudaJob *) msg->priv;\n"
    "  return size <= job->out_capacity ?\n"
    "      (unsigned char *) (uintptr_t) job->out_ptr : 0;\n"
    "}\n"
    "__device__ void\n"
    "rk_cuda_emit (rk_cuda_message * msg, unsigned int type, unsigned int size)\n"
    "{\n"
    "  RkCudaJob *job = (RkCudaJob *) msg->priv;\n"
    "  job->out_type = type;\n"
    "  job->out_size = size;\n"
    "}\n"
    "__device__ void\n"
    "rk_cuda_emit_input (rk_cuda_message * msg, unsigned int type)\n"
    "{\n"
    "  RkCudaJob *job = (RkCudaJob *) msg->priv;\n"
    "  job->out_type = type;\n"
    "  job->out_size = job->in_size;\n"
    "  job->out_flags = RK_CUDA_OUT_INPUT;\n"
    "}\n"
    "__device__ unsigned char *\n"
    "rk_cuda_emit_extra (rk_cuda_message * msg, unsigned int type,\n"
    "    unsigned int size)\n"
    "{\n"
    "  return rk_cuda_job_extra_append ((RkCudaJob *) msg->priv, type, size);\n"
    "}\n"
    "static __device__ void\n"
    "rk_user_process (RkCudaJob * job, RkCudaThreads t)\n"
    "{\n"
    "  rk_cuda_message m;\n"
    "  m.type = job->type;\n"
    "  m.size = job->in_size;\n"
    "  m.message_id = job->message_id;\n"
    "  m.correlation_id = job->correlation_id;\n"
    "  m.hlc.physical = job->hlc_physical;\n"
    "  m.hlc.logical = job->hlc_logical;\n"
    "  m.hlc.node = job->hlc_node;\n"
    "  m.data = (const unsigned char *) (uintptr_t) job->in_ptr;\n"
    "  m.state = (unsigned char *) (uintptr_t) job->state_ptr;\n"
    "  m.state_size = job->state_size;\n"
    "  m.params = (const rk_params *) &job->params;\n"
    "  m.thread = t.index;\n"
    "  m.threads = t.count;\n"
    "  m.priv = job;\n"
    "  if (RK_USER_ENTRY (&m) != 0)\n"
    "    job->error = 1;\n"
    "}\n"
    "RK_CUDA_DEFINE_ENTRIES (rk_user_process)\n";

/* The value of the module global @name in @ptx (".global .align 4 .u32
 * name = 1;", or "... name;" for 0), -1 when it has none */
static gint64
ptx_global (const gchar * ptx, const gchar * name)
{
  gchar *pattern = g_strdup_printf (" %s", name);
  const gchar *at = ptx;
  gint64 v = -1;

  while ((at = strstr (at, pattern))) {
    const gchar *end = at + strlen (pattern);

    if (g_str_has_prefix (end, " = ")) {
      v = g_ascii_strtoll (end + 3, NULL, 10);
      break;
    }
    if (*end == ';') {
      v = 0;
      break;
    }
    at = end;
  }
  g_free (pattern);
  return v;
}

static gsize
user_output_size (const GstRkParams * p, gsize in_size)
{
  return MAX (MAX ((gsize) p->out_size, in_size), 64);
}

/* Room for several outputs per message */
static gsize
user_extra_size (const GstRkConfig * config, gsize in_size)
{
  return GST_RK_CUDA_USER_EXTRA_SIZE;
}

static gchar *
compile (const Nvrtc * nv, const gchar * path, const gchar * source,
    const gchar * entry, GError ** error)
{
  static const gchar *header_names[] = { "gstrkabi.h", "gstrkcudaprotocol.h",
    "gstrkcudaportable.h", "gstrkcudajob.h", "gstrkcudaloop.h",
    "gstrkcudaentry.cuh", "rkuser-cuda.h"
  };
  const gchar *headers[] = { (const gchar *) rk_hdr_abi,
    (const gchar *) rk_hdr_protocol, (const gchar *) rk_hdr_portable,
    (const gchar *) rk_hdr_job, (const gchar *) rk_hdr_loop,
    (const gchar *) rk_hdr_entry, (const gchar *) rk_hdr_user
  };
  gchar *arch = g_strdup_printf ("--gpu-architecture=compute_%d",
      GST_RK_CUDA_MIN_CC);
  gchar *define = g_strdup_printf ("-DRK_USER_ENTRY=%s", entry);
  const gchar *opts[] = { arch, define, "-std=c++17", "-default-device" };
  gchar *base = g_path_get_basename (path);
  gchar *text = g_strdup_printf ("#include \"gstrkcudaentry.cuh\"\n"
      "#include \"rkuser-cuda.h\"\n#line 1 \"%s\"\n%s\n%s", base, source,
      wrapper_tail);
  nvrtcProgram prog = NULL;
  nvrtcResult r;
  gchar *ptx = NULL;
  gsize size = 0;

  r = nv->create (&prog, text, base, G_N_ELEMENTS (headers), headers,
      header_names);
  if (r != NVRTC_SUCCESS) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel file %s: nvrtcCreateProgram failed: %s", path,
        nv->error_string (r));
    goto out;
  }
  r = nv->compile (prog, G_N_ELEMENTS (opts), opts);
  if (r != NVRTC_SUCCESS) {
    gchar *log = NULL, *undefined;

    if (nv->log_size (prog, &size) == NVRTC_SUCCESS && size > 0) {
      log = g_malloc0 (size + 1);
      nv->log (prog, log);
    }
    undefined = g_strdup_printf ("identifier \"%s\" is undefined", entry);
    if (log && strstr (log, undefined) && strstr (log, "<rk-user-wrapper>"))
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
          "kernel file %s has no device function %s (the kernel-entry): "
          "a CUDA user kernel defines __device__ int %s "
          "(rk_cuda_message *msg)", path, entry, entry);
    else
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
          "kernel file %s does not compile (NVRTC: %s):\n%s", path,
          nv->error_string (r), log ? log : "(no log)");
    g_free (undefined);
    g_free (log);
    goto out;
  }
  if (nv->ptx_size (prog, &size) != NVRTC_SUCCESS || size == 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel file %s: NVRTC gave no PTX", path);
    goto out;
  }
  ptx = g_malloc0 (size + 1);
  if (nv->ptx (prog, ptx) != NVRTC_SUCCESS) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel file %s: NVRTC gave no PTX", path);
    g_clear_pointer (&ptx, g_free);
  }
out:
  if (prog)
    nv->destroy (&prog);
  g_free (text);
  g_free (base);
  g_free (arch);
  g_free (define);
  return ptx;
}

/**
 * gst_rk_cuda_load_user_kernel:
 * @path: an absolute .cu file name
 * @entry: the entry function's name
 * @info: (inout): what the module says: kind and state size
 *
 * Compiles a CUDA user kernel and checks it (see the file's comment).
 *
 * Returns: (transfer full): a #GstRkCudaKernel to register, or %NULL with
 * @error saying why (the compiler log for a compile error).
 */
gconstpointer
gst_rk_cuda_load_user_kernel (const gchar * path, const gchar * entry,
    GstRkKernelInfo * info, GError ** error)
{
  const Nvrtc *nv;
  GstRkCudaKernel *k;
  gchar *source = NULL, *ptx;
  gsize length = 0;
  GError *err = NULL;
  gint64 abi, state_size, flags;

  if (!g_file_get_contents (path, &source, &length, &err)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel file %s cannot be read: %s", path, err->message);
    g_error_free (err);
    return NULL;
  }
  if (strlen (source) != length || !g_utf8_validate (source, -1, NULL)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel file %s is not CUDA source text", path);
    g_free (source);
    return NULL;
  }
  nv = nvrtc_get (error);
  if (nv == NULL) {
    g_free (source);
    return NULL;
  }
  ptx = compile (nv, path, source, entry, error);
  g_free (source);
  if (ptx == NULL)
    return NULL;

  abi = ptx_global (ptx, "rk_user_abi_version");
  state_size = ptx_global (ptx, "rk_user_state_size");
  flags = ptx_global (ptx, "rk_user_flags");
  if (abi < 0 || state_size < 0 || flags < 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel file %s does not declare RK_USER_KERNEL (state_size, flags)",
        path);
    g_free (ptx);
    return NULL;
  }
  if (abi != RK_USER_ABI_VERSION) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "kernel file %s was written for user-kernel ABI version %"
        G_GINT64_FORMAT ", this plugin has version %d", path, abi,
        RK_USER_ABI_VERSION);
    g_free (ptx);
    return NULL;
  }

  /* The driver keys loaded functions by name: one per load */
  k = g_new0 (GstRkCudaKernel, 1);
  k->name = g_strdup_printf ("%s (%s, load %u)", path, entry,
      (guint) g_atomic_int_add (&n_loads, 1) + 1);
  k->image = ptx;
  k->output_size = user_output_size;
  k->extra_size = user_extra_size;
  info->state_size = (gsize) state_size;
  if (flags & RK_USER_FLAG_FRAME)
    info->kind = GST_RK_KERNEL_KIND_FRAME;
  return k;
}
