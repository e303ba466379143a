/* rp-test-util.h: shared helpers for Rapport's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void   rp_test_init          (int    *argc,
                              char ***argv);
char  *rp_test_make_tmpdir   (const char *prefix) G_GNUC_WARN_UNUSED_RESULT;
void   rp_test_rm_rf         (const char *path);
char  *rp_test_sha256_file   (const char *path) G_GNUC_WARN_UNUSED_RESULT;
char  *rp_test_sha256_bytes  (GBytes     *bytes) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
