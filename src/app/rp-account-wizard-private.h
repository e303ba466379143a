/* rp-account-wizard-private.h: the wizard's insides, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-account-wizard.h"
#include "rp-autoconfig.h"

G_BEGIN_DECLS

/* The discoverer the wizard uses, so that a test can map ports. */
RpDiscoverer    *_rp_account_wizard_get_discoverer (RpAccountWizard *self);
/* Trusts this CA (PEM) for discovery and for the new account, as a
 * company CA would be. */
void             _rp_account_wizard_set_ca_file    (RpAccountWizard *self,
                                                    const char      *ca_file);
/* "details", "discovering", "found", "manual", "test", "retention" or "done". */
const char      *_rp_account_wizard_get_page       (RpAccountWizard *self);
/* The account as set up so far. */
const RpAccount *_rp_account_wizard_get_account    (RpAccountWizard *self);
/* Whether the last connection test passed, failed, or is still running. */
gboolean         _rp_account_wizard_is_testing     (RpAccountWizard *self);
gboolean         _rp_account_wizard_test_passed    (RpAccountWizard *self);
/* The error shown in place after a failed test, or NULL. */
const char      *_rp_account_wizard_get_error      (RpAccountWizard *self);

G_END_DECLS
