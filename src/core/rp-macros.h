/* rp-macros.h: small helpers shared by the engine, the app and the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* The GTK main loop owns the default main context; workers never do. */
#define RP_IS_MAIN_THREAD() (g_main_context_is_owner (g_main_context_default ()))

/* Tracing of entry and exit, compiled out unless RP_ENABLE_TRACE is
 * defined (meson -Dc_args=-DRP_ENABLE_TRACE). */
#ifdef RP_ENABLE_TRACE
# define RP_ENTRY     g_debug ("ENTRY: %s():%d", G_STRFUNC, __LINE__)
# define RP_EXIT      G_STMT_START { g_debug (" EXIT: %s():%d", G_STRFUNC, __LINE__); return; } G_STMT_END
# define RP_RETURN(v) G_STMT_START { g_debug (" EXIT: %s():%d", G_STRFUNC, __LINE__); return v; } G_STMT_END
#else
# define RP_ENTRY     G_STMT_START { } G_STMT_END
# define RP_EXIT      G_STMT_START { return; } G_STMT_END
# define RP_RETURN(v) G_STMT_START { return v; } G_STMT_END
#endif

/**
 * rp_set_str:
 * @str_pointer: (inout): a pointer to a string field
 * @new_str: (nullable): the new value
 *
 * GLib 2.74 lacks g_set_str(); this is it. Property setters use it to notify
 * only when the value changed.
 *
 * Returns: %TRUE if the value changed
 */
static inline gboolean
rp_set_str (char       **str_pointer,
            const char  *new_str)
{
  char *copy;

  if (*str_pointer == new_str ||
      (*str_pointer != NULL && new_str != NULL && strcmp (*str_pointer, new_str) == 0))
    return FALSE;

  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;

  return TRUE;
}

G_END_DECLS
