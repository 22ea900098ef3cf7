/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * GstRkDeviceMemory: a payload that stays on a ring kernel's device.
 *
 * A kernel whose next element runs on the same device writes its output
 * here instead of copying it back to the host, and that element's kernel
 * reads it where it lies. The host sees the bytes only if it maps the
 * memory: a host-visible coherent allocation is mapped as it is, anything
 * else is read into a host copy on the first map (then kept, until a map
 * for writing sends it back). So a buffer that strays to a host element
 * is still correct, only slower; caps negotiation
 * (GST_CAPS_FEATURE_MEMORY_RK_DEVICE) keeps that from happening.
 *
 * Each memory holds a reference on its GstRkDevice: a frame may outlive
 * the pipeline that made it. Freed allocations go back to a small cache
 * on the device, so a stream of frames allocates nothing per frame.
 */

#include "gstrkdevicememoryprivate.h"
#include "gstrkerror.h"
#include "gstrksync.h"

GST_DEBUG_CATEGORY_STATIC (rk_devmem_debug);
#define GST_CAT_DEFAULT rk_devmem_debug

/* Allocations a device keeps for reuse: a few frames in flight per
 * element of a chain. */
#define CACHE_MAX 16

typedef struct
{
  GstMemory mem;
  GstRkDevice *device;          /* a reference (root memory only) */
  gpointer handle;
  guint8 *host;                 /* the direct view, or the host copy */
  gboolean direct;
  gboolean host_valid;          /* the copy holds what the device has */
  GMutex lock;
} GstRkDeviceMemory;

typedef struct
{
  gpointer handle;
  gsize size;
  guint8 *host;
} Cached;

typedef GstAllocator GstRkDeviceAllocator;
typedef GstAllocatorClass GstRkDeviceAllocatorClass;

GType gst_rk_device_allocator_get_type (void);
G_DEFINE_TYPE (GstRkDeviceAllocator, gst_rk_device_allocator,
    GST_TYPE_ALLOCATOR);

static GstRkDeviceMemory *
root_of (GstMemory * mem)
{
  return (GstRkDeviceMemory *) (mem->parent ? mem->parent : mem);
}

static GstMemory *
devmem_alloc (GstAllocator * allocator, gsize size,
    GstAllocationParams * params)
{
  /* Device memory needs a device: gst_rk_device_memory_new () */
  g_warning ("%s cannot allocate without a device", GST_OBJECT_NAME (allocator));
  return NULL;
}

static void
devmem_free (GstAllocator * allocator, GstMemory * mem)
{
  GstRkDeviceMemory *m = (GstRkDeviceMemory *) mem;
  GstRkDevice *device = m->device;

  if (mem->parent == NULL) {
    Cached *c = NULL;

    gst_rk_mutex_lock (&device->payload_lock);
    if (device->payload_cache.length < CACHE_MAX) {
      c = g_new (Cached, 1);
      c->handle = m->handle;
      c->size = mem->maxsize;
      c->host = m->direct ? m->host : NULL;
      g_queue_push_head (&device->payload_cache, c);
    }
    gst_rk_mutex_unlock (&device->payload_lock);
    if (c == NULL) {
      device->backend->device_memory->free (device, m->handle);
      g_atomic_int_add (&device->payloads, -1);
    }
    if (!m->direct)
      g_free (m->host);
    gst_rk_device_unref (device);
  }
  g_mutex_clear (&m->lock);
  g_free (m);
}

static gpointer
devmem_map_full (GstMemory * mem, GstMapInfo * info, gsize maxsize)
{
  GstRkDeviceMemory *m = root_of (mem);
  const GstRkDeviceMemoryOps *ops = m->device->backend->device_memory;
  GError *err = NULL;
  gpointer data = NULL;

  gst_rk_mutex_lock (&m->lock);
  if (m->direct) {
    data = m->host;
  } else if (ops->read == NULL) {
    GST_ERROR ("%s cannot read its memory on the host", m->device->name);
  } else {
    if (m->host == NULL)
      m->host = g_malloc (m->mem.maxsize);
    /* also before a write: the caller may write part of it */
    if (!m->host_valid && !ops->read (m->device, m->handle, m->host,
            m->mem.maxsize, &err)) {
      GST_ERROR ("cannot read %" G_GSIZE_FORMAT " bytes from %s: %s",
          m->mem.maxsize, m->device->name, err->message);
      g_clear_error (&err);
    } else {
      GST_LOG ("read %" G_GSIZE_FORMAT " bytes from %s", m->mem.maxsize,
          m->device->name);
      m->host_valid = TRUE;
      data = m->host;
    }
  }
  gst_rk_mutex_unlock (&m->lock);
  return data;
}

static void
devmem_unmap_full (GstMemory * mem, GstMapInfo * info)
{
  GstRkDeviceMemory *m = root_of (mem);
  const GstRkDeviceMemoryOps *ops = m->device->backend->device_memory;
  GError *err = NULL;

  if (m->direct || !(info->flags & GST_MAP_WRITE) || m->host == NULL)
    return;
  gst_rk_mutex_lock (&m->lock);
  if (ops->write == NULL || !ops->write (m->device, m->handle, m->host, m->mem.maxsize, &err)) {
    GST_ERROR ("cannot write %" G_GSIZE_FORMAT " bytes to %s: %s",
        m->mem.maxsize, m->device->name, err ? err->message :
        "no way to write its memory from the host");
    g_clear_error (&err);
  }
  gst_rk_mutex_unlock (&m->lock);
}

static GstMemory *
devmem_share (GstMemory * mem, gssize offset, gssize size)
{
  GstRkDeviceMemory *root = root_of (mem);
  GstRkDeviceMemory *sub = g_new0 (GstRkDeviceMemory, 1);

  if (size == -1)
    size = mem->size - offset;
  g_mutex_init (&sub->lock);
  sub->device = root->device;
  sub->handle = root->handle;
  gst_memory_init (GST_MEMORY_CAST (sub), GST_MINI_OBJECT_FLAGS (root) |
      GST_MINI_OBJECT_FLAG_LOCK_READONLY, mem->allocator,
      GST_MEMORY_CAST (root), mem->maxsize, mem->align, mem->offset + offset,
      size);
  return GST_MEMORY_CAST (sub);
}

static void
gst_rk_device_allocator_class_init (GstRkDeviceAllocatorClass * klass)
{
  klass->alloc = devmem_alloc;
  klass->free = devmem_free;
}

static void
gst_rk_device_allocator_init (GstRkDeviceAllocator * self)
{
  GstAllocator *alloc = GST_ALLOCATOR_CAST (self);

  alloc->mem_type = GST_RK_DEVICE_MEMORY_TYPE;
  alloc->mem_map_full = devmem_map_full;
  alloc->mem_unmap_full = devmem_unmap_full;
  alloc->mem_share = (GstMemoryShareFunction) devmem_share;
  GST_OBJECT_FLAG_SET (alloc, GST_ALLOCATOR_FLAG_CUSTOM_ALLOC);
}

static GstAllocator *
get_allocator (void)
{
  static GstAllocator *allocator;

  if (g_once_init_enter (&allocator)) {
    GstAllocator *a;

    GST_DEBUG_CATEGORY_INIT (rk_devmem_debug, "rkdevicememory", 0,
        "ring kernel payloads on the device");
    a = g_object_new (gst_rk_device_allocator_get_type (), "name",
        GST_RK_DEVICE_MEMORY_TYPE "Allocator", NULL);
    gst_object_ref_sink (a);
    /* one for the process, like the system allocator */
    GST_OBJECT_FLAG_SET (a, GST_OBJECT_FLAG_MAY_BE_LEAKED);
    g_once_init_leave (&allocator, a);
  }
  return allocator;
}

/**
 * gst_rk_device_memory_new:
 *
 * Returns: (transfer full): @size bytes of payload memory on @device (its
 * content undefined), or %NULL with @error
 */
GstMemory *
gst_rk_device_memory_new (GstRkDevice * device, gsize size, GError ** error)
{
  const GstRkDeviceMemoryOps *ops = device->backend->device_memory;
  GstRkDeviceMemory *m;
  gpointer handle = NULL;
  guint8 *host = NULL;
  GList *l;

  g_return_val_if_fail (ops != NULL, NULL);

  gst_rk_mutex_lock (&device->payload_lock);
  for (l = device->payload_cache.head; l; l = l->next) {
    Cached *c = l->data;

    if (c->size == size) {
      handle = c->handle;
      host = c->host;
      g_queue_delete_link (&device->payload_cache, l);
      g_free (c);
      break;
    }
  }
  gst_rk_mutex_unlock (&device->payload_lock);
  if (handle == NULL) {
    if ((handle = ops->alloc (device, size, &host, error)) == NULL)
      return NULL;
    g_atomic_int_inc (&device->payloads);
  }

  m = g_new0 (GstRkDeviceMemory, 1);
  g_mutex_init (&m->lock);
  m->device = gst_rk_device_ref (device);
  m->handle = handle;
  m->host = host;
  m->direct = host != NULL;
  gst_memory_init (GST_MEMORY_CAST (m), 0, get_allocator (), NULL, size, 0,
      0, size);
  return GST_MEMORY_CAST (m);
}

/**
 * gst_rk_device_memory_get_handle:
 *
 * Returns: the backend's handle of @buffer's payload if it is one whole
 * GstRkDeviceMemory on @device, else %NULL (then read it on the host)
 */
gpointer
gst_rk_device_memory_get_handle (GstBuffer * buffer, GstRkDevice * device)
{
  GstMemory *mem;
  GstRkDeviceMemory *m;

  if (buffer == NULL || gst_buffer_n_memory (buffer) != 1)
    return NULL;
  mem = gst_buffer_peek_memory (buffer, 0);
  if (!gst_is_rk_device_memory (mem) || mem->offset != 0 ||
      mem->size != mem->maxsize)
    return NULL;
  m = root_of (mem);
  return m->device == device ? m->handle : NULL;
}

/**
 * gst_rk_device_memory_get_handle_of:
 *
 * Returns: the backend's handle of @mem (a GstRkDeviceMemory)
 */
gpointer
gst_rk_device_memory_get_handle_of (GstMemory * mem)
{
  return root_of (mem)->handle;
}

/**
 * gst_rk_device_memory_drop_cache:
 *
 * Frees the allocations @device kept for reuse (when it closes).
 */
void
gst_rk_device_memory_drop_cache (GstRkDevice * device)
{
  Cached *c;

  while ((c = g_queue_pop_head (&device->payload_cache))) {
    device->backend->device_memory->free (device, c->handle);
    g_atomic_int_add (&device->payloads, -1);
    g_free (c);
  }
}

/**
 * gst_is_rk_device_memory:
 * @mem: (nullable): a #GstMemory
 *
 * Returns: whether @mem is a ring kernel payload on its device
 */
gboolean
gst_is_rk_device_memory (GstMemory * mem)
{
  return mem != NULL && gst_memory_is_type (mem, GST_RK_DEVICE_MEMORY_TYPE);
}

/**
 * gst_rk_caps_with_device_memory:
 * @caps: caps in any memory
 *
 * Returns: (transfer full): a copy of @caps with the
 * GST_CAPS_FEATURE_MEMORY_RK_DEVICE feature on every structure
 */
GstCaps *
gst_rk_caps_with_device_memory (const GstCaps * caps)
{
  GstCaps *res = gst_caps_copy (caps);
  guint i;

  for (i = 0; i < gst_caps_get_size (res); i++)
    gst_caps_set_features (res, i,
        gst_caps_features_new (GST_CAPS_FEATURE_MEMORY_RK_DEVICE, NULL));
  return res;
}
