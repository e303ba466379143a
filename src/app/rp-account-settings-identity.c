/* rp-account-settings-identity.c: the dialog that edits one identity
 *
 * An identity is an address the user sends from with an account, with
 * its name, whether to send a copy to themselves, and optionally an SMTP
 * server of its own (a second address at another provider, fetched
 * through a forwarding but sent through that provider).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rapport"

#include "config.h"

#include <glib/gi18n.h>

#include "rp-account-settings-private.h"
#include "rp-macros.h"

typedef struct
{
  RpIdentity           *identity;
  RpIdentityEditedFunc  func;
  gpointer              user_data;   /* (owned) a GObject */
  GtkWidget            *address_row;
  GtkWidget            *name_row;
  GtkWidget            *cc_switch;
  GtkWidget            *bcc_switch;
  GtkWidget            *server_row;
  GtkWidget            *host_row;
  GtkWidget            *security_row;
  GtkWidget            *port_spin;
  GtkWidget            *user_row;
  GtkWidget            *password_row;
  GtkWidget            *save_button;
} Dialog;

static void
dialog_free (Dialog *d)
{
  rp_identity_free (d->identity);
  g_clear_object (&d->user_data);
  g_free (d);
}

static const char *
text_of (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static GtkWidget *
add_switch_row (AdwPreferencesGroup *group,
                const char          *title,
                gboolean             active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (sw), active);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  adw_preferences_group_add (group, row);

  return sw;
}

static GtkWidget *
new_entry_row (const char *title,
               const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");

  return row;
}

static void
on_changed (Dialog *d)
{
  g_autofree char *address = g_strstrip (g_strdup (text_of (d->address_row)));
  gboolean ok = strchr (address, '@') != NULL && strpbrk (address, " <>,;") == NULL;

  if (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (d->server_row)))
    ok = ok && *text_of (d->host_row) != '\0';
  gtk_widget_set_sensitive (d->save_button, ok);
}

static void
on_security_changed (Dialog *d)
{
  RpSecurity security = adw_combo_row_get_selected (ADW_COMBO_ROW (d->security_row));
  guint port = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (d->port_spin));

  /* The standard port follows the security; a port of the user's own stays. */
  if (port == 465 || port == 587 || port == 25)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->port_spin),
                               security == RP_SECURITY_TLS ? 465 : 587);
}

static void
on_save_clicked (GtkWindow *window)
{
  Dialog *d = g_object_get_data (G_OBJECT (window), "rp-dialog");
  RpIdentity *identity = d->identity;
  g_autofree char *address = g_strstrip (g_strdup (text_of (d->address_row)));
  g_autofree char *name = g_strstrip (g_strdup (text_of (d->name_row)));

  rp_set_str (&identity->address, address);
  rp_set_str (&identity->display_name, name);
  identity->cc_self = gtk_switch_get_active (GTK_SWITCH (d->cc_switch));
  identity->bcc_self = gtk_switch_get_active (GTK_SWITCH (d->bcc_switch));

  if (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (d->server_row)))
    {
      g_autofree char *host = g_strstrip (g_strdup (text_of (d->host_row)));
      g_autofree char *user = g_strstrip (g_strdup (text_of (d->user_row)));

      if (g_strcmp0 (identity->smtp_host, host) != 0)
        g_clear_pointer (&identity->pinned_certificate, g_free);
      rp_set_str (&identity->smtp_host, host);
      identity->smtp_security = adw_combo_row_get_selected (ADW_COMBO_ROW (d->security_row));
      identity->smtp_port = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (d->port_spin));
      rp_set_str (&identity->smtp_user, user);
    }
  else
    {
      g_clear_pointer (&identity->smtp_host, g_free);
      g_clear_pointer (&identity->pinned_certificate, g_free);
      rp_set_str (&identity->smtp_user, "");
    }

  d->identity = NULL;
  d->func (identity, text_of (d->password_row), d->user_data);
  gtk_window_destroy (window);
}

GtkWindow *
_rp_identity_dialog_present (GtkWindow            *parent,
                             const RpIdentity     *identity,
                             RpIdentityEditedFunc  func,
                             gpointer              user_data)
{
  Dialog *d = g_new0 (Dialog, 1);
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *copies = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *server = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  const char *securities[] = { _("SSL/TLS"), _("STARTTLS"), _("None (Unencrypted)"), NULL };
  g_autoptr(GtkStringList) model = gtk_string_list_new (securities);
  GtkWidget *port_row = adw_action_row_new ();
  gboolean own;

  d->identity = identity != NULL ? rp_identity_copy (identity) : rp_identity_new ("");
  d->func = func;
  d->user_data = g_object_ref (user_data);
  own = d->identity->smtp_host != NULL && *d->identity->smtp_host != '\0';

  gtk_window_set_title (GTK_WINDOW (window), identity != NULL ? _("Edit Identity")
                                                              : _("New Identity"));
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 460, 640);
  g_object_set_data_full (G_OBJECT (window), "rp-dialog", d, (GDestroyNotify) dialog_free);

  /* The header says only "Identity": "Edit Identity" in German leaves no
   * room between the buttons at the narrowest width. The window's title
   * still says it in full, and the first row shows the address. */
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Identity"), NULL));
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  d->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (d->save_button, "suggested-action");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), d->save_button);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  g_signal_connect_swapped (d->save_button, "clicked", G_CALLBACK (on_save_clicked), window);

  d->address_row = new_entry_row (_("Address"), d->identity->address);
  gtk_editable_set_editable (GTK_EDITABLE (d->address_row), !d->identity->is_default);
  gtk_widget_set_sensitive (d->address_row, !d->identity->is_default);
  d->name_row = new_entry_row (_("Your Name"), d->identity->display_name);
  adw_preferences_group_add (group, d->address_row);
  adw_preferences_group_add (group, d->name_row);
  g_signal_connect_swapped (d->address_row, "changed", G_CALLBACK (on_changed), d);

  adw_preferences_group_set_title (copies, _("Copies"));
  d->cc_switch = add_switch_row (copies, _("_Cc Myself"), d->identity->cc_self);
  d->bcc_switch = add_switch_row (copies, _("_Bcc Myself"), d->identity->bcc_self);

  d->server_row = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (d->server_row), _("Own SMTP Server"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (d->server_row),
                                 _("Send mail from this address through another server"));
  adw_expander_row_set_show_enable_switch (ADW_EXPANDER_ROW (d->server_row), TRUE);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (d->server_row), own);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (d->server_row), own);
  g_signal_connect_swapped (d->server_row, "notify::enable-expansion", G_CALLBACK (on_changed), d);

  d->host_row = new_entry_row (_("Server"), d->identity->smtp_host);
  g_signal_connect_swapped (d->host_row, "changed", G_CALLBACK (on_changed), d);
  d->security_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (d->security_row), _("Security"));
  adw_combo_row_set_model (ADW_COMBO_ROW (d->security_row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (d->security_row), d->identity->smtp_security);
  d->port_spin = gtk_spin_button_new_with_range (1, 65535, 1);
  gtk_widget_set_valign (d->port_spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->port_spin),
                             own && d->identity->smtp_port != 0 ? d->identity->smtp_port : 465);
  g_signal_connect_swapped (d->security_row, "notify::selected",
                            G_CALLBACK (on_security_changed), d);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (port_row), _("Port"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (port_row), d->port_spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (port_row), d->port_spin);
  d->user_row = new_entry_row (_("User Name"), d->identity->smtp_user);
  d->password_row = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (d->password_row),
                                 own ? _("New Password") : _("Password"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (d->server_row), d->host_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (d->server_row), d->security_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (d->server_row), port_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (d->server_row), d->user_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (d->server_row), d->password_row);
  adw_preferences_group_add (server, d->server_row);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), copies);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), server);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (window), box);

  on_changed (d);
  gtk_window_present (GTK_WINDOW (window));

  return GTK_WINDOW (window);
}

GtkWidget *
_rp_identity_dialog_get_part (GtkWindow  *dialog,
                              const char *name)
{
  Dialog *d = g_object_get_data (G_OBJECT (dialog), "rp-dialog");
  const struct { const char *name; GtkWidget *widget; } parts[] = {
    { "address", d->address_row },
    { "name", d->name_row },
    { "cc", d->cc_switch },
    { "bcc", d->bcc_switch },
    { "server", d->server_row },
    { "host", d->host_row },
    { "security", d->security_row },
    { "port", d->port_spin },
    { "user", d->user_row },
    { "password", d->password_row },
    { "save", d->save_button },
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (g_str_equal (parts[i].name, name))
      return parts[i].widget;

  g_return_val_if_reached (NULL);
}
