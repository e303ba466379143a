/* rp-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-account"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-account.h"

G_DEFINE_BOXED_TYPE (RpAccount, rp_account, rp_account_copy, rp_account_free)

RpIdentity *
rp_identity_new (const char *address)
{
  RpIdentity *identity = g_new0 (RpIdentity, 1);

  identity->address = g_strdup (address);
  identity->display_name = g_strdup ("");
  identity->smtp_port = 465;
  identity->smtp_security = RP_SECURITY_TLS;
  identity->smtp_user = g_strdup ("");

  return identity;
}

RpIdentity *
rp_identity_copy (const RpIdentity *identity)
{
  RpIdentity *copy;

  g_return_val_if_fail (identity != NULL, NULL);

  copy = g_memdup2 (identity, sizeof *identity);
  copy->address = g_strdup (identity->address);
  copy->display_name = g_strdup (identity->display_name);
  copy->smtp_host = g_strdup (identity->smtp_host);
  copy->smtp_user = g_strdup (identity->smtp_user);
  copy->pinned_certificate = g_strdup (identity->pinned_certificate);

  return copy;
}

void
rp_identity_free (RpIdentity *identity)
{
  if (identity == NULL)
    return;

  g_free (identity->address);
  g_free (identity->display_name);
  g_free (identity->smtp_host);
  g_free (identity->smtp_user);
  g_free (identity->pinned_certificate);
  g_free (identity);
}

/**
 * rp_account_new:
 * @name: the account's unique name
 *
 * Returns: (transfer full): an account with the defaults a new account gets:
 *   POP3 and SMTP over TLS, messages left on the server, polled every
 *   10 minutes, first downloads in batches of 500
 */
RpAccount *
rp_account_new (const char *name)
{
  RpAccount *account = g_new0 (RpAccount, 1);

  account->name = g_strdup (name);
  account->email = g_strdup ("");
  account->display_name = g_strdup ("");
  account->pop_host = g_strdup ("");
  account->pop_port = 995;
  account->pop_security = RP_SECURITY_TLS;
  account->pop_user = g_strdup ("");
  account->smtp_host = g_strdup ("");
  account->smtp_port = 465;
  account->smtp_security = RP_SECURITY_TLS;
  account->smtp_user = g_strdup ("");
  account->retention = RP_RETENTION_KEEP;
  account->retention_days = 14;
  account->poll_minutes = 10;
  account->batch_size = 500;
  account->enabled = TRUE;
  account->identities = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_identity_free);

  return account;
}

RpAccount *
rp_account_copy (const RpAccount *account)
{
  RpAccount *copy;

  g_return_val_if_fail (account != NULL, NULL);

  copy = g_memdup2 (account, sizeof *account);
  copy->name = g_strdup (account->name);
  copy->email = g_strdup (account->email);
  copy->display_name = g_strdup (account->display_name);
  copy->pop_host = g_strdup (account->pop_host);
  copy->pop_user = g_strdup (account->pop_user);
  copy->smtp_host = g_strdup (account->smtp_host);
  copy->smtp_user = g_strdup (account->smtp_user);
  copy->pinned_certificate = g_strdup (account->pinned_certificate);
  copy->smtp_pinned_certificate = g_strdup (account->smtp_pinned_certificate);
  copy->ca_file = g_strdup (account->ca_file);
  copy->last_error = g_strdup (account->last_error);
  copy->last_error_code = g_strdup (account->last_error_code);
  copy->identities = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_identity_free);
  for (guint i = 0; i < account->identities->len; i++)
    g_ptr_array_add (copy->identities,
                     rp_identity_copy (g_ptr_array_index (account->identities, i)));

  return copy;
}

void
rp_account_free (RpAccount *account)
{
  if (account == NULL)
    return;

  g_free (account->name);
  g_free (account->email);
  g_free (account->display_name);
  g_free (account->pop_host);
  g_free (account->pop_user);
  g_free (account->smtp_host);
  g_free (account->smtp_user);
  g_free (account->pinned_certificate);
  g_free (account->smtp_pinned_certificate);
  g_free (account->ca_file);
  g_free (account->last_error);
  g_free (account->last_error_code);
  g_ptr_array_unref (account->identities);
  g_free (account);
}

/**
 * rp_account_find_identity:
 *
 * Returns: (transfer none) (nullable): the identity sending as @address
 */
RpIdentity *
rp_account_find_identity (const RpAccount *account,
                          const char      *address)
{
  g_return_val_if_fail (account != NULL, NULL);

  if (address == NULL)
    return NULL;

  for (guint i = 0; i < account->identities->len; i++)
    {
      RpIdentity *identity = g_ptr_array_index (account->identities, i);

      if (g_ascii_strcasecmp (identity->address, address) == 0)
        return identity;
    }

  return NULL;
}

/**
 * rp_account_get_default_identity:
 *
 * Returns: (transfer none) (nullable): the default identity, or the first
 */
RpIdentity *
rp_account_get_default_identity (const RpAccount *account)
{
  g_return_val_if_fail (account != NULL, NULL);

  for (guint i = 0; i < account->identities->len; i++)
    {
      RpIdentity *identity = g_ptr_array_index (account->identities, i);

      if (identity->is_default)
        return identity;
    }

  return account->identities->len > 0 ? g_ptr_array_index (account->identities, 0) : NULL;
}

gboolean
rp_account_is_own_address (const RpAccount *account,
                           const char      *address)
{
  g_return_val_if_fail (account != NULL, FALSE);

  if (address == NULL || *address == '\0')
    return FALSE;

  return g_ascii_strcasecmp (account->email, address) == 0 ||
         rp_account_find_identity (account, address) != NULL;
}

/**
 * rp_account_get_smtp_pin:
 * @account: an account
 *
 * The pinned certificate the account's own SMTP server must present (an
 * identity with a server of its own has its own pin). A provider may well
 * use different certificates for POP3 and SMTP, so each server has its
 * pin; the POP3 pin stands in only for an account saved before the SMTP
 * pin existed, and only for an SMTP server on the same host.
 *
 * Returns: (transfer none) (nullable): a lower-case hex SHA-256, or %NULL
 */
const char *
rp_account_get_smtp_pin (const RpAccount *account)
{
  g_return_val_if_fail (account != NULL, NULL);

  if (account->smtp_pinned_certificate != NULL && *account->smtp_pinned_certificate != '\0')
    return account->smtp_pinned_certificate;
  if (account->pinned_certificate != NULL && *account->pinned_certificate != '\0' &&
      g_strcmp0 (account->smtp_host, account->pop_host) == 0)
    return account->pinned_certificate;

  return NULL;
}

/**
 * rp_account_dup_secret_key:
 * @identity: (nullable): an identity with its own SMTP server, or %NULL for
 *   the account's servers
 *
 * Returns: (transfer full): the key for #RpSecrets
 */
char *
rp_account_dup_secret_key (const RpAccount  *account,
                           const RpIdentity *identity)
{
  g_return_val_if_fail (account != NULL, NULL);

  if (identity != NULL && identity->smtp_host != NULL)
    return g_strdup_printf ("%s/%s", account->name, identity->address);

  return g_strdup (account->name);
}

const char *
rp_retention_to_string (RpRetention retention)
{
  switch (retention)
    {
    case RP_RETENTION_KEEP:                return "keep";
    case RP_RETENTION_DELETE_AFTER_FETCH:  return "delete-after-fetch";
    case RP_RETENTION_DELETE_AFTER_DAYS:   return "delete-after-days";
    case RP_RETENTION_DELETE_WHEN_DELETED: return "delete-when-deleted";
    default:                               return "keep";
    }
}

const char *
rp_disabled_reason_to_string (RpDisabledReason reason)
{
  switch (reason)
    {
    case RP_DISABLED_NONE:       return NULL;
    case RP_DISABLED_AUTH:       return "authentication";
    case RP_DISABLED_CONNECTION: return "connection";
    case RP_DISABLED_USER:       return "user";
    default:                     return NULL;
    }
}

char *
rp_account_describe_disabled (const RpAccount *account)
{
  g_return_val_if_fail (account != NULL, NULL);

  switch (account->disabled_reason)
    {
    case RP_DISABLED_AUTH:
      return g_strdup_printf (_("The server refused the password for “%s” %u times in a row, so "
                                "Rapport stopped trying. Enter the correct password to turn the "
                                "account back on."), account->name, account->auth_failures);
    case RP_DISABLED_CONNECTION:
      return g_strdup_printf (_("Rapport could not reach the server of “%s” %u times in a row and "
                                "stopped trying. Check the server settings, then turn the account "
                                "back on."), account->name, account->connection_failures);
    case RP_DISABLED_USER:
      return g_strdup_printf (_("“%s” is switched off."), account->name);
    case RP_DISABLED_NONE:
    default:
      return NULL;
    }
}
