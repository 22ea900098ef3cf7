/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gstrkcudadevice.h"
#include "gstrkcudadriver.h"
#include "gstrkcudaprotocol.h"
#include "gstrkerror.h"
#include "gstrkfault.h"
#include "gstrksync.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rk_cuda_debug);
#define GST_CAT_DEFAULT gst_rk_cuda_debug

/* Slot sizes and pool allocations grow in steps of this many bytes. */
#define SLOT_GRANULE 4096u

/* ---- The pool of mapped host memory ---- */

typedef struct
{
  gsize offset;
  gsize size;
} Range;

typedef struct
{
  gpointer host;
  guint64 device;
  gsize size;
  GArray *free;                 /* Range, sorted by offset, coalesced */
} Chunk;

/* What every runtime that opened one context shares, found by the context
 * (the driver ops give every open of a device the same one). One lock for
 * all of them: growing a pool and reserving blocks exclude each other
 * process-wide, so no kernel becomes resident while a pool grows. */
struct _GstRkCudaShared
{
  GstRkCudaContext *ctx;
  const GstRkCudaOps *ops;
  gchar *name;
  gint users;
  guint64 used;                 /* SM share held by persistent kernels, in
                                 * SM_UNITS per SM */
  guint kernels;                /* persistent kernels holding it */
  GPtrArray *host_chunks;       /* the pool */
  guint abandoned;              /* kernels that did not stop: their memory
                                 * goes with the context, not before */
  GHashTable *loaded;           /* "kernel/entry" looked up (loaded) */
  guint held_refs;              /* context references of runtimes that
                                 * closed while it was retiring */
};

static GMutex shared_lock;
static GList *shared_list;
static guint resident_kernels;  /* persistent kernels, process-wide */
/* Contexts whose last runtime closed while persistent kernels ran in
 * another context: freeing their pool and closing them (unloading
 * modules) would wait for those kernels, so it waits until none runs. */
static GList *retiring;

/* @kernel: whose allocation grows the pool (NULL: the device's opening) */
static gboolean
add_chunk (GstRkCudaShared * sh, gsize size, const gchar * kernel,
    GError ** error)
{
  Chunk *c = g_new0 (Chunk, 1);
  Range all = { 0, size };

  if (!sh->ops->host_alloc (sh->ctx, size, &c->host, &c->device, error)) {
    g_prefix_error (error, "cannot allocate %" G_GSIZE_FORMAT " bytes of "
        "mapped host memory%s%s on %s: ", size, kernel ? " for " : "",
        kernel ? kernel : "", sh->name);
    g_free (c);
    return FALSE;
  }
  c->size = size;
  c->free = g_array_new (FALSE, FALSE, sizeof (Range));
  g_array_append_val (c->free, all);
  g_ptr_array_add (sh->host_chunks, c);
  return TRUE;
}

static void
chunk_free (gpointer data)
{
  g_array_unref (((Chunk *) data)->free);
  g_free (data);
}

/**
 * gst_rk_cuda_device_open_shared:
 *
 * Joins what the runtimes on @dev's context share; the first one allocates
 * the first chunk of mapped memory, before any kernel runs on it.
 */
gboolean
gst_rk_cuda_device_open_shared (GstRkCudaDevice * dev, GError ** error)
{
  GstRkCudaShared *sh = NULL;
  gboolean ok = TRUE;

  gst_rk_mutex_lock (&shared_lock);
  for (GList * l = shared_list; l && sh == NULL; l = l->next)
    if (((GstRkCudaShared *) l->data)->ctx == dev->ctx)
      sh = l->data;
  for (GList * l = retiring; l && sh == NULL; l = l->next) {
    if (((GstRkCudaShared *) l->data)->ctx == dev->ctx) {
      sh = l->data;
      retiring = g_list_delete_link (retiring, l);
      shared_list = g_list_prepend (shared_list, sh);
    }
  }
  if (sh == NULL) {
    sh = g_new0 (GstRkCudaShared, 1);
    sh->ctx = dev->ctx;
    sh->ops = dev->ops;
    sh->name = g_strdup (dev->parent.name);
    sh->host_chunks = g_ptr_array_new_with_free_func (chunk_free);
    sh->loaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        NULL);
    if (resident_kernels > 0) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
          "cannot open CUDA device %d (%s) while persistent CUDA kernels "
          "run in this process: allocating its pinned memory would stall "
          "the device until they end", dev->parent.index, sh->name);
      ok = FALSE;
    } else {
      ok = add_chunk (sh, GST_RK_CUDA_HOST_CHUNK_SIZE, NULL, error);
    }
    if (!ok) {
      g_ptr_array_unref (sh->host_chunks);
      g_hash_table_unref (sh->loaded);
      g_free (sh->name);
      g_free (sh);
      sh = NULL;
    } else {
      shared_list = g_list_prepend (shared_list, sh);
    }
  }
  if (sh) {
    sh->users++;
    dev->shared = sh;
  }
  gst_rk_mutex_unlock (&shared_lock);
  return ok;
}

/* Frees the pool, unless a kernel that would not stop may still use it:
 * then closing the context frees it (and the kernel goes with the
 * context); closes the references the record holds. shared_lock held. */
static void
shared_free (GstRkCudaShared * sh)
{
  for (guint i = 0; sh->abandoned == 0 && i < sh->host_chunks->len; i++)
    sh->ops->host_free (sh->ctx,
        ((Chunk *) g_ptr_array_index (sh->host_chunks, i))->host);
  for (guint i = 0; i < sh->held_refs; i++)
    sh->ops->close (sh->ctx);
  g_ptr_array_unref (sh->host_chunks);
  g_hash_table_unref (sh->loaded);
  g_free (sh->name);
  g_free (sh);
}

/**
 * gst_rk_cuda_device_close_shared:
 *
 * Leaves the shared record; the last runtime frees the pool. While
 * persistent kernels run in another context of the process, the record
 * keeps the context open (with the caller's reference) until none does.
 *
 * Returns: whether the caller closes its reference to the context now
 */
gboolean
gst_rk_cuda_device_close_shared (GstRkCudaDevice * dev)
{
  GstRkCudaShared *sh = dev->shared;
  gboolean close_now = TRUE;

  if (sh == NULL)
    return TRUE;
  dev->shared = NULL;
  gst_rk_mutex_lock (&shared_lock);
  if (--sh->users > 0) {
    gst_rk_mutex_unlock (&shared_lock);
    return TRUE;
  }
  shared_list = g_list_remove (shared_list, sh);
  /* Its own abandoned kernels go with it */
  resident_kernels -= MIN (sh->kernels, resident_kernels);
  sh->kernels = 0;
  sh->used = 0;
  if (resident_kernels > 0) {
    GST_INFO ("%s: closing it waits until no persistent kernel runs",
        sh->name);
    sh->held_refs++;
    retiring = g_list_prepend (retiring, sh);
    close_now = FALSE;
  } else {
    shared_free (sh);
  }
  gst_rk_mutex_unlock (&shared_lock);
  return close_now;
}

/* shared_lock held */
static GstRkCudaFunction *
get_function (GstRkCudaShared * sh, const GstRkCudaKernel * impl,
    const gchar * entry, GError ** error)
{
  gchar *key = g_strdup_printf ("%s/%s", impl->name, entry);
  GstRkCudaFunction *f = NULL;

  /* The first look-up loads the module, which waits for the context */
  if (!g_hash_table_contains (sh->loaded, key) && resident_kernels > 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "the module of CUDA kernel %s is not loaded on %s, and loading it "
        "while persistent kernels run would stall the device until they "
        "end: load the kernel before any persistent kernel starts",
        impl->name, sh->name);
  } else if ((f = sh->ops->get_function (sh->ctx, impl, entry, error))) {
    g_hash_table_add (sh->loaded, key);
    key = NULL;
  }
  g_free (key);
  return f;
}

/**
 * gst_rk_cuda_device_load:
 *
 * The entry point @entry of @impl, its module loaded if need be. Loading a
 * module waits for the whole context: one that is not loaded yet is
 * refused, with the reason, while a persistent kernel is resident anywhere
 * in the process.
 */
GstRkCudaFunction *
gst_rk_cuda_device_load (GstRkCudaDevice * dev, const GstRkCudaKernel * impl,
    const gchar * entry, GError ** error)
{
  GstRkCudaFunction *f;

  gst_rk_mutex_lock (&shared_lock);
  f = get_function (dev->shared, impl, entry, error);
  gst_rk_mutex_unlock (&shared_lock);
  return f;
}

/**
 * gst_rk_cuda_device_get_function:
 * @kernel: the launching kernel's registry name
 *
 * gst_rk_cuda_device_load() for a launch. The device's opening loads every
 * module it knows; GST_RK_FAULT_PIPELINE strikes here, where the launch
 * needs the function, as if its module did not load then nor now (a fault
 * at the opening's load would only be retried here).
 */
GstRkCudaFunction *
gst_rk_cuda_device_get_function (GstRkCudaDevice * dev,
    const GstRkCudaKernel * impl, const gchar * entry, const gchar * kernel,
    GError ** error)
{
  if (gst_rk_fault_strikes (GST_RK_FAULT_PIPELINE, kernel)) {
    gst_rk_cuda_check (CUDA_ERROR_OUT_OF_MEMORY, "cuModuleLoadData", error);
    g_prefix_error (error, "loading the CUDA module of kernel %s: ", kernel);
    return NULL;
  }
  return gst_rk_cuda_device_load (dev, impl, entry, error);
}

/**
 * gst_rk_cuda_device_preload:
 *
 * Loads both entry points of a kernel registered after contexts opened (a
 * user kernel) into each of them, now, unless a persistent kernel is
 * resident: then its launches say why they cannot load it.
 */
void
gst_rk_cuda_device_preload (const GstRkCudaKernel * impl)
{
  static const gchar *entries[] = { RK_CUDA_ENTRY_PERSISTENT,
    RK_CUDA_ENTRY_EVENT
  };

  gst_rk_mutex_lock (&shared_lock);
  for (GList * l = shared_list; l && resident_kernels == 0; l = l->next) {
    for (guint e = 0; e < G_N_ELEMENTS (entries); e++) {
      GError *err = NULL;

      if (!get_function (l->data, impl, entries[e], &err)) {
        GST_WARNING ("%s", err->message);
        g_error_free (err);
      }
    }
  }
  gst_rk_mutex_unlock (&shared_lock);
}

/* A kernel that did not stop: its memory stays until the context goes. */
void
gst_rk_cuda_device_abandon (GstRkCudaDevice * dev)
{
  gst_rk_mutex_lock (&shared_lock);
  dev->shared->abandoned++;
  gst_rk_mutex_unlock (&shared_lock);
}

static gboolean
take_range (Chunk * c, gsize size, gsize * offset)
{
  for (guint i = 0; i < c->free->len; i++) {
    Range *r = &g_array_index (c->free, Range, i);

    if (r->size < size)
      continue;
    *offset = r->offset;
    r->offset += size;
    r->size -= size;
    if (r->size == 0)
      g_array_remove_index (c->free, i);
    return TRUE;
  }
  return FALSE;
}

static void
give_range (Chunk * c, gsize offset, gsize size)
{
  Range r = { offset, size };
  guint i = 0;

  while (i < c->free->len && g_array_index (c->free, Range, i).offset < offset)
    i++;
  g_array_insert_val (c->free, i, r);
  /* Merge with the next, then with the previous */
  if (i + 1 < c->free->len) {
    Range *a = &g_array_index (c->free, Range, i);
    Range *b = &g_array_index (c->free, Range, i + 1);
    if (a->offset + a->size == b->offset) {
      a->size += b->size;
      g_array_remove_index (c->free, i + 1);
    }
  }
  if (i > 0) {
    Range *a = &g_array_index (c->free, Range, i - 1);
    Range *b = &g_array_index (c->free, Range, i);
    if (a->offset + a->size == b->offset) {
      a->size += b->size;
      g_array_remove_index (c->free, i);
    }
  }
}

/**
 * gst_rk_cuda_device_host_alloc:
 *
 * Mapped pinned host memory, zeroed, 4096-byte aligned, from the pool.
 */
gboolean
gst_rk_cuda_device_host_alloc (GstRkCudaDevice * dev, gsize size,
    const gchar * kernel, GstRkCudaHostMem * mem, GError ** error)
{
  gsize want = (MAX (size, 1) + SLOT_GRANULE - 1) / SLOT_GRANULE *
      SLOT_GRANULE, offset = 0;
  GstRkCudaShared *sh = dev->shared;
  Chunk *c = NULL;
  gboolean ok = FALSE;

  /* As if the pool were full and could not grow: the kernel's own failure
   * path runs, whatever the pool holds */
  if (gst_rk_fault_strikes (kernel ? GST_RK_FAULT_ALLOC : GST_RK_FAULT_MEMORY,
          kernel)) {
    gst_rk_cuda_check (CUDA_ERROR_OUT_OF_MEMORY, "cuMemHostAlloc", error);
    g_prefix_error (error, "cannot allocate %" G_GSIZE_FORMAT " bytes of "
        "mapped host memory%s%s on %s: ", want, kernel ? " for " : "",
        kernel ? kernel : "", sh->name);
    mem->host = NULL;
    mem->size = 0;
    return FALSE;
  }

  gst_rk_mutex_lock (&shared_lock);
  for (guint i = 0; !ok && i < sh->host_chunks->len; i++) {
    c = g_ptr_array_index (sh->host_chunks, i);
    ok = take_range (c, want, &offset);
  }
  if (!ok && resident_kernels > 0) {
    /* cuMemHostAlloc waits for the context: never while a persistent
     * kernel, which never ends, is resident */
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "cannot allocate %" G_GSIZE_FORMAT " bytes of mapped host memory%s%s "
        "on %s while persistent kernels run: its pool of pinned memory is "
        "full, and growing it would stall the device until they end", want,
        kernel ? " for " : "", kernel ? kernel : "", sh->name);
  } else if (!ok) {
    ok = add_chunk (sh, MAX (want, GST_RK_CUDA_HOST_CHUNK_SIZE), kernel,
        error);
    if (ok) {
      c = g_ptr_array_index (sh->host_chunks, sh->host_chunks->len - 1);
      ok = take_range (c, want, &offset);
    }
  }
  gst_rk_mutex_unlock (&shared_lock);
  if (!ok) {
    mem->host = NULL;
    mem->size = 0;
    return FALSE;
  }

  mem->host = (guint8 *) c->host + offset;
  mem->device = c->device + offset;
  mem->size = want;
  mem->chunk = c;
  memset (mem->host, 0, want);
  gst_rk_device_add_memory (&dev->parent, 0, (gint64) want);
  return TRUE;
}

void
gst_rk_cuda_device_host_free (GstRkCudaDevice * dev, GstRkCudaHostMem * mem)
{
  Chunk *c = mem->chunk;

  if (mem->host == NULL)
    return;
  gst_rk_mutex_lock (&shared_lock);
  give_range (c, (gsize) ((guint8 *) mem->host - (guint8 *) c->host),
      mem->size);
  gst_rk_mutex_unlock (&shared_lock);
  gst_rk_device_add_memory (&dev->parent, 0, -(gint64) mem->size);
  mem->host = NULL;
  mem->device = 0;
  mem->size = 0;
}

gboolean
gst_rk_cuda_device_mem_alloc (GstRkCudaDevice * dev, gsize size,
    const gchar * kernel, GstRkCudaMem * mem, GError ** error)
{
  gboolean ok;

  if (gst_rk_fault_strikes (kernel ? GST_RK_FAULT_ALLOC : GST_RK_FAULT_MEMORY,
          kernel))
    ok = gst_rk_cuda_check (CUDA_ERROR_OUT_OF_MEMORY,
        dev->props.memory_pools ? "cuMemAllocAsync" : "cuMemAlloc", error);
  else
    ok = dev->ops->mem_alloc (dev->ctx, size, &mem->ptr, error);
  if (!ok) {
    g_prefix_error (error, "cannot allocate %" G_GSIZE_FORMAT " bytes of "
        "device memory%s%s on %s: ", size, kernel ? " for " : "",
        kernel ? kernel : "", dev->parent.name);
    mem->ptr = 0;
    mem->size = 0;
    return FALSE;
  }
  mem->size = size;
  gst_rk_device_add_memory (&dev->parent, (gint64) size, 0);
  return TRUE;
}

void
gst_rk_cuda_device_mem_free (GstRkCudaDevice * dev, GstRkCudaMem * mem)
{
  if (mem->ptr == 0)
    return;
  dev->ops->mem_free (dev->ctx, mem->ptr);
  gst_rk_device_add_memory (&dev->parent, -(gint64) mem->size, 0);
  mem->ptr = 0;
  mem->size = 0;
}

/**
 * gst_rk_cuda_device_mem_ensure:
 *
 * Makes @mem at least @size bytes (in steps of SLOT_GRANULE): growing
 * frees the old memory, which the caller knows nothing uses.
 */
gboolean
gst_rk_cuda_device_mem_ensure (GstRkCudaDevice * dev, gsize size,
    const gchar * kernel, GstRkCudaMem * mem, GError ** error)
{
  if (size <= mem->size && (size == 0 || mem->ptr))
    return TRUE;
  gst_rk_cuda_device_mem_free (dev, mem);
  return gst_rk_cuda_device_mem_alloc (dev, (size + SLOT_GRANULE - 1) /
      SLOT_GRANULE * SLOT_GRANULE, kernel, mem, error);
}

/**
 * gst_rk_cuda_device_upload:
 * @bytes: (nullable): what to copy
 *
 * Copies @bytes into @mem (grown if need be) and waits for the copy.
 */
gboolean
gst_rk_cuda_device_upload (GstRkCudaDevice * dev, GstRkCudaStream * stream,
    GBytes * bytes, const gchar * kernel, GstRkCudaMem * mem,
    GError ** error)
{
  gsize size = bytes ? g_bytes_get_size (bytes) : 0;

  if (size == 0)
    return TRUE;
  return gst_rk_cuda_device_mem_ensure (dev, size, kernel, mem, error) &&
      dev->ops->copy_to_device (stream, mem->ptr, g_bytes_get_data (bytes,
          NULL), size, error) &&
      gst_rk_cuda_stream_sync (dev->ops, stream, error);
}

/* Residency is accounted per context in shares of an SM: a block of a
 * kernel of which @per_sm fit on one SM holds SM_UNITS / @per_sm of it,
 * whatever the shapes of the other kernels' blocks. */
/* lcm (1..32): a block is a whole number of units at any occupancy */
#define SM_UNITS G_GUINT64_CONSTANT (144403552893600)

static guint64
units_of (guint blocks, guint per_sm)
{
  return ((guint64) blocks * SM_UNITS + per_sm - 1) / per_sm;
}

static guint
blocks_in (guint64 units, guint per_sm)
{
  return (guint) (units * per_sm / SM_UNITS);
}

/**
 * gst_rk_cuda_device_default_grid:
 * @per_sm: blocks of the kernel's shape that fit on one SM
 *
 * Returns: the grid of a frame kernel that names none: the blocks free on
 * the context, less GST_RK_CUDA_HEADROOM_SMS worth of SMs left to
 * event-driven kernels, other libraries and the driver (at least one).
 */
guint
gst_rk_cuda_device_default_grid (GstRkCudaDevice * dev, guint per_sm)
{
  guint64 total = (guint64) dev->props.sm_count * SM_UNITS, used;
  guint headroom = MIN (GST_RK_CUDA_HEADROOM_SMS, dev->props.sm_count / 2);
  guint free_blocks;

  gst_rk_mutex_lock (&shared_lock);
  used = dev->shared->used;
  gst_rk_mutex_unlock (&shared_lock);
  free_blocks = total > used ? blocks_in (total - used, per_sm) : 0;
  return MAX (free_blocks > headroom * per_sm ? free_blocks -
      headroom * per_sm : 0, 1);
}

/**
 * gst_rk_cuda_device_reserve_blocks:
 * @blocks: the grid of a persistent kernel
 * @per_sm: blocks of its shape that fit on one SM (the occupancy API)
 *
 * A persistent kernel keeps every block resident until it terminates, and
 * its grid barrier needs all of them running: a grid that cannot be
 * resident next to the persistent kernels already running on the context,
 * those of every runtime of the process, would hang, so it is refused
 * here with the numbers.
 */
gboolean
gst_rk_cuda_device_reserve_blocks (GstRkCudaDevice * dev, guint blocks,
    guint per_sm, guint block_size, GError ** error)
{
  GstRkCudaShared *sh = dev->shared;
  guint64 total = (guint64) dev->props.sm_count * SM_UNITS;
  guint64 want = units_of (blocks, per_sm);
  gboolean ok;

  gst_rk_mutex_lock (&shared_lock);
  ok = sh->used + want <= total;
  if (ok) {
    sh->used += want;
    sh->kernels++;
    resident_kernels++;
  } else {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "grid-size %u is too large for a persistent kernel on %s: %u blocks "
        "of %u threads fit at once (%u SMs) and running persistent kernels "
        "hold %u of them; every block must stay resident (use a smaller "
        "grid-size or mode=event-driven)", blocks, dev->parent.name,
        per_sm * dev->props.sm_count, block_size, dev->props.sm_count,
        per_sm * dev->props.sm_count - blocks_in (total - sh->used, per_sm));
  }
  gst_rk_mutex_unlock (&shared_lock);
  return ok;
}

void
gst_rk_cuda_device_release_blocks (GstRkCudaDevice * dev, guint blocks,
    guint per_sm)
{
  GstRkCudaShared *sh = dev->shared;
  guint64 units = units_of (blocks, per_sm);

  gst_rk_mutex_lock (&shared_lock);
  sh->used -= MIN (units, sh->used);
  sh->kernels -= MIN (sh->kernels, 1);
  resident_kernels -= MIN (resident_kernels, 1);
  /* The last one stopped: contexts that waited for it close now */
  while (resident_kernels == 0 && retiring) {
    shared_free (retiring->data);
    retiring = g_list_delete_link (retiring, retiring);
  }
  gst_rk_mutex_unlock (&shared_lock);
}

/* ---- Slots ---- */

void
gst_rk_cuda_slots_init (GstRkCudaSlots * slots, GstRkCudaDevice * dev,
    const gchar * kernel, guint n, gboolean with_device,
    gboolean with_staging)
{
  slots->dev = dev;
  slots->kernel = kernel;
  slots->n = n;
  slots->size = 0;
  slots->with_device = with_device;
  slots->with_staging = with_staging;
  slots->device.ptr = 0;
  slots->device.size = 0;
  slots->staging.host = NULL;
  slots->staging.size = 0;
}

void
gst_rk_cuda_slots_clear (GstRkCudaSlots * slots)
{
  gst_rk_cuda_device_mem_free (slots->dev, &slots->device);
  gst_rk_cuda_device_host_free (slots->dev, &slots->staging);
  slots->size = 0;
}

/**
 * gst_rk_cuda_slots_ensure:
 * @size: bytes one slot must hold
 *
 * Makes the slots at least @size bytes. Growing frees the old memory:
 * the caller makes sure nothing uses it.
 */
gboolean
gst_rk_cuda_slots_ensure (GstRkCudaSlots * slots, gsize size,
    GError ** error)
{
  gsize want;

  if (size <= slots->size)
    return TRUE;
  want = (size + SLOT_GRANULE - 1) / SLOT_GRANULE * SLOT_GRANULE;
  gst_rk_cuda_slots_clear (slots);
  if ((slots->with_device && !gst_rk_cuda_device_mem_alloc (slots->dev,
              want * slots->n, slots->kernel, &slots->device, error)) ||
      (slots->with_staging && !gst_rk_cuda_device_host_alloc (slots->dev,
              want * slots->n, slots->kernel, &slots->staging, error))) {
    gst_rk_cuda_slots_clear (slots);
    return FALSE;
  }
  slots->size = want;
  return TRUE;
}
