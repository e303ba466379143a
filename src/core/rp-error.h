/* rp-error.h: the one error domain of Rapport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RP_ERROR (rp_error_quark ())

/**
 * RpErrorCode:
 *
 * Codes map to what a user can do about the failure; the message is
 * translated and actionable, the technical detail (the server's reply)
 * travels separately.
 *
 * PERSISTED: stored as last_error codes; never renumber.
 */
typedef enum
{
  RP_ERROR_FAILED            = 0,
  RP_ERROR_AUTH_FAILED       = 1,
  RP_ERROR_CONNECTION_FAILED = 2,
  RP_ERROR_TIMEOUT           = 3,
  RP_ERROR_TLS_CERTIFICATE   = 4,
  RP_ERROR_TLS_UNAVAILABLE   = 5,
  RP_ERROR_SERVER_TEMPORARY  = 6,
  RP_ERROR_SERVER_PERMANENT  = 7,
  RP_ERROR_MAILBOX_IN_USE    = 8,
  RP_ERROR_PROTOCOL          = 9,
  RP_ERROR_STORE             = 10,
  RP_ERROR_CANCELLED         = 11,
  RP_ERROR_LOGIN_DELAY       = 12,
  RP_ERROR_MESSAGE_TOO_LARGE = 13,
  RP_ERROR_RECIPIENT_REFUSED = 14,
  RP_ERROR_INVALID_ARGUMENT  = 15,
  RP_ERROR_TLS               = 16,
  RP_ERROR_ACCOUNT_DISABLED  = 17,
} RpErrorCode;

GQuark      rp_error_quark          (void);
const char *rp_error_code_to_string (RpErrorCode code);
gboolean    rp_error_is_temporary   (const GError *error);

G_END_DECLS
