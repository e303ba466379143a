/* rp-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-core.h"

G_BEGIN_DECLS

#define RP_TYPE_APPLICATION (rp_application_get_type ())

G_DECLARE_FINAL_TYPE (RpApplication, rp_application, RP, APPLICATION, AdwApplication)

RpApplication *rp_application_new             (void) G_GNUC_WARN_UNUSED_RESULT;
RpStore       *rp_application_get_store       (RpApplication *self);
const GError  *rp_application_get_store_error (RpApplication *self);
RpSecrets     *rp_application_get_secrets     (RpApplication *self);
RpFetcher     *rp_application_get_fetcher     (RpApplication *self);
RpScheduler   *rp_application_get_scheduler   (RpApplication *self);

G_END_DECLS
