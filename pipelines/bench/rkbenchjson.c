/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "ringkernel.h"
#include "rkbenchjson.h"

struct _RkJson
{
  GString *s;
  gboolean need_comma;
  gboolean after_key;
};

RkJson *
rk_json_new (void)
{
  RkJson *j = g_new0 (RkJson, 1);

  j->s = g_string_new (NULL);
  return j;
}

void
rk_json_free (RkJson * j)
{
  g_string_free (j->s, TRUE);
  g_free (j);
}

gboolean
rk_json_write (RkJson * j, const gchar * path)
{
  GError *err = NULL;

  g_string_append_c (j->s, '\n');
  if (path == NULL) {
    fputs (j->s->str, stdout);
    return TRUE;
  }
  if (!g_file_set_contents (path, j->s->str, j->s->len, &err)) {
    g_printerr ("rkbench: %s\n", err->message);
    g_error_free (err);
    return FALSE;
  }
  return TRUE;
}

static void
separate (RkJson * j)
{
  if (j->after_key) {
    j->after_key = FALSE;
    return;
  }
  if (j->need_comma)
    g_string_append_c (j->s, ',');
  j->need_comma = TRUE;
}

static void
append_escaped (GString * s, const gchar * str)
{
  g_string_append_c (s, '"');
  for (const gchar * p = str ? str : ""; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_printf (s, "\\%c", *p);
    else if ((guchar) * p < 0x20)
      g_string_append_printf (s, "\\u%04x", (guchar) * p);
    else
      g_string_append_c (s, *p);
  }
  g_string_append_c (s, '"');
}

void
rk_json_key (RkJson * j, const gchar * key)
{
  separate (j);
  append_escaped (j->s, key);
  g_string_append_c (j->s, ':');
  j->after_key = TRUE;
}

void
rk_json_begin_object (RkJson * j)
{
  separate (j);
  g_string_append_c (j->s, '{');
  j->need_comma = FALSE;
}

void
rk_json_end_object (RkJson * j)
{
  g_string_append_c (j->s, '}');
  j->need_comma = TRUE;
}

void
rk_json_begin_array (RkJson * j)
{
  separate (j);
  g_string_append_c (j->s, '[');
  j->need_comma = FALSE;
}

void
rk_json_end_array (RkJson * j)
{
  g_string_append_c (j->s, ']');
  j->need_comma = TRUE;
}

void
rk_json_string (RkJson * j, const gchar * key, const gchar * value)
{
  rk_json_key (j, key);
  separate (j);
  if (value)
    append_escaped (j->s, value);
  else
    g_string_append (j->s, "null");
}

void
rk_json_int (RkJson * j, const gchar * key, gint64 value)
{
  rk_json_key (j, key);
  separate (j);
  g_string_append_printf (j->s, "%" G_GINT64_FORMAT, value);
}

static void
append_double (GString * s, gdouble v)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (s, g_ascii_formatd (buf, sizeof (buf), "%.6g", v));
}

void
rk_json_double (RkJson * j, const gchar * key, gdouble value)
{
  rk_json_key (j, key);
  separate (j);
  append_double (j->s, value);
}

void
rk_json_double_array (RkJson * j, const gchar * key, const gdouble * values,
    guint n)
{
  rk_json_key (j, key);
  separate (j);
  g_string_append_c (j->s, '[');
  for (guint i = 0; i < n; i++) {
    if (i)
      g_string_append_c (j->s, ',');
    append_double (j->s, values[i]);
  }
  g_string_append_c (j->s, ']');
}

static gchar *
cpu_model (void)
{
  gchar *text = NULL, *model = NULL;

  if (g_file_get_contents ("/proc/cpuinfo", &text, NULL, NULL)) {
    gchar **lines = g_strsplit (text, "\n", -1);
    for (guint i = 0; lines[i] && !model; i++)
      if (g_str_has_prefix (lines[i], "model name")) {
        gchar *colon = strchr (lines[i], ':');
        if (colon)
          model = g_strstrip (g_strdup (colon + 1));
      }
    g_strfreev (lines);
    g_free (text);
  }
  return model ? model : g_strdup ("unknown");
}

/* The device kernels on @backend run on when none is named, the one the
 * benchmarks use: an echo kernel launched there says. NULL when none
 * launches. */
static gchar *
default_device (GstRkBackendKind backend)
{
  GstRkRuntime *rt = gst_rk_runtime_new (backend, -1);
  GstRkKernel *k = gst_rk_runtime_launch (rt, "echo", NULL, backend, -1,
      NULL, NULL, NULL);
  gchar *name = NULL;

  if (k != NULL) {
    name = g_strdup (gst_rk_kernel_get_device_name (k));
    gst_rk_kernel_terminate (k, NULL);
    gst_object_unref (k);
  }
  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (rt);
  return name;
}

/* Versions, CPU, and each backend with the device it runs on: enough to
 * tell where figures came from. Through the public API only, as any
 * application. */
void
rk_json_machine (RkJson * j)
{
  static const GstRkBackendKind kinds[] = { GST_RK_BACKEND_CPU,
    GST_RK_BACKEND_VULKAN, GST_RK_BACKEND_CUDA
  };
  struct utsname u;
  gchar *model = cpu_model (), *gst = gst_version_string ();
  GDateTime *now = g_date_time_new_now_utc ();
  gchar *date = g_date_time_format_iso8601 (now);

  uname (&u);
  rk_json_key (j, "machine");
  rk_json_begin_object (j);
  rk_json_string (j, "hostname", g_get_host_name ());
  rk_json_string (j, "date", date);
  rk_json_string (j, "cpu_model", model);
  rk_json_int (j, "cpu_threads", g_get_num_processors ());
  rk_json_string (j, "kernel", u.release);
  rk_json_string (j, "gstreamer", gst);
  {
    gchar *glib = g_strdup_printf ("%u.%u.%u", glib_major_version,
        glib_minor_version, glib_micro_version);
    rk_json_string (j, "glib", glib);
    g_free (glib);
  }
  rk_json_key (j, "backends");
  rk_json_begin_array (j);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++) {
    gchar *reason = NULL, *device = NULL;
    gboolean available = gst_rk_runtime_is_backend_available (kinds[i],
        &reason);

    if (available)
      device = default_device (kinds[i]);
    rk_json_begin_object (j);
    rk_json_string (j, "backend", gst_rk_backend_kind_get_name (kinds[i]));
    rk_json_int (j, "available", available);
    rk_json_string (j, "reason", reason);
    /* The default device only: what the figures of this backend ran on */
    rk_json_key (j, "devices");
    rk_json_begin_array (j);
    if (device != NULL) {
      rk_json_begin_object (j);
      rk_json_string (j, "name", device);
      rk_json_end_object (j);
    }
    rk_json_end_array (j);
    rk_json_end_object (j);
    g_free (reason);
    g_free (device);
  }
  rk_json_end_array (j);
  rk_json_end_object (j);

  g_free (model);
  g_free (gst);
  g_free (date);
  g_date_time_unref (now);
}

/* /proc/loadavg as @key, and on stderr: figures from a busy machine say so
 * in their own file. */
void
rk_json_loadavg (RkJson * j, const gchar * key)
{
  gchar *text = NULL;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    g_strstrip (text);
  g_printerr ("%s: %s\n", key, text ? text : "unknown");
  rk_json_string (j, key, text);
  g_free (text);
}
