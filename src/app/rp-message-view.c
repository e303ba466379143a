/* rp-message-view.c: the reading pane
 *
 * Shows one stored message: its headers, its body (plain text in a
 * GtkTextView, or HTML in a locked-down WebKitWebView that loads nothing
 * from the network unless the user asks) and its attachments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rp-message-view"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-attachment-row.h"
#include "rp-crm-util.h"
#include "rp-invitation-bar.h"
#include "rp-macros.h"
#include "rp-message-item.h"
#include "rp-message-view-private.h"
#include "rp-paths.h"

#define MAX_QUOTE_LEVEL 3
#define FILTER_ID "rapport-block-remote"

struct _RpMessageView
{
  AdwBin            parent_instance;

  /* Template children. */
  GtkStack         *stack;
  AdwStatusPage    *error_page;
  GtkLabel         *subject_label;
  GtkLabel         *from_label;
  GtkLabel         *to_label;
  GtkLabel         *cc_label;
  GtkLabel         *date_label;
  GtkToggleButton  *html_toggle;
  GtkButton        *edit_draft_button;
  GtkRevealer      *remote_revealer;
  GSettings        *settings;   /* remote-content-senders */
  GtkStack         *body_stack;
  GtkTextView      *text_view;
  AdwBin           *html_bin;
  GtkListBox       *attachment_list;
  RpInvitationBar  *invitation_bar;

  RpStore          *store;
  RpCrmWatch       *crm_watch;      /* renames the sender while shown */
  gint64            message_id;
  GCancellable     *cancellable;    /* the current load; replaced per message */
  RpParsedMessage  *parsed;         /* the message shown, or NULL */
  GRegex           *link_regex;
  GRegex           *remote_regex;

  /* The web view is made on the first HTML message. */
  WebKitWebView            *web_view;
  WebKitUserContentManager *content_manager;
  WebKitUserContentFilter  *filter;        /* NULL until compiled */
  GCancellable             *filter_cancellable; /* lives as long as the view */
  gboolean                  filter_failed;
  gboolean                  html_pending;  /* waiting for the filter */
  gboolean                  remote_allowed; /* for this message only */

  guint             cid_requests;
  char             *last_cid;
};

G_DEFINE_FINAL_TYPE (RpMessageView, rp_message_view, ADW_TYPE_BIN)

/* Each web view points back to its message view under this quark, for
 * the process-wide cid: handler, which only sees a WebKitWebView. */
static GQuark view_quark;

static void show_body (RpMessageView *self);

static gboolean sender_always_allowed (RpMessageView *self);

/* Auxiliary methods */

static char *
format_addresses (GPtrArray *addresses)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < addresses->len; i++)
    {
      g_autofree char *one = rp_address_format (g_ptr_array_index (addresses, i));

      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, one);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
set_optional_label (GtkLabel   *label,
                    const char *prefix,
                    GPtrArray  *addresses)
{
  g_autofree char *list = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (label), addresses->len > 0);
  if (addresses->len == 0)
    return;

  list = format_addresses (addresses);
  /* TRANSLATORS: "To: address list" or "Cc: address list". */
  text = g_strdup_printf (_("%s %s"), prefix, list);
  gtk_label_set_text (label, text);
}

/* The name the CRM knows the sender by, when it knows them; also again
 * when a contact is added or renamed while the message is shown, and
 * when the view is shown again (hidden, the CRM watch lets changes go). */
static void
show_sender (GtkWidget *widget)
{
  RpMessageView *self = RP_MESSAGE_VIEW (widget);
  RpMessageSummary *summary = self->parsed != NULL ? self->parsed->summary : NULL;
  g_autofree char *from = NULL;

  if (summary == NULL)
    return;
  from = summary->from != NULL ? rp_crm_format_address (self->store, summary->from)
                               : g_strdup (_("(Unknown Sender)"));
  gtk_label_set_text (self->from_label, from);
}

static void
show_headers (RpMessageView *self)
{
  RpMessageSummary *summary = self->parsed->summary;
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (summary->date);
  g_autofree char *date_text = NULL;

  gtk_label_set_text (self->subject_label,
                      *summary->subject != '\0' ? summary->subject : _("(No Subject)"));
  show_sender (GTK_WIDGET (self));
  set_optional_label (self->to_label, _("To:"), summary->to);
  set_optional_label (self->cc_label, _("Cc:"), summary->cc);
  /* %c is the locale's own date and time format. */
  date_text = date != NULL ? g_date_time_format (date, "%c") : NULL;
  gtk_label_set_text (self->date_label, date_text != NULL ? date_text : "");
}

static guint
quote_level (const char *line,
             const char *end)
{
  guint level = 0;

  for (const char *p = line; p < end; p++)
    {
      if (*p == '>')
        level++;
      else if (*p != ' ')
        break;
    }

  return level;
}

static void
insert_line (RpMessageView *self,
             GtkTextBuffer *buffer,
             GtkTextIter   *iter,
             const char    *line,
             gsize          length)
{
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *copy = g_strndup (line, length);
  guint level = quote_level (copy, copy + length);
  const char *quote_tag = NULL;
  gsize done = 0;
  char name[16];

  if (level > 0)
    {
      g_snprintf (name, sizeof name, "quote-%u", MIN (level, MAX_QUOTE_LEVEL));
      quote_tag = name;
    }

  g_regex_match (self->link_regex, copy, 0, &match);
  while (g_match_info_matches (match))
    {
      int start, end;
      g_autofree char *uri = NULL;
      GtkTextTag *link_tag;

      g_match_info_fetch_pos (match, 0, &start, &end);
      /* Trailing punctuation almost always ends the sentence, not the URL. */
      while (end > start && strchr (".,;:!?)'\"", copy[end - 1]) != NULL)
        end--;
      if ((gsize) start > done)
        gtk_text_buffer_insert_with_tags_by_name (buffer, iter, copy + done, start - done,
                                                  quote_tag, NULL);
      uri = g_strndup (copy + start, end - start);
      if (g_str_has_prefix (uri, "www."))
        {
          char *with_scheme = g_strconcat ("https://", uri, NULL);

          g_free (uri);
          uri = with_scheme;
        }
      /* One anonymous tag per link carries its target. */
      link_tag = gtk_text_buffer_create_tag (buffer, NULL, NULL);
      g_object_set_data_full (G_OBJECT (link_tag), "rp-uri", g_steal_pointer (&uri), g_free);
      gtk_text_buffer_insert_with_tags_by_name (buffer, iter, copy + start, end - start,
                                                "link", quote_tag, NULL);
      {
        GtkTextIter link_start = *iter;

        gtk_text_iter_backward_chars (&link_start, g_utf8_strlen (copy + start, end - start));
        gtk_text_buffer_apply_tag (buffer, link_tag, &link_start, iter);
      }
      done = end;
      g_match_info_next (match, NULL);
    }

  if (done < length)
    gtk_text_buffer_insert_with_tags_by_name (buffer, iter, copy + done, length - done,
                                              quote_tag, NULL);
}

static void
show_text (RpMessageView *self,
           const char    *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter iter;
  const char *line = text;

  gtk_text_buffer_set_text (buffer, "", 0);
  gtk_text_buffer_get_start_iter (buffer, &iter);
  while (line != NULL && *line != '\0')
    {
      const char *newline = strchr (line, '\n');
      gsize length = newline != NULL ? (gsize) (newline - line) : strlen (line);

      insert_line (self, buffer, &iter, line, length);
      if (newline == NULL)
        break;
      gtk_text_buffer_insert (buffer, &iter, "\n", 1);
      line = newline + 1;
    }

  gtk_stack_set_visible_child_name (self->body_stack, "text");
}

static const char *
uri_at (RpMessageView *self,
        double         x,
        double         y)
{
  GtkTextIter iter;
  int bx, by;
  g_autoptr(GSList) tags = NULL;

  gtk_text_view_window_to_buffer_coords (self->text_view, GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (self->text_view, &iter, bx, by))
    return NULL;

  tags = gtk_text_iter_get_tags (&iter);
  for (GSList *l = tags; l != NULL; l = l->next)
    {
      const char *uri = g_object_get_data (G_OBJECT (l->data), "rp-uri");

      if (uri != NULL)
        return uri;
    }

  return NULL;
}

static void
open_uri (RpMessageView *self,
          const char    *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

/* HTML */

static void
filter_saved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RpMessageView) self = user_data;
  g_autoptr(GError) error = NULL;
  WebKitUserContentFilter *filter;

  filter = webkit_user_content_filter_store_save_finish (WEBKIT_USER_CONTENT_FILTER_STORE (source),
                                                         result, &error);
  if (filter == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (filter == NULL)
    {
      /* Failing closed: without the filter no HTML is shown at all. */
      g_warning ("Cannot compile the remote content filter: %s", error->message);
      self->filter_failed = TRUE;
    }
  else
    {
      self->filter = filter;
    }

  if (self->html_pending && self->parsed != NULL)
    show_body (self);
}

static void
load_html (RpMessageView *self)
{
  webkit_user_content_manager_remove_all_filters (self->content_manager);
  if (!self->remote_allowed)
    webkit_user_content_manager_add_filter (self->content_manager, self->filter);

  /* A base URI outside http keeps relative links from reaching a server;
   * the filter blocks the absolute ones. */
  webkit_web_view_load_html (self->web_view, self->parsed->html, "about:blank");
}

static gboolean
decide_policy_cb (WebKitWebView            *web_view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  RpMessageView            *self)
{
  WebKitNavigationAction *action;
  WebKitURIRequest *request;
  const char *uri;

  if (type == WEBKIT_POLICY_DECISION_TYPE_RESPONSE)
    return FALSE;

  action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  request = webkit_navigation_action_get_request (action);
  uri = webkit_uri_request_get_uri (request);

  /* Our own load_html() navigates to about:blank; nothing else may
   * replace the message in the view. A link opens in the browser. */
  if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION
      && webkit_navigation_action_get_navigation_type (action) == WEBKIT_NAVIGATION_TYPE_OTHER
      && g_strcmp0 (uri, "about:blank") == 0)
    {
      webkit_policy_decision_use (decision);
      return TRUE;
    }

  webkit_policy_decision_ignore (decision);
  if (webkit_navigation_action_get_navigation_type (action) == WEBKIT_NAVIGATION_TYPE_LINK_CLICKED
      && uri != NULL)
    open_uri (self, uri);

  return TRUE;
}

static void
mouse_target_changed_cb (WebKitWebView       *web_view,
                         WebKitHitTestResult *hit,
                         guint                modifiers,
                         RpMessageView       *self)
{
  /* The link text may lie; the tooltip shows where it really goes. */
  if (webkit_hit_test_result_context_is_link (hit))
    gtk_widget_set_tooltip_text (GTK_WIDGET (web_view), webkit_hit_test_result_get_link_uri (hit));
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (web_view), NULL);
}

static void
cid_scheme_cb (WebKitURISchemeRequest *request,
               gpointer                user_data)
{
  WebKitWebView *web_view = webkit_uri_scheme_request_get_web_view (request);
  RpMessageView *self = web_view != NULL ? g_object_get_qdata (G_OBJECT (web_view), view_quark) : NULL;
  g_autofree char *cid = NULL;
  RpMessagePart *part = NULL;
  g_autoptr(GInputStream) stream = NULL;

  cid = g_uri_unescape_string (webkit_uri_scheme_request_get_path (request), NULL);
  if (self != NULL && self->parsed != NULL && cid != NULL)
    part = _rp_parsed_message_find_cid (self->parsed, cid);

  if (part == NULL)
    {
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                             "No part with Content-ID %s",
                                             cid != NULL ? cid : "");

      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }

  self->cid_requests++;
  g_free (self->last_cid);
  self->last_cid = g_strdup (cid);
  stream = g_memory_input_stream_new_from_bytes (part->data);
  webkit_uri_scheme_request_finish (request, stream, g_bytes_get_size (part->data),
                                    part->content_type);
}

static void
ensure_web_view (RpMessageView *self)
{
  static gsize registered = 0;
  g_autoptr(WebKitSettings) settings = NULL;
  g_autoptr(WebKitUserContentFilterStore) filter_store = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *store_path = NULL;
  g_autoptr(GBytes) rules = NULL;
  /* WebKit content-blocker regexes have no disjunction: one rule each. */
  static const char rules_json[] =
    "["
    "{\"trigger\":{\"url-filter\":\"^https?:\"},\"action\":{\"type\":\"block\"}},"
    "{\"trigger\":{\"url-filter\":\"^wss?:\"},\"action\":{\"type\":\"block\"}},"
    "{\"trigger\":{\"url-filter\":\"^ftp:\"},\"action\":{\"type\":\"block\"}},"
    "{\"trigger\":{\"url-filter\":\"^file:\"},\"action\":{\"type\":\"block\"}}"
    "]";

  if (self->web_view != NULL)
    return;

  if (g_once_init_enter (&registered))
    {
      webkit_web_context_register_uri_scheme (webkit_web_context_get_default (), "cid",
                                              cid_scheme_cb, NULL, NULL);
      g_once_init_leave (&registered, 1);
    }

  settings = webkit_settings_new ();
  webkit_settings_set_enable_javascript (settings, FALSE);
  webkit_settings_set_enable_javascript_markup (settings, FALSE);
  webkit_settings_set_javascript_can_open_windows_automatically (settings, FALSE);
  webkit_settings_set_enable_html5_local_storage (settings, FALSE);
  webkit_settings_set_enable_html5_database (settings, FALSE);
  webkit_settings_set_enable_page_cache (settings, FALSE);
  webkit_settings_set_enable_developer_extras (settings, FALSE);
  webkit_settings_set_enable_webaudio (settings, FALSE);
  webkit_settings_set_enable_webgl (settings, FALSE);
  webkit_settings_set_enable_media (settings, FALSE);

  self->content_manager = webkit_user_content_manager_new ();
  self->web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                 "settings", settings,
                                 "user-content-manager", self->content_manager,
                                 "hexpand", TRUE,
                                 "vexpand", TRUE,
                                 NULL);
  g_object_set_qdata (G_OBJECT (self->web_view), view_quark, self);
  g_signal_connect_object (self->web_view, "decide-policy", G_CALLBACK (decide_policy_cb), self, 0);
  g_signal_connect_object (self->web_view, "mouse-target-changed",
                           G_CALLBACK (mouse_target_changed_cb), self, 0);
  adw_bin_set_child (self->html_bin, GTK_WIDGET (self->web_view));

  cache = rp_paths_get_cache_dir ();
  store_path = g_build_filename (cache, "content-filters", NULL);
  filter_store = webkit_user_content_filter_store_new (store_path);
  rules = g_bytes_new_static (rules_json, sizeof rules_json - 1);
  /* Not the per-message cancellable: showing another message must not
   * stop the compilation. */
  self->filter_cancellable = g_cancellable_new ();
  webkit_user_content_filter_store_save (filter_store, FILTER_ID, rules, self->filter_cancellable,
                                         filter_saved_cb, g_object_ref (self));
}

static void
show_html (RpMessageView *self)
{
  ensure_web_view (self);

  if (self->filter == NULL)
    {
      if (self->filter_failed)
        {
          /* Never show HTML unprotected: fall back to the text. */
          show_text (self, self->parsed->text != NULL ? self->parsed->text
                                                       : self->parsed->summary->body_text);
          return;
        }
      self->html_pending = TRUE;
      return;
    }

  self->html_pending = FALSE;
  gtk_revealer_set_reveal_child (self->remote_revealer,
                                 !self->remote_allowed
                                 && g_regex_match (self->remote_regex, self->parsed->html, 0, NULL));
  load_html (self);
  gtk_stack_set_visible_child_name (self->body_stack, "html");
}

static void
show_body (RpMessageView *self)
{
  gboolean use_html;

  g_assert (self->parsed != NULL);

  use_html = self->parsed->html != NULL
             && (self->parsed->text == NULL || gtk_toggle_button_get_active (self->html_toggle));
  gtk_revealer_set_reveal_child (self->remote_revealer, FALSE);
  if (use_html)
    show_html (self);
  else
    show_text (self, self->parsed->text != NULL ? self->parsed->text : "");
}

/* Attachments */

static void
show_attachments (RpMessageView *self)
{
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachment_list))) != NULL)
    gtk_list_box_remove (self->attachment_list, child);

  for (guint i = 0; i < self->parsed->parts->len; i++)
    {
      RpMessagePart *part = g_ptr_array_index (self->parsed->parts, i);
      GtkWidget *row;

      if (!part->is_attachment)
        continue;

      /* The parsed message outlives the rows: they are removed first. */
      row = rp_attachment_row_new (part, self->message_id);
      gtk_list_box_append (self->attachment_list, row);
      shown++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->attachment_list), shown > 0);
}

/* A message of a Drafts folder offers to go on writing it, through the
 * main window's win.edit-draft. */
static void
show_edit_draft (RpMessageView *self)
{
  g_autoptr(RpMessageItem) item = rp_store_get_item (self->store, self->message_id, NULL);
  g_autoptr(RpFolderInfo) folder = NULL;

  if (item != NULL)
    folder = rp_store_get_folder (self->store, rp_message_item_get_folder_id (item), NULL);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->edit_draft_button),
                                          g_variant_new_int64 (self->message_id));
  gtk_widget_set_visible (GTK_WIDGET (self->edit_draft_button),
                          folder != NULL && folder->role == RP_FOLDER_ROLE_DRAFTS);
}

/* Loading */

typedef struct
{
  RpStore *store;
  gint64   message_id;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->store);
  g_free (data);
}

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GBytes) raw = NULL;
  GError *error = NULL;
  RpParsedMessage *parsed;

  g_assert (G_IS_TASK (task));

  raw = rp_store_get_raw (data->store, data->message_id, &error);
  if (raw == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  parsed = _rp_parsed_message_new_from_bytes (raw, cancellable, &error);
  if (parsed == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, parsed, (GDestroyNotify) _rp_parsed_message_free);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RpMessageView *self = RP_MESSAGE_VIEW (source);
  g_autoptr(GError) error = NULL;
  RpParsedMessage *parsed;

  g_assert (RP_IS_MAIN_THREAD ());

  parsed = g_task_propagate_pointer (G_TASK (result), &error);
  if (parsed == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          adw_status_page_set_description (self->error_page, error->message);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      return;
    }

  g_clear_pointer (&self->parsed, _rp_parsed_message_free);
  self->parsed = parsed;
  show_headers (self);
  gtk_widget_set_visible (GTK_WIDGET (self->html_toggle),
                          parsed->html != NULL && parsed->text != NULL);
  show_attachments (self);
  rp_invitation_bar_set_store (self->invitation_bar, self->store);
  rp_invitation_bar_set_message (self->invitation_bar, self->message_id,
                                 parsed->summary->has_calendar);
  show_edit_draft (self);
  self->remote_allowed = sender_always_allowed (self);
  show_body (self);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

/* The sender's address, lower case, or NULL. */
static char *
dup_sender (RpMessageView *self)
{
  const RpMessageSummary *summary = self->parsed != NULL ? self->parsed->summary : NULL;

  if (summary == NULL || summary->from == NULL || summary->from->address == NULL)
    return NULL;

  return g_ascii_strdown (summary->from->address, -1);
}

/* Whether the user chose to always load remote content from this sender. */
static gboolean
sender_always_allowed (RpMessageView *self)
{
  g_autofree char *sender = dup_sender (self);
  g_auto(GStrv) senders = NULL;

  if (sender == NULL)
    return FALSE;

  senders = g_settings_get_strv (self->settings, "remote-content-senders");
  return g_strv_contains ((const char * const *) senders, sender);
}

static void
clear_message (RpMessageView *self)
{
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->html_pending = FALSE;
  self->remote_allowed = FALSE;
  self->cid_requests = 0;
  g_clear_pointer (&self->last_cid, g_free);
  gtk_revealer_set_reveal_child (self->remote_revealer, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->edit_draft_button), FALSE);
  rp_invitation_bar_set_message (self->invitation_bar, 0, FALSE);
  /* The rows point into the parsed message: remove them first. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachment_list))) != NULL)
    gtk_list_box_remove (self->attachment_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->attachment_list), FALSE);
  g_clear_pointer (&self->parsed, _rp_parsed_message_free);
  if (self->web_view != NULL)
    webkit_web_view_load_html (self->web_view, "", "about:blank");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
}

static void
reload (RpMessageView *self)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  clear_message (self);
  if (self->message_id == 0 || self->store == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  self->cancellable = g_cancellable_new ();
  data = g_new0 (LoadData, 1);
  data->store = g_object_ref (self->store);
  data->message_id = self->message_id;
  task = g_task_new (self, self->cancellable, load_done_cb, NULL);
  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  /* Parsing a message with big attachments takes a while: never on the
   * main thread. */
  g_task_run_in_thread (task, load_worker);
}

/* Callbacks */

static void
show_remote_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RpMessageView *self = RP_MESSAGE_VIEW (widget);

  if (self->parsed == NULL || self->parsed->html == NULL || self->web_view == NULL
      || self->filter == NULL)
    return;

  self->remote_allowed = TRUE;
  gtk_revealer_set_reveal_child (self->remote_revealer, FALSE);
  load_html (self);
}

static void
always_remote_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RpMessageView *self = RP_MESSAGE_VIEW (widget);
  g_autofree char *sender = dup_sender (self);
  g_auto(GStrv) senders = NULL;

  if (sender == NULL)
    return;

  senders = g_settings_get_strv (self->settings, "remote-content-senders");
  if (!g_strv_contains ((const char * const *) senders, sender))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) updated = NULL;

      g_strv_builder_addv (builder, (const char **) senders);
      g_strv_builder_add (builder, sender);
      updated = g_strv_builder_end (builder);
      g_settings_set_strv (self->settings, "remote-content-senders",
                           (const char * const *) updated);
    }

  show_remote_action (widget, "message-view.show-remote", NULL);
}

static void
html_toggled_cb (GtkToggleButton *button,
                 RpMessageView   *self)
{
  if (self->parsed != NULL)
    show_body (self);
}

static void
text_released_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  RpMessageView   *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  const char *uri;

  /* A click that ends a selection is not a link click. */
  if (gtk_text_buffer_get_has_selection (buffer)
      || gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture)) != GDK_BUTTON_PRIMARY)
    return;

  uri = uri_at (self, x, y);
  if (uri != NULL)
    open_uri (self, uri);
}

static void
text_motion_cb (GtkEventControllerMotion *controller,
                double                    x,
                double                    y,
                RpMessageView            *self)
{
  const char *uri = uri_at (self, x, y);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->text_view), uri);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->text_view), uri != NULL ? "pointer" : NULL);
}

/* Overrides */

static void
rp_message_view_dispose (GObject *object)
{
  RpMessageView *self = RP_MESSAGE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->filter_cancellable);
  g_clear_object (&self->filter_cancellable);
  if (self->web_view != NULL)
    g_object_set_qdata (G_OBJECT (self->web_view), view_quark, NULL);
  /* No gtk_widget_dispose_template (): the template's only direct child is
   * AdwBin's child, which AdwBin's own dispose unparents; disposing it here
   * too would leave AdwBin a freed pointer. */
  self->web_view = NULL;
  g_clear_object (&self->content_manager);
  g_clear_pointer (&self->filter, webkit_user_content_filter_unref);
  g_clear_pointer (&self->parsed, _rp_parsed_message_free);
  g_clear_pointer (&self->crm_watch, rp_crm_watch_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->link_regex, g_regex_unref);
  g_clear_pointer (&self->remote_regex, g_regex_unref);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->last_cid, g_free);

  G_OBJECT_CLASS (rp_message_view_parent_class)->dispose (object);
}

static void
rp_message_view_class_init (RpMessageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rp_message_view_dispose;

  view_quark = g_quark_from_static_string ("rp-message-view");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rapportmail/Rapport/rp-message-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, stack);
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, error_page);
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, subject_label);
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, from_label);
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, to_label);
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, cc_label);
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, date_label);
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, html_toggle);
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, edit_draft_button);
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, remote_revealer);
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, body_stack);
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, text_view);
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, html_bin);
  gtk_widget_class_bind_template_child (widget_class, RpMessageView, attachment_list);
  gtk_widget_class_bind_template_callback (widget_class, html_toggled_cb);

  gtk_widget_class_install_action (widget_class, "message-view.show-remote", NULL,
                                   show_remote_action);
  gtk_widget_class_install_action (widget_class, "message-view.always-remote", NULL,
                                   always_remote_action);
}

static void
rp_message_view_init (RpMessageView *self)
{
  GtkTextBuffer *buffer;
  GtkGesture *click;
  GtkEventController *motion;
  static const char *quote_colors[MAX_QUOTE_LEVEL] = { "#1c71d8", "#26a269", "#c64600" };

  gtk_widget_init_template (GTK_WIDGET (self));
  /* A calendar invitation shows between the headers and the body. */
  self->invitation_bar = RP_INVITATION_BAR (rp_invitation_bar_new ());
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->remote_revealer))),
                              GTK_WIDGET (self->invitation_bar), GTK_WIDGET (self->remote_revealer));
  /* The target first: win.edit-draft takes a message id. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->edit_draft_button),
                                          g_variant_new_int64 (0));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->edit_draft_button), "win.edit-draft");

  self->link_regex = g_regex_new ("(?:(?:https?|ftp)://|mailto:|www\\.)[^\\s<>\"]+",
                                  G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL);
  self->settings = g_settings_new (APP_ID);
  self->remote_regex = g_regex_new ("(?:src|background|srcset|href|url)\\s*[=(]\\s*[\"']?\\s*"
                                    "(?:https?:|ftp:|//)",
                                    G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL);
  g_assert (self->link_regex != NULL && self->remote_regex != NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_create_tag (buffer, "link", "underline", PANGO_UNDERLINE_SINGLE,
                              "foreground", "#1a5fb4", NULL);
  for (guint level = 1; level <= MAX_QUOTE_LEVEL; level++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "quote-%u", level);
      gtk_text_buffer_create_tag (buffer, name,
                                  "left-margin", 18 + 16 * (int) level,
                                  "foreground", quote_colors[level - 1],
                                  NULL);
    }

  click = gtk_gesture_click_new ();
  g_signal_connect_object (click, "released", G_CALLBACK (text_released_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), GTK_EVENT_CONTROLLER (click));
  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "motion", G_CALLBACK (text_motion_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), motion);

  self->crm_watch = rp_crm_watch_new (GTK_WIDGET (self), RP_CRM_CHANGE_RECORDS, show_sender);
  g_signal_connect (self, "map", G_CALLBACK (show_sender), NULL);

  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* Public API */

GtkWidget *
rp_message_view_new (void)
{
  return g_object_new (RP_TYPE_MESSAGE_VIEW, NULL);
}

void
rp_message_view_set_store (RpMessageView *self,
                           RpStore       *store)
{
  g_return_if_fail (RP_IS_MESSAGE_VIEW (self));
  g_return_if_fail (store == NULL || RP_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  rp_crm_watch_set_store (self->crm_watch, store);
  reload (self);
}

void
rp_message_view_set_message (RpMessageView *self,
                             gint64         message_id)
{
  g_return_if_fail (RP_IS_MESSAGE_VIEW (self));
  g_return_if_fail (message_id >= 0);

  if (self->message_id == message_id)
    return;

  self->message_id = message_id;
  reload (self);
}

gint64
rp_message_view_get_message (RpMessageView *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_VIEW (self), 0);

  return self->message_id;
}

WebKitWebView *
_rp_message_view_get_web_view (RpMessageView *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_VIEW (self), NULL);

  return self->web_view;
}

GtkTextView *
_rp_message_view_get_text_view (RpMessageView *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_VIEW (self), NULL);

  return self->text_view;
}

GtkLabel *
_rp_message_view_get_subject_label (RpMessageView *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_VIEW (self), NULL);

  return self->subject_label;
}

guint
_rp_message_view_get_cid_requests (RpMessageView  *self,
                                   const char    **last_cid)
{
  g_return_val_if_fail (RP_IS_MESSAGE_VIEW (self), 0);

  if (last_cid != NULL)
    *last_cid = self->last_cid;

  return self->cid_requests;
}

gboolean
_rp_message_view_get_remote_bar_shown (RpMessageView *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_VIEW (self), FALSE);

  return gtk_revealer_get_reveal_child (self->remote_revealer);
}

GtkListBox *
_rp_message_view_get_attachment_list (RpMessageView *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_VIEW (self), NULL);

  return self->attachment_list;
}

GtkButton *
_rp_message_view_get_edit_draft_button (RpMessageView *self)
{
  g_return_val_if_fail (RP_IS_MESSAGE_VIEW (self), NULL);

  return self->edit_draft_button;
}
