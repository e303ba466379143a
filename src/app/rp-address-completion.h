/* rp-address-completion.h: address completion for the compose window's
 * To, Cc and Bcc fields, CRM contacts and leads first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "rp-core.h"

G_BEGIN_DECLS

/* The columns of the completion model. */
enum
{
  RP_ADDRESS_COMPLETION_COLUMN_TEXT,    /* "Name <address>", what is inserted */
  RP_ADDRESS_COMPLETION_COLUMN_DETAIL,  /* "Company · Lead", or "" */
  RP_ADDRESS_COMPLETION_COLUMN_KIND,    /* an RpCrmKind, or -1 for collected */
  RP_ADDRESS_COMPLETION_N_COLUMNS
};

/* Completes the last address of @entry (a comma-separated list) from
 * @store with rp_crm_complete(): CRM records first, then addresses
 * collected from mail. Each suggestion shows the name and address, the
 * company and whether it is a contact or a lead. Choosing one replaces
 * the last address and leaves the earlier ones alone. @store may be NULL
 * (nothing completes). */
void rp_address_completion_attach (GtkEntry *entry,
                                   RpStore  *store);
/* Fills the suggestions for the text @entry holds now; called on every
 * change, and by tests. Returns the number of suggestions. */
guint rp_address_completion_update (GtkEntry *entry);

G_END_DECLS
