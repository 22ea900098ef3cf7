/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Vulkan user kernels: a SPIR-V compute module written against
 * runtime/rkuser.glsl, run by the bulk runner (event-driven mode).
 *
 * Loading reads the whole file and checks, in this order: the header
 * (size, word alignment, magic), that every instruction lies within the
 * file, SPIRV-Tools' validator (Vulkan 1.2 rules: SPIR-V up to 1.5), then
 * what the ABI fixes: a GLCompute entry point of the kernel-entry's name,
 * the specialization constants of RK_USER_KERNEL, whose defaults give the
 * ABI version, the state size and the flags, the 64 x 1 x 1 workgroup,
 * storage buffers at bindings 0-6 of set 0 and push constants within
 * rk_params; and a few things valid SPIR-V may hold that crashed lavapipe
 * (runtime/DESIGN.md). The module is kept for the process (user kernels
 * are never unregistered); its pipeline is made at launch, where a module
 * the driver refuses fails the launch.
 */

#include <string.h>
#include <spirv-tools/libspirv.h>

#include "gstrkvulkanuser.h"
#include "gstrkvulkanabi.h"
#include "gstrkerror.h"
#include "rkuser.h"

/* SPIR-V words this file reads (the SPIR-V specification, 2.3 and 3) */
#define SPV_MAGIC                0x07230203u
#define SPV_HEADER_WORDS         5u
#define SPV_OP_CAPABILITY        17u
#define SPV_OP_ENTRY_POINT       15u
#define SPV_OP_EXECUTION_MODE    16u
#define SPV_OP_DECORATE          71u
#define SPV_OP_SPEC_CONSTANT     50u
#define SPV_OP_TYPE_BOOL         20u
#define SPV_OP_TYPE_VECTOR       23u
#define SPV_OP_TYPE_POINTER      32u
#define SPV_OP_SPEC_CONSTANT_OP  52u
#define SPV_OP_CONSTANT          43u
#define SPV_OP_CONSTANT_COMPOSITE 44u
#define SPV_OP_SPEC_CONSTANT_COMPOSITE 51u
#define SPV_DECORATION_BUILTIN   11u
#define SPV_BUILTIN_WORKGROUP_SIZE 25u
#define SPV_OP_VARIABLE          59u
#define SPV_OP_MEMBER_DECORATE   72u
#define SPV_DECORATION_BLOCK     2u
#define SPV_DECORATION_BUFFER_BLOCK 3u
#define SPV_DECORATION_OFFSET    35u
#define SPV_STORAGE_INPUT        1u
#define SPV_STORAGE_UNIFORM      2u
#define SPV_STORAGE_PUSH_CONSTANT 9u
#define SPV_STORAGE_STORAGE_BUFFER 12u
#define SPV_MODEL_GLCOMPUTE      5u
#define SPV_MODE_LOCAL_SIZE      17u
#define SPV_MODE_LOCAL_SIZE_ID   38u
#define SPV_DECORATION_SPEC_ID   1u
#define SPV_DECORATION_BINDING   33u
#define SPV_DECORATION_SET       34u
#define SPV_CAPABILITY_FLOAT64   10u
#define SPV_CAPABILITY_INT64     11u

/* rkuser.glsl's fixed parts */
#define USER_GROUP_SIZE          64u
#define USER_SPEC_ABI_VERSION    1000u
#define USER_SPEC_STATE_SIZE     1001u
#define USER_SPEC_FLAGS          1002u
#define USER_AUX_SIZE            16384u
#define USER_AUX_EMIT_INPUT      1u
#define USER_MAX_GROUPS          65535u

/* What the loader found in a module */
typedef struct
{
  guint32 entry_id;             /* 0: no entry of that name */
  const gchar *entry_name;      /* in the module's words */
  GString *entries;             /* every GLCompute entry, for errors */
  guint32 local_size[3];
  gboolean local_size_id;
  guint32 workgroup_size_id;    /* a constant decorated WorkgroupSize */
  guint32 workgroup_size[3];    /* its value, which overrides LocalSize */
  gboolean workgroup_size_set;
  guint32 spec_ids[3];          /* result ids of the three constants */
  gint64 spec_values[3];        /* -1: not declared */
  guint32 features;
  gint64 bad_set, bad_binding;  /* -1: none */
  gint64 not_buffer;            /* a binding that is no storage buffer, -1 */
  gsize push_end;               /* past the last push constant member's offset */
  guint32 bad_input;            /* an Input variable that is no built-in */
  guint32 bad_spec_op;          /* an OpSpecConstantOp of another type */
} Module;

static gsize
user_output_size (const GstRkParams * p, gsize in_size)
{
  return MAX (MAX ((gsize) p->out_size, in_size), 64);
}

/* One invocation per word of the output's room, the kernels loop beyond */
static void
user_grid (const GstRkParams * p, gsize in_size, guint32 groups[3])
{
  gsize words = (user_output_size (p, in_size) + 3) / 4;

  groups[0] = (guint32) MIN ((words + USER_GROUP_SIZE - 1) / USER_GROUP_SIZE,
      USER_MAX_GROUPS);
}

static gsize
user_aux_size (GstRkConfig * config, gsize in_size)
{
  return USER_AUX_SIZE;
}

/* A request's DATA outputs answer it; kernels send nothing but DATA,
 * REPLY and NOTIFY (0: no output) */
static gboolean
answer_type (GstRkVulkanCollect * c, guint32 * type, GError ** error)
{
  if (*type != RK_MSG_DATA && *type != RK_MSG_REPLY &&
      *type != RK_MSG_NOTIFY) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "Vulkan kernel %s emitted an output of type %u for message %"
        G_GUINT64_FORMAT " (DATA, REPLY or NOTIFY are allowed)",
        c->impl->name, *type, c->msg->env.message_id);
    return FALSE;
  }
  if (c->msg->env.type == RK_MSG_REQUEST && *type == RK_MSG_DATA)
    *type = RK_MSG_REPLY;
  return TRUE;
}

/* The extra outputs, in the order they were emitted, then the main one */
static gboolean
user_collect (GstRkVulkanCollect * c, GError ** error)
{
  const guint32 *aux = (const guint32 *) c->aux;
  gsize used = MIN (aux[0], USER_AUX_SIZE - 8);
  guint32 type = c->info[RKV_INFO_OFF_OUT_TYPE / 4];
  gsize at = 0;
  guint n;

  while (at + 8 <= used) {
    const guint32 *rec = aux + 2 + at / 4;
    gsize bytes = 8 + GST_ROUND_UP_4 ((gsize) rec[1]);
    guint32 rec_type = rec[0];

    if (rec_type == 0 || at + bytes > used)
      break;                    /* not written: its emit failed */
    if (!answer_type (c, &rec_type, error))
      return FALSE;
    gst_rk_vulkan_collect_push (c, rec_type, rec[1] ?
        gst_buffer_new_memdup (rec + 2, rec[1]) : gst_buffer_new ());
    at += bytes;
  }
  if (type == 0)
    return TRUE;
  if (!answer_type (c, &type, error))
    return FALSE;
  if (aux[1] & USER_AUX_EMIT_INPUT) {
    gst_rk_vulkan_collect_push (c, type, c->msg->payload ?
        gst_buffer_ref (c->msg->payload) : NULL);
    return TRUE;
  }
  n = c->outputs->len;
  if (!gst_rk_vulkan_collect_default (c, error))
    return FALSE;
  if (c->outputs->len > n)
    g_array_index (c->outputs, GstRkVulkanOutput, n).type = type;
  return TRUE;
}

static void
set_error (GError ** error, const gchar * path, const gchar * fmt, ...)
    G_GNUC_PRINTF (3, 4);

static void
set_error (GError ** error, const gchar * path, const gchar * fmt, ...)
{
  va_list ap;
  gchar *why;

  va_start (ap, fmt);
  why = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
      "kernel file %s %s", path, why);
  g_free (why);
}

/* A literal string at @words (NUL-terminated, padded to words), or NULL
 * when it runs past @n words */
static const gchar *
literal_string (const guint32 * words, gsize n)
{
  const gchar *s = (const gchar *) words;

  return memchr (s, '\0', n * 4) ? s : NULL;
}

/* The header and the instruction stream's framing: what the validator
 * would also refuse, said in terms of the file */
static gboolean
check_framing (const gchar * path, const guint8 * data, gsize size,
    GError ** error)
{
  const guint32 *w = (const guint32 *) data;
  gsize n = size / 4;

  if (size % 4 != 0) {
    set_error (error, path, "is truncated or not SPIR-V: %" G_GSIZE_FORMAT
        " bytes is not a whole number of 32-bit words", size);
    return FALSE;
  }
  if (size < SPV_HEADER_WORDS * 4) {
    set_error (error, path, "is truncated: %" G_GSIZE_FORMAT " bytes, "
        "shorter than the 20-byte SPIR-V header", size);
    return FALSE;
  }
  if (w[0] != SPV_MAGIC) {
    set_error (error, path, "is not SPIR-V: its magic number is 0x%08x, "
        "not 0x%08x%s", w[0], SPV_MAGIC, GUINT32_SWAP_LE_BE (w[0]) ==
        SPV_MAGIC ? " (a module of the other byte order)" : "");
    return FALSE;
  }
  for (gsize i = SPV_HEADER_WORDS; i < n;) {
    guint32 count = w[i] >> 16;

    if (count == 0) {
      set_error (error, path, "is not valid SPIR-V: the instruction at "
          "word %" G_GSIZE_FORMAT " has a word count of 0", i);
      return FALSE;
    }
    if (i + count > n) {
      set_error (error, path, "is truncated: the instruction at word %"
          G_GSIZE_FORMAT " needs %u words, the file ends after %"
          G_GSIZE_FORMAT, i, count, n - i);
      return FALSE;
    }
    i += count;
  }
  return TRUE;
}

static gboolean
validate (const gchar * path, const guint32 * words, gsize n, GError ** error)
{
  spv_context ctx = spvContextCreate (SPV_ENV_VULKAN_1_2);
  spv_const_binary_t binary = { words, n };
  spv_diagnostic diag = NULL;
  spv_result_t r = spvValidate (ctx, &binary, &diag);

  if (r != SPV_SUCCESS)
    set_error (error, path, "fails SPIR-V validation (Vulkan 1.2 rules): %s",
        diag && diag->error ? diag->error : "no diagnostic");
  spvDiagnosticDestroy (diag);
  spvContextDestroy (ctx);
  return r == SPV_SUCCESS;
}

/* Reads what the ABI cares about; @entry "rk_kernel" (the default) also
 * names a lone "main", what GLSL compilers call the entry point */
static void
scan (const guint32 * w, gsize n, const gchar * entry, Module * m)
{
  guint32 main_id = 0, n_compute = 0;
  /* id → binding + 1, struct → its Block decoration, struct → its last
   * member offset + 1, pointer type → pointee, built-in variables,
   * scalar and vector types */
  GHashTable *bindings, *blocks, *offsets, *pointers, *constants, *builtins;
  GHashTable *scalars;

  memset (m, 0, sizeof (*m));
  m->entries = g_string_new (NULL);
  m->bad_set = m->bad_binding = m->not_buffer = -1;
  bindings = g_hash_table_new (NULL, NULL);
  blocks = g_hash_table_new (NULL, NULL);
  offsets = g_hash_table_new (NULL, NULL);
  pointers = g_hash_table_new (NULL, NULL);
  constants = g_hash_table_new (NULL, NULL);
  builtins = g_hash_table_new (NULL, NULL);
  scalars = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < 3; i++)
    m->spec_values[i] = -1;

  /* Entry points and decorations come before the constants they name */
  for (gsize i = SPV_HEADER_WORDS; i < n; i += w[i] >> 16) {
    guint32 op = w[i] & 0xffff, count = w[i] >> 16;
    const guint32 *a = w + i + 1;

    if (op == SPV_OP_CAPABILITY && count >= 2) {
      if (a[0] == SPV_CAPABILITY_FLOAT64)
        m->features |= GST_RK_VULKAN_NEEDS_FLOAT64;
      else if (a[0] == SPV_CAPABILITY_INT64)
        m->features |= GST_RK_VULKAN_NEEDS_INT64;
    } else if (op == SPV_OP_ENTRY_POINT && count >= 4 &&
        a[0] == SPV_MODEL_GLCOMPUTE) {
      const gchar *name = literal_string (a + 2, count - 3);

      if (name == NULL)
        continue;
      n_compute++;
      g_string_append_printf (m->entries, "%s%s", m->entries->len ? ", " :
          "", name);
      if (g_str_equal (name, entry)) {
        m->entry_id = a[1];
        m->entry_name = name;
      } else if (g_str_equal (name, "main")) {
        main_id = a[1];
      }
    } else if (op == SPV_OP_DECORATE && count >= 4) {
      if (a[1] == SPV_DECORATION_SPEC_ID) {
        for (guint k = 0; k < 3; k++)
          if (a[2] == USER_SPEC_ABI_VERSION + k)
            m->spec_ids[k] = a[0];
      } else if (a[1] == SPV_DECORATION_SET && a[2] != 0) {
        m->bad_set = a[2];
      } else if (a[1] == SPV_DECORATION_BINDING) {
        if (a[2] >= RKV_BULK_BINDINGS)
          m->bad_binding = a[2];
        g_hash_table_insert (bindings, GUINT_TO_POINTER (a[0]),
            GSIZE_TO_POINTER ((gsize) a[2] + 1));
      } else if (a[1] == SPV_DECORATION_BUILTIN) {
        if (a[2] == SPV_BUILTIN_WORKGROUP_SIZE)
          m->workgroup_size_id = a[0];
        g_hash_table_add (builtins, GUINT_TO_POINTER (a[0]));
      }
    } else if (op == SPV_OP_DECORATE && count >= 3 &&
        (a[1] == SPV_DECORATION_BLOCK || a[1] == SPV_DECORATION_BUFFER_BLOCK)) {
      g_hash_table_insert (blocks, GUINT_TO_POINTER (a[0]),
          GUINT_TO_POINTER (a[1]));
    } else if (op == SPV_OP_MEMBER_DECORATE && count >= 5 &&
        a[2] == SPV_DECORATION_OFFSET) {
      gsize end = MAX (GPOINTER_TO_SIZE (g_hash_table_lookup (offsets,
                  GUINT_TO_POINTER (a[0]))), (gsize) a[3] + 1);

      g_hash_table_insert (offsets, GUINT_TO_POINTER (a[0]),
          GSIZE_TO_POINTER (end));
    }
  }
  if (m->entry_id == 0 && main_id != 0 && n_compute == 1 &&
      g_str_equal (entry, "rk_kernel")) {
    m->entry_id = main_id;
    m->entry_name = "main";
  }

  for (gsize i = SPV_HEADER_WORDS; i < n; i += w[i] >> 16) {
    guint32 op = w[i] & 0xffff, count = w[i] >> 16;
    const guint32 *a = w + i + 1;

    if (op == SPV_OP_EXECUTION_MODE && count >= 3 && m->entry_id &&
        a[0] == m->entry_id) {
      if (a[1] == SPV_MODE_LOCAL_SIZE && count >= 6)
        memcpy (m->local_size, a + 2, sizeof (m->local_size));
      else if (a[1] == SPV_MODE_LOCAL_SIZE_ID)
        m->local_size_id = TRUE;
    } else if (op == SPV_OP_SPEC_CONSTANT && count >= 4) {
      for (guint k = 0; k < 3; k++)
        if (m->spec_ids[k] != 0 && a[1] == m->spec_ids[k])
          m->spec_values[k] = a[2];
    } else if (op >= SPV_OP_TYPE_BOOL && op <= SPV_OP_TYPE_VECTOR &&
        count >= 2) {
      g_hash_table_add (scalars, GUINT_TO_POINTER (a[0]));
    } else if (op == SPV_OP_SPEC_CONSTANT_OP && count >= 4) {
      /* SPIRV-Tools 2023.1 lets other types through; lavapipe crashed */
      if (m->bad_spec_op == 0 &&
          !g_hash_table_contains (scalars, GUINT_TO_POINTER (a[0])))
        m->bad_spec_op = a[1];
    } else if (op == SPV_OP_CONSTANT && count == 4) {
      /* 32-bit constants, plus one: 0 is "not a known constant" */
      g_hash_table_insert (constants, GUINT_TO_POINTER (a[1]),
          GSIZE_TO_POINTER ((gsize) a[2] + 1));
    } else if ((op == SPV_OP_CONSTANT_COMPOSITE ||
            op == SPV_OP_SPEC_CONSTANT_COMPOSITE) && count == 6 &&
        m->workgroup_size_id != 0 && a[1] == m->workgroup_size_id) {
      for (guint k = 0; k < 3; k++) {
        gsize v = GPOINTER_TO_SIZE (g_hash_table_lookup (constants,
                GUINT_TO_POINTER (a[2 + k])));

        m->workgroup_size[k] = v ? (guint32) (v - 1) : 0;
        if (op == SPV_OP_SPEC_CONSTANT_COMPOSITE || v == 0)
          m->local_size_id = TRUE;      /* not a number the host knows */
      }
      m->workgroup_size_set = TRUE;
    } else if (op == SPV_OP_TYPE_POINTER && count >= 4) {
      g_hash_table_insert (pointers, GUINT_TO_POINTER (a[0]),
          GUINT_TO_POINTER (a[2]));
    } else if (op == SPV_OP_VARIABLE && count >= 4) {
      guint32 pointee = GPOINTER_TO_UINT (g_hash_table_lookup (pointers,
              GUINT_TO_POINTER (a[0])));
      gsize binding = GPOINTER_TO_SIZE (g_hash_table_lookup (bindings,
              GUINT_TO_POINTER (a[1])));
      guint32 block = GPOINTER_TO_UINT (g_hash_table_lookup (blocks,
              GUINT_TO_POINTER (pointee)));

      /* The bulk layout has storage buffers only: a struct decorated
       * Block in StorageBuffer, or BufferBlock in Uniform (SPIR-V 1.0-1.2) */
      if (binding != 0 && m->not_buffer < 0 &&
          !((a[2] == SPV_STORAGE_STORAGE_BUFFER &&
                  block == SPV_DECORATION_BLOCK) ||
              (a[2] == SPV_STORAGE_UNIFORM &&
                  block == SPV_DECORATION_BUFFER_BLOCK)))
        m->not_buffer = (gint64) binding - 1;
      /* compute shaders have no other inputs (lavapipe crashed on one) */
      if (a[2] == SPV_STORAGE_INPUT && m->bad_input == 0 &&
          !g_hash_table_contains (builtins, GUINT_TO_POINTER (a[1])))
        m->bad_input = a[1];
      if (a[2] == SPV_STORAGE_PUSH_CONSTANT)
        m->push_end = MAX (m->push_end, GPOINTER_TO_SIZE
            (g_hash_table_lookup (offsets, GUINT_TO_POINTER (pointee))));
    }
  }
  g_hash_table_unref (bindings);
  g_hash_table_unref (blocks);
  g_hash_table_unref (offsets);
  g_hash_table_unref (pointers);
  g_hash_table_unref (constants);
  g_hash_table_unref (builtins);
  g_hash_table_unref (scalars);
  if (m->workgroup_size_id != 0 && !m->workgroup_size_set)
    m->local_size_id = TRUE;    /* decorated, but not a constant */
  else if (m->workgroup_size_set)
    memcpy (m->local_size, m->workgroup_size, sizeof (m->local_size));
}

/* The ABI's checks on a valid module; @m filled */
static gboolean
check_abi (const gchar * path, const gchar * entry, const Module * m,
    GError ** error)
{
  if (m->entry_id == 0) {
    set_error (error, path, "has no GLCompute entry point %s (the "
        "kernel-entry); its entry points: %s", entry,
        m->entries->len ? m->entries->str : "none");
    return FALSE;
  }
  if (m->spec_values[0] < 0 || m->spec_values[1] < 0 ||
      m->spec_values[2] < 0) {
    set_error (error, path, "does not declare RK_USER_KERNEL (state_size, "
        "flags) of rkuser.glsl (specialization constants %u-%u)",
        USER_SPEC_ABI_VERSION, USER_SPEC_FLAGS);
    return FALSE;
  }
  if (m->spec_values[0] != RK_USER_ABI_VERSION) {
    set_error (error, path, "was written for user-kernel ABI version %"
        G_GINT64_FORMAT ", this plugin has version %d", m->spec_values[0],
        RK_USER_ABI_VERSION);
    return FALSE;
  }
  if (m->local_size_id) {
    set_error (error, path, "sets its workgroup size with specialization "
        "constants; rkuser.glsl fixes it at %ux1x1 (RK_USER_KERNEL declares "
        "it)", USER_GROUP_SIZE);
    return FALSE;
  }
  if (m->local_size[0] != USER_GROUP_SIZE ||
      m->local_size[1] != 1 || m->local_size[2] != 1) {
    set_error (error, path, "has a workgroup of %ux%ux%u invocations; "
        "rkuser.glsl fixes it at %ux1x1 (RK_USER_KERNEL declares it)",
        m->local_size[0], m->local_size[1], m->local_size[2],
        USER_GROUP_SIZE);
    return FALSE;
  }
  if (m->bad_set >= 0) {
    set_error (error, path, "uses descriptor set %" G_GINT64_FORMAT "; "
        "rkuser.glsl's bindings are in set 0", m->bad_set);
    return FALSE;
  }
  if (m->bad_binding >= 0) {
    set_error (error, path, "uses binding %" G_GINT64_FORMAT "; "
        "rkuser.glsl's are 0-%d", m->bad_binding, RKV_BULK_BINDINGS - 1);
    return FALSE;
  }
  if (m->bad_spec_op != 0) {
    set_error (error, path, "has a specialization constant operation "
        "(%%%u) whose type is not a scalar or vector", m->bad_spec_op);
    return FALSE;
  }
  if (m->bad_input != 0) {
    set_error (error, path, "has an input variable (%%%u) that is not a "
        "built-in; compute kernels have no other inputs", m->bad_input);
    return FALSE;
  }
  if (m->not_buffer >= 0) {
    set_error (error, path, "declares binding %" G_GINT64_FORMAT " as "
        "something other than a storage buffer; rkuser.glsl's bindings are "
        "all storage buffers",
        m->not_buffer);
    return FALSE;
  }
  /* every member must start within rk_params (their sizes are not
   * followed: a member that starts there and runs over is not caught) */
  if (m->push_end > RK_PARAMS_SIZE - 4 + 1) {
    set_error (error, path, "has push constants beyond the %u bytes of "
        "rk_params", RK_PARAMS_SIZE);
    return FALSE;
  }
  return TRUE;
}

/**
 * gst_rk_vulkan_load_user_kernel:
 * @path: an absolute .spv file name
 * @entry: the entry point's name
 * @info: (inout): what the module says: kind and state size
 *
 * Reads and checks a Vulkan user kernel (see the file's comment).
 *
 * Returns: (transfer full): a #GstRkVulkanKernel to register, or %NULL
 * with @error saying why (the validator's message for invalid SPIR-V).
 */
gconstpointer
gst_rk_vulkan_load_user_kernel (const gchar * path, const gchar * entry,
    GstRkKernelInfo * info, GError ** error)
{
  GstRkVulkanKernel *k;
  GError *err = NULL;
  gchar *data = NULL;
  gsize size = 0;
  guint32 *words;
  Module m;
  gboolean ok;

  if (!g_file_get_contents (path, &data, &size, &err)) {
    set_error (error, path, "cannot be read: %s", err->message);
    g_error_free (err);
    return NULL;
  }
  /* Aligned words: g_file_get_contents' buffer comes from malloc */
  words = (guint32 *) data;
  if (!check_framing (path, (const guint8 *) data, size, error) ||
      !validate (path, words, size / 4, error)) {
    g_free (data);
    return NULL;
  }
  scan (words, size / 4, entry, &m);
  ok = check_abi (path, entry, &m, error);
  g_string_free (m.entries, TRUE);
  if (!ok) {
    g_free (data);
    return NULL;
  }

  k = g_new0 (GstRkVulkanKernel, 1);
  k->name = g_strdup_printf ("%s (%s)", path, m.entry_name);
  k->bulk.code = words;
  k->bulk.size = size;
  k->bulk.entry = g_strdup (m.entry_name);
  k->features = m.features;
  k->output_size = user_output_size;
  k->grid = user_grid;
  k->aux_size = user_aux_size;
  k->collect = user_collect;
  /* one dispatch per message: no persistent form */
  info->flags |= GST_RK_KERNEL_FLAG_EVENT_DRIVEN;
  info->state_size = (gsize) m.spec_values[1];
  if (m.spec_values[2] & RK_USER_FLAG_FRAME)
    info->kind = GST_RK_KERNEL_KIND_FRAME;
  return k;
}
