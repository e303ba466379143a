/* rp-quirks.h: every workaround for, and every recognition of, one
 * particular server's behaviour, in one place
 *
 * Protocol code asks here ("is this reply Office 365 saying X?") instead of
 * matching provider strings itself, so that each quirk is written down once,
 * next to the report that justifies it, and can be tested on its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RpAuthQuirk:
 * @RP_AUTH_QUIRK_NONE: an ordinary refusal: wrong user name or password
 * @RP_AUTH_QUIRK_O365_SMTP_AUTH_DISABLED: Microsoft 365 refused because
 *   "Authenticated SMTP" is switched off for the mailbox or the tenant
 * @RP_AUTH_QUIRK_GMAIL_APP_PASSWORD: Google wants an app password instead
 *   of the account password
 * @RP_AUTH_QUIRK_GMAIL_WEB_LOGIN: Google blocked the sign-in until the user
 *   confirms it in a browser
 *
 * Why a provider refused a sign-in, when its reply says more than "no".
 */
typedef enum
{
  RP_AUTH_QUIRK_NONE                    = 0,
  RP_AUTH_QUIRK_O365_SMTP_AUTH_DISABLED = 1,
  RP_AUTH_QUIRK_GMAIL_APP_PASSWORD      = 2,
  RP_AUTH_QUIRK_GMAIL_WEB_LOGIN         = 3,
} RpAuthQuirk;

/* SMTP: classifies a refused AUTH from its reply code, enhanced status code
 * (nullable) and text (lines joined with "\n"). */
RpAuthQuirk  rp_quirks_match_smtp_auth_failure (guint        code,
                                                const char  *enhanced_code,
                                                const char  *text);

/* POP3: classifies a refused login from the server's last reply line. */
RpAuthQuirk  rp_quirks_match_pop3_auth_failure (const char  *reply);

/* A translated paragraph telling the user what to do about @quirk at
 * @host, or NULL for RP_AUTH_QUIRK_NONE. */
char        *rp_quirks_describe_auth_failure   (RpAuthQuirk  quirk,
                                                const char  *host) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
