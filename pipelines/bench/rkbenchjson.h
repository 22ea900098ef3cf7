/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __RK_BENCH_JSON_H__
#define __RK_BENCH_JSON_H__

#include <glib.h>

G_BEGIN_DECLS

/* A minimal streaming JSON writer for benchmark results. */
typedef struct _RkJson RkJson;

RkJson *rk_json_new (void);
void rk_json_free (RkJson * j);
gboolean rk_json_write (RkJson * j, const gchar * path);

void rk_json_key (RkJson * j, const gchar * key);
void rk_json_begin_object (RkJson * j);
void rk_json_end_object (RkJson * j);
void rk_json_begin_array (RkJson * j);
void rk_json_end_array (RkJson * j);
void rk_json_string (RkJson * j, const gchar * key, const gchar * value);
void rk_json_int (RkJson * j, const gchar * key, gint64 value);
void rk_json_double (RkJson * j, const gchar * key, gdouble value);
void rk_json_double_array (RkJson * j, const gchar * key,
    const gdouble * values, guint n);

void rk_json_machine (RkJson * j);
void rk_json_loadavg (RkJson * j, const gchar * key);

G_END_DECLS

#endif /* __RK_BENCH_JSON_H__ */
