/* rp-autoconfig-xml.c: Thunderbird's autoconfig format (config-v1.1)
 *
 * The format is documented at
 * https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat
 * A file lists servers in the provider's order of preference; we take the
 * first POP3 and the first SMTP server that use TLS or STARTTLS, and a
 * plain-text one only if nothing else is offered. Servers that accept no
 * password (OAuth2 only) are skipped, since we cannot sign in to them.
 *
 * GMarkup is enough for this: the files are small, use no DTD and no
 * entities beyond XML's own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-autoconfig"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rp-autoconfig-private.h"
#include "rp-error.h"

typedef enum
{
  KIND_NONE,
  KIND_POP3,
  KIND_SMTP,
  KIND_OTHER,     /* IMAP, Exchange, …: read past */
} ServerKind;

typedef struct
{
  char       *host;
  guint16     port;
  RpSecurity  security;
  char       *user;
  gboolean    has_password_auth;
  gboolean    has_other_auth;
  gboolean    unknown_socket_type;
  gboolean    valid;
} Server;

typedef struct
{
  const char *address;
  char       *provider_id;
  char       *provider_name;
  gboolean    seen_root;

  ServerKind  kind;          /* the server element we are in */
  Server      current;
  GString    *text;          /* character data of the current leaf */

  Server      pop;           /* the best so far of each kind */
  Server      smtp;
} Parser;

/* Auxiliary methods */

static void
server_clear (Server *server)
{
  g_clear_pointer (&server->host, g_free);
  g_clear_pointer (&server->user, g_free);
  memset (server, 0, sizeof *server);
}

/* Whether @candidate should replace @best: any usable server beats none,
 * and an encrypted one beats a plain one; otherwise the file's order. */
static gboolean
server_is_better (const Server *candidate,
                  const Server *best)
{
  if (!candidate->valid)
    return FALSE;
  if (!best->valid)
    return TRUE;

  return best->security == RP_SECURITY_NONE && candidate->security != RP_SECURITY_NONE;
}

static void
finish_server (Parser *parser)
{
  Server *best = parser->kind == KIND_POP3 ? &parser->pop : &parser->smtp;

  parser->current.valid = parser->current.host != NULL && *parser->current.host != '\0' &&
                          parser->current.port != 0 &&
                          !parser->current.unknown_socket_type &&
                          (parser->current.has_password_auth || !parser->current.has_other_auth);
  if (parser->current.user == NULL)
    parser->current.user = g_strdup (parser->address);

  if (server_is_better (&parser->current, best))
    {
      server_clear (best);
      *best = parser->current;
      memset (&parser->current, 0, sizeof parser->current);
    }
  else
    {
      server_clear (&parser->current);
    }
}

static void
read_leaf (Parser  *parser,
           const char *element,
           GError **error)
{
  g_autofree char *value = g_strstrip (g_strdup (parser->text->str));
  Server *server = &parser->current;

  if (parser->kind == KIND_NONE)
    {
      if (g_str_equal (element, "displayName") && parser->provider_name == NULL && *value)
        parser->provider_name = g_steal_pointer (&value);
      return;
    }

  if (parser->kind == KIND_OTHER)
    return;

  if (g_str_equal (element, "hostname"))
    {
      g_free (server->host);
      server->host = _rp_autoconfig_expand (value, parser->address);
    }
  else if (g_str_equal (element, "port"))
    {
      guint64 port = 0;

      if (!g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT16, &port, NULL))
        port = 0;
      server->port = (guint16) port;
    }
  else if (g_str_equal (element, "socketType"))
    {
      /* A server with an unknown socket type is not used rather than used
       * insecurely, whatever order its elements come in. */
      if (g_ascii_strcasecmp (value, "SSL") == 0 || g_ascii_strcasecmp (value, "TLS") == 0)
        server->security = RP_SECURITY_TLS;
      else if (g_ascii_strcasecmp (value, "STARTTLS") == 0)
        server->security = RP_SECURITY_STARTTLS;
      else if (g_ascii_strcasecmp (value, "plain") == 0)
        server->security = RP_SECURITY_NONE;
      else
        server->unknown_socket_type = TRUE;
    }
  else if (g_str_equal (element, "username"))
    {
      g_free (server->user);
      server->user = _rp_autoconfig_expand (value, parser->address);
    }
  else if (g_str_equal (element, "authentication"))
    {
      if (g_ascii_strcasecmp (value, "password-cleartext") == 0 ||
          g_ascii_strcasecmp (value, "password-encrypted") == 0 ||
          g_ascii_strcasecmp (value, "plain") == 0 ||
          g_ascii_strcasecmp (value, "secure") == 0)
        server->has_password_auth = TRUE;
      else
        server->has_other_auth = TRUE;
    }
}

/* Callbacks */

static void
on_start_element (GMarkupParseContext  *context,
                  const char           *element,
                  const char          **attribute_names,
                  const char          **attribute_values,
                  gpointer              user_data,
                  GError              **error)
{
  Parser *parser = user_data;
  const char *type = NULL;
  const char *id = NULL;

  if (!parser->seen_root)
    {
      if (!g_str_equal (element, "clientConfig"))
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                       "the document is not a clientConfig but a <%s>", element);
          return;
        }
      parser->seen_root = TRUE;
    }

  g_string_truncate (parser->text, 0);

  if (g_str_equal (element, "emailProvider"))
    {
      g_markup_collect_attributes (element, attribute_names, attribute_values, NULL,
                                   G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                   "id", &id,
                                   G_MARKUP_COLLECT_INVALID);
      if (parser->provider_id == NULL && id != NULL)
        parser->provider_id = g_strdup (id);
    }
  else if ((g_str_equal (element, "incomingServer") || g_str_equal (element, "outgoingServer")) &&
           parser->kind == KIND_NONE)
    {
      for (guint i = 0; attribute_names[i] != NULL; i++)
        if (g_str_equal (attribute_names[i], "type"))
          type = attribute_values[i];

      if (g_str_equal (element, "incomingServer") && g_strcmp0 (type, "pop3") == 0)
        parser->kind = KIND_POP3;
      else if (g_str_equal (element, "outgoingServer") && g_strcmp0 (type, "smtp") == 0)
        parser->kind = KIND_SMTP;
      else
        parser->kind = KIND_OTHER;
      server_clear (&parser->current);
    }
}

static void
on_end_element (GMarkupParseContext  *context,
                const char           *element,
                gpointer              user_data,
                GError              **error)
{
  Parser *parser = user_data;

  if (g_str_equal (element, "incomingServer") || g_str_equal (element, "outgoingServer"))
    {
      if (parser->kind == KIND_POP3 || parser->kind == KIND_SMTP)
        finish_server (parser);
      parser->kind = KIND_NONE;
    }
  else
    {
      read_leaf (parser, element, error);
    }

  g_string_truncate (parser->text, 0);
}

static void
on_text (GMarkupParseContext  *context,
         const char           *text,
         gsize                 length,
         gpointer              user_data,
         GError              **error)
{
  Parser *parser = user_data;

  /* Only leaves matter, and no leaf of this format is anywhere near this
   * long: a bigger text is a hostile or broken file. */
  if (parser->text->len + length > 64 * 1024)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                           "an element's text is too long");
      return;
    }
  g_string_append_len (parser->text, text, length);
}

/* Internal API */

RpAutoconfig *
_rp_autoconfig_parse_xml (const char  *xml,
                          gsize        length,
                          const char  *address,
                          GError     **error)
{
  static const GMarkupParser callbacks = {
    on_start_element, on_end_element, on_text, NULL, NULL,
  };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  Parser parser = { 0 };
  RpAutoconfig *config = NULL;

  g_return_val_if_fail (xml != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  /* GMarkup reads only UTF-8, and its error messages quote the bytes
   * around a mistake, which would put a hostile server's invalid UTF-8
   * into a message we show. */
  if (!g_utf8_validate_len (xml, length, NULL))
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_PROTOCOL,
                           _("The server’s configuration file is not valid: it is not text in "
                             "UTF-8."));
      return NULL;
    }

  parser.address = address;
  parser.text = g_string_new (NULL);
  context = g_markup_parse_context_new (&callbacks, G_MARKUP_TREAT_CDATA_AS_TEXT, &parser, NULL);

  if (!g_markup_parse_context_parse (context, xml, (gssize) length, &local_error) ||
      !g_markup_parse_context_end_parse (context, &local_error))
    {
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, RP_ERROR, RP_ERROR_PROTOCOL,
                   _("The server’s configuration file is not valid: %s"), reason);
      goto out;
    }

  if (!parser.seen_root)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_PROTOCOL,
                           _("The server’s configuration file is empty."));
      goto out;
    }

  if (!parser.pop.valid || !parser.smtp.valid)
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT,
                           !parser.pop.valid
                             ? _("The provider’s configuration offers no POP3 server.")
                             : _("The provider’s configuration offers no SMTP server."));
      goto out;
    }

  config = g_new0 (RpAutoconfig, 1);
  config->source = RP_AUTOCONFIG_SOURCE_AUTOCONFIG;
  config->provider_id = g_steal_pointer (&parser.provider_id);
  config->provider_name = g_steal_pointer (&parser.provider_name);
  config->pop_host = g_steal_pointer (&parser.pop.host);
  config->pop_port = parser.pop.port;
  config->pop_security = parser.pop.security;
  config->pop_user = g_steal_pointer (&parser.pop.user);
  config->smtp_host = g_steal_pointer (&parser.smtp.host);
  config->smtp_port = parser.smtp.port;
  config->smtp_security = parser.smtp.security;
  config->smtp_user = g_steal_pointer (&parser.smtp.user);

out:
  g_free (parser.provider_id);
  g_free (parser.provider_name);
  server_clear (&parser.current);
  server_clear (&parser.pop);
  server_clear (&parser.smtp);
  g_string_free (parser.text, TRUE);
  return config;
}
