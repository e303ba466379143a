/* rp-quirks.c: recognising particular servers' replies
 *
 * Each quirk says which server does what, and where that is documented or
 * reported, so that it can be removed once the server changes. The file is
 * sectioned by protocol; the advice texts at the end are shared.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-quirks"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rp-quirks.h"

/* Auxiliary methods */

static gboolean
contains_ascii_nocase (const char *haystack,
                       const char *needle)
{
  g_autofree char *lower_haystack = NULL;
  g_autofree char *lower_needle = NULL;

  if (haystack == NULL || needle == NULL)
    return FALSE;

  lower_haystack = g_ascii_strdown (haystack, -1);
  lower_needle = g_ascii_strdown (needle, -1);
  return strstr (lower_haystack, lower_needle) != NULL;
}

/* SMTP */

/**
 * rp_quirks_match_smtp_auth_failure:
 * @code: the reply code of the refused AUTH (535, 534, …)
 * @enhanced_code: (nullable): its enhanced status code ("5.7.139")
 * @text: (nullable): the reply text, lines joined with "\n"
 *
 * Microsoft 365 switches SMTP AUTH off per tenant by default and per
 * mailbox on request; it then answers "535 5.7.139 Authentication
 * unsuccessful, SmtpClientAuthentication is disabled for the Tenant" (or
 * "…for the Mailbox"). The password was right, so telling the user to check
 * it sends them the wrong way. Documented at
 * https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission
 *
 * Google refuses account passwords on accounts with 2-step verification
 * with "534-5.7.9 Application-specific password required. Learn more at
 * https://support.google.com/mail/?p=InvalidSecondFactor". RFC 4954 gives
 * 534 the meaning "mechanism too weak", which is not what Google means.
 *
 * Returns: the quirk that explains the refusal, or %RP_AUTH_QUIRK_NONE
 */
RpAuthQuirk
rp_quirks_match_smtp_auth_failure (guint       code,
                                   const char *enhanced_code,
                                   const char *text)
{
  if (g_strcmp0 (enhanced_code, "5.7.139") == 0
      || contains_ascii_nocase (text, "SmtpClientAuthentication is disabled"))
    return RP_AUTH_QUIRK_O365_SMTP_AUTH_DISABLED;

  if (contains_ascii_nocase (text, "Application-specific password required")
      || contains_ascii_nocase (text, "InvalidSecondFactor")
      || (code == 534 && g_strcmp0 (enhanced_code, "5.7.9") == 0
          && contains_ascii_nocase (text, "google.com")))
    return RP_AUTH_QUIRK_GMAIL_APP_PASSWORD;

  return RP_AUTH_QUIRK_NONE;
}

/* POP3 */

/**
 * rp_quirks_match_pop3_auth_failure:
 * @reply: (nullable): the server's reply to PASS or AUTH
 *
 * Gmail's POP3 server answers "-ERR [AUTH] Web login required:
 * https://support.google.com/mail/answer/78754" when it blocked a sign-in
 * it found suspicious until the user confirms it in a browser, and
 * "-ERR [AUTH] Application-specific password required" for accounts with
 * 2-Step Verification. Both come with the [AUTH] code of a wrong password,
 * but retyping the password does not help.
 *
 * Returns: the quirk that explains the refusal, or %RP_AUTH_QUIRK_NONE
 */
RpAuthQuirk
rp_quirks_match_pop3_auth_failure (const char *reply)
{
  if (contains_ascii_nocase (reply, "Web login required"))
    return RP_AUTH_QUIRK_GMAIL_WEB_LOGIN;

  if (contains_ascii_nocase (reply, "Application-specific password required") ||
      contains_ascii_nocase (reply, "InvalidSecondFactor"))
    return RP_AUTH_QUIRK_GMAIL_APP_PASSWORD;

  return RP_AUTH_QUIRK_NONE;
}

/* Advice shared by the protocols */

/**
 * rp_quirks_describe_auth_failure:
 * @quirk: an #RpAuthQuirk
 * @host: the server's host name
 *
 * Returns: (transfer full) (nullable): a translated explanation of what the
 *   user can do, or %NULL for %RP_AUTH_QUIRK_NONE
 */
char *
rp_quirks_describe_auth_failure (RpAuthQuirk  quirk,
                                 const char  *host)
{
  g_return_val_if_fail (host != NULL, NULL);

  switch (quirk)
    {
    case RP_AUTH_QUIRK_O365_SMTP_AUTH_DISABLED:
      return g_strdup_printf (_("The server %s (Microsoft 365) has sending with a password "
                                "switched off for this mailbox. The password itself may be "
                                "right. An administrator can switch on “Authenticated SMTP” "
                                "for the mailbox in the Microsoft 365 admin center (Users, "
                                "Mail, Manage email apps), if the organisation allows it."),
                              host);
    case RP_AUTH_QUIRK_GMAIL_APP_PASSWORD:
      return g_strdup_printf (_("The server %s (Google) does not accept the account password "
                                "from mail programs when 2-Step Verification is on. Create an "
                                "app password in your Google Account (Security, App "
                                "passwords) and enter it here instead."),
                              host);
    case RP_AUTH_QUIRK_GMAIL_WEB_LOGIN:
      return g_strdup_printf (_("The server %s (Google) blocked the sign-in until you confirm "
                                "it in a browser. Sign in to Gmail on the web, then open "
                                "https://accounts.google.com/DisplayUnlockCaptcha and allow "
                                "access; if 2-Step Verification is on, use an app password "
                                "instead."), host);
    case RP_AUTH_QUIRK_NONE:
    default:
      return NULL;
    }
}
