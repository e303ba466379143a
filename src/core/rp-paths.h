/* rp-paths.h: where Rapport keeps its state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *rp_paths_get_data_dir   (void) G_GNUC_WARN_UNUSED_RESULT;
char     *rp_paths_get_config_dir (void) G_GNUC_WARN_UNUSED_RESULT;
char     *rp_paths_get_cache_dir  (void) G_GNUC_WARN_UNUSED_RESULT;
gboolean  rp_paths_ensure         (GError **error);

G_END_DECLS
