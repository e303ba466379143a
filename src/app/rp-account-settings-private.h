/* rp-account-settings-private.h: the identity dialog of the account
 * settings, and the settings' insides for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-account.h"
#include "rp-account-settings.h"

G_BEGIN_DECLS

/* Receives the edited identity (transfer full) and the password of its
 * own SMTP server ("" to keep the stored one). */
typedef void (*RpIdentityEditedFunc) (RpIdentity *identity,
                                      const char *password,
                                      gpointer    user_data);

/* Shows a dialog, modal to @parent, editing a copy of @identity (or a new
 * one when NULL). @func runs on Save; @user_data (a GObject) is kept alive
 * until the dialog closes. */
GtkWindow *_rp_identity_dialog_present (GtkWindow            *parent,
                                        const RpIdentity     *identity,
                                        RpIdentityEditedFunc  func,
                                        gpointer              user_data);
/* A part of an identity dialog, for tests: "address", "name", "cc",
 * "bcc", "server" (the expander with its switch), "host", "security",
 * "port", "user", "password" or "save". */
GtkWidget *_rp_identity_dialog_get_part (GtkWindow            *dialog,
                                         const char           *name);
/* The account as last loaded, for tests. */
const RpAccount *_rp_account_settings_get_account (RpAccountSettings *self);
/* The open identity dialog, or NULL. */
GtkWindow       *_rp_account_settings_get_identity_dialog (RpAccountSettings *self);
/* The open removal confirmation, or NULL. */
AdwMessageDialog *_rp_account_settings_get_remove_dialog (RpAccountSettings *self);

G_END_DECLS
