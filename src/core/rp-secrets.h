/* rp-secrets.h: passwords, in the desktop keyring or, where none is
 * reachable, in a file only the user can read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  RP_SECRETS_BACKEND_AUTO,    /* the keyring if reachable, else the file */
  RP_SECRETS_BACKEND_KEYRING,
  RP_SECRETS_BACKEND_FILE,
} RpSecretsBackend;

#define RP_TYPE_SECRETS (rp_secrets_get_type ())

G_DECLARE_FINAL_TYPE (RpSecrets, rp_secrets, RP, SECRETS, GObject)

/* RAPPORT_SECRETS=file or =keyring in the environment overrides AUTO. */
RpSecrets        *rp_secrets_new             (RpSecretsBackend  backend) G_GNUC_WARN_UNUSED_RESULT;
RpSecretsBackend  rp_secrets_get_backend     (RpSecrets        *self);
/* @service is "pop3" or "smtp"; @key names the account (and identity). */
gboolean          rp_secrets_store_sync      (RpSecrets        *self,
                                              const char       *service,
                                              const char       *key,
                                              const char       *password,
                                              GCancellable     *cancellable,
                                              GError          **error);
/* Returns NULL without error when there is no password. */
char             *rp_secrets_lookup_sync     (RpSecrets        *self,
                                              const char       *service,
                                              const char       *key,
                                              GCancellable     *cancellable,
                                              GError          **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean          rp_secrets_clear_sync      (RpSecrets        *self,
                                              const char       *service,
                                              const char       *key,
                                              GCancellable     *cancellable,
                                              GError          **error);

G_END_DECLS
