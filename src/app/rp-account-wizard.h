/* rp-account-wizard.h: adding a mail account, from the address and
 * password to the first fetch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rp-application.h"

G_BEGIN_DECLS

#define RP_TYPE_ACCOUNT_WIZARD (rp_account_wizard_get_type ())

G_DECLARE_FINAL_TYPE (RpAccountWizard, rp_account_wizard, RP, ACCOUNT_WIZARD, AdwWindow)

RpAccountWizard *rp_account_wizard_new     (RpApplication *application,
                                            GtkWindow     *parent) G_GNUC_WARN_UNUSED_RESULT;
/* Shows the wizard of @application that is already open, or a new one
 * modal to @parent. */
RpAccountWizard *rp_account_wizard_present (RpApplication *application,
                                            GtkWindow     *parent);

G_END_DECLS
