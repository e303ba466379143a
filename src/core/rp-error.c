/* rp-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-error"

#include "config.h"

#include "rp-error.h"

G_DEFINE_QUARK (rp-error-quark, rp_error)

/**
 * rp_error_code_to_string:
 * @code: an #RpErrorCode
 *
 * Returns: a stable, untranslated identifier for @code, used in JSON output
 *   of rapport-cli and in logs.
 */
const char *
rp_error_code_to_string (RpErrorCode code)
{
  switch (code)
    {
    case RP_ERROR_FAILED:            return "failed";
    case RP_ERROR_AUTH_FAILED:       return "auth-failed";
    case RP_ERROR_CONNECTION_FAILED: return "connection-failed";
    case RP_ERROR_TIMEOUT:           return "timeout";
    case RP_ERROR_TLS_CERTIFICATE:   return "tls-certificate";
    case RP_ERROR_TLS_UNAVAILABLE:   return "tls-unavailable";
    case RP_ERROR_SERVER_TEMPORARY:  return "server-temporary";
    case RP_ERROR_SERVER_PERMANENT:  return "server-permanent";
    case RP_ERROR_MAILBOX_IN_USE:    return "mailbox-in-use";
    case RP_ERROR_PROTOCOL:          return "protocol";
    case RP_ERROR_STORE:             return "store";
    case RP_ERROR_CANCELLED:         return "cancelled";
    case RP_ERROR_LOGIN_DELAY:       return "login-delay";
    case RP_ERROR_MESSAGE_TOO_LARGE: return "message-too-large";
    case RP_ERROR_RECIPIENT_REFUSED: return "recipient-refused";
    case RP_ERROR_INVALID_ARGUMENT:  return "invalid-argument";
    case RP_ERROR_TLS:               return "tls";
    case RP_ERROR_ACCOUNT_DISABLED:  return "account-disabled";
    default:                         return "unknown";
    }
}

/**
 * rp_error_is_temporary:
 * @error: (nullable): an error
 *
 * Temporary errors back off and are retried; they never count towards the
 * authentication or connection failure limits of an account.
 *
 * Returns: %TRUE if @error is worth retrying later without user action
 */
gboolean
rp_error_is_temporary (const GError *error)
{
  if (error == NULL || error->domain != RP_ERROR)
    return FALSE;

  switch ((RpErrorCode) error->code)
    {
    case RP_ERROR_TIMEOUT:
    case RP_ERROR_SERVER_TEMPORARY:
    case RP_ERROR_MAILBOX_IN_USE:
    case RP_ERROR_LOGIN_DELAY:
      return TRUE;
    case RP_ERROR_FAILED:
    case RP_ERROR_AUTH_FAILED:
    case RP_ERROR_CONNECTION_FAILED:
    case RP_ERROR_TLS_CERTIFICATE:
    case RP_ERROR_TLS_UNAVAILABLE:
    case RP_ERROR_SERVER_PERMANENT:
    case RP_ERROR_PROTOCOL:
    case RP_ERROR_STORE:
    case RP_ERROR_CANCELLED:
    case RP_ERROR_MESSAGE_TOO_LARGE:
    case RP_ERROR_RECIPIENT_REFUSED:
    case RP_ERROR_INVALID_ARGUMENT:
    case RP_ERROR_TLS:
    case RP_ERROR_ACCOUNT_DISABLED:
    default:
      return FALSE;
    }
}
