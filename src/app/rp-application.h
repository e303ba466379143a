/* rp-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RP_TYPE_APPLICATION (rp_application_get_type ())

G_DECLARE_FINAL_TYPE (RpApplication, rp_application, RP, APPLICATION, AdwApplication)

RpApplication *rp_application_new (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
