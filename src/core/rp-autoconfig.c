/* rp-autoconfig.c: discovered server settings, and the provider table
 *
 * The provider table is data (data/providers.json, compiled into the core
 * GResource and installed for reference), so that a provider's new host
 * name is a one-line change that needs no C. The notes shown to the user
 * are code, because they are translated: the table only names them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-autoconfig"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "rp-autoconfig-private.h"
#include "rp-core-resources.h"
#include "rp-error.h"

#define PROVIDERS_RESOURCE "/org/rapportmail/Rapport/core/providers.json"

G_DEFINE_BOXED_TYPE (RpAutoconfig, rp_autoconfig, rp_autoconfig_copy, rp_autoconfig_free)

/* One entry of the table. @config holds the settings with the user-name
 * templates unresolved, and the hint's identifier in its hint field. */
typedef struct
{
  RpAutoconfig  *config;
  GStrv          domains;
  GStrv          mx;
} Provider;

static GPtrArray *providers;      /* (element-type Provider), loaded once */
static GError    *providers_error;

/* Auxiliary methods */

static void
provider_free (Provider *provider)
{
  rp_autoconfig_free (provider->config);
  g_strfreev (provider->domains);
  g_strfreev (provider->mx);
  g_free (provider);
}

static GStrv
read_string_array (JsonObject *object,
                   const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array = NULL;

  if (json_object_has_member (object, member) &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, member)))
    array = json_object_get_array_member (object, member);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *value = json_array_get_string_element (array, i);

      if (value != NULL && *value != '\0')
        g_strv_builder_add (builder, value);
    }

  return g_strv_builder_end (builder);
}

static const char *
read_string (JsonObject *object,
             const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* Reads one "pop" or "smtp" object; FALSE if it is incomplete. */
static gboolean
read_server (JsonObject  *object,
             char       **host,
             guint16     *port,
             RpSecurity  *security,
             char       **user)
{
  gint64 number;

  if (read_string (object, "host") == NULL || read_string (object, "user") == NULL ||
      !json_object_has_member (object, "port") ||
      !_rp_autoconfig_parse_security (read_string (object, "security"), security))
    return FALSE;

  number = json_object_get_int_member (object, "port");
  if (number <= 0 || number > G_MAXUINT16)
    return FALSE;

  *host = g_strdup (read_string (object, "host"));
  *port = (guint16) number;
  *user = g_strdup (read_string (object, "user"));
  return TRUE;
}

static Provider *
read_provider (JsonObject  *object,
               GError     **error)
{
  g_autoptr(RpAutoconfig) config = g_new0 (RpAutoconfig, 1);
  Provider *provider;
  const char *id = read_string (object, "id");
  JsonNode *pop;

  config->source = RP_AUTOCONFIG_SOURCE_PROVIDER;
  config->provider_id = g_strdup (id);
  config->provider_name = g_strdup (read_string (object, "name"));
  config->hint = g_strdup (read_string (object, "hint"));
  if (json_object_has_member (object, "recent-mode"))
    config->offer_recent_mode = json_object_get_boolean_member (object, "recent-mode");

  if (config->provider_id == NULL || config->provider_name == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_FAILED,
                   "provider table: an entry lacks its id or name");
      return NULL;
    }

  /* A provider without POP3 says so with "pop": null and a note. */
  pop = json_object_has_member (object, "pop") ? json_object_get_member (object, "pop") : NULL;
  if (pop == NULL || (JSON_NODE_HOLDS_NULL (pop) && config->hint == NULL) ||
      (JSON_NODE_HOLDS_OBJECT (pop) &&
       !read_server (json_node_get_object (pop), &config->pop_host, &config->pop_port,
                     &config->pop_security, &config->pop_user)) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "smtp")) ||
      !read_server (json_object_get_object_member (object, "smtp"), &config->smtp_host,
                    &config->smtp_port, &config->smtp_security, &config->smtp_user))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_FAILED,
                   "provider table: the servers of “%s” are incomplete", id);
      return NULL;
    }

  provider = g_new0 (Provider, 1);
  provider->config = g_steal_pointer (&config);
  provider->domains = read_string_array (object, "domains");
  provider->mx = read_string_array (object, "mx");

  if (provider->domains[0] == NULL && provider->mx[0] == NULL)
    {
      g_set_error (error, RP_ERROR, RP_ERROR_FAILED,
                   "provider table: “%s” has neither domains nor mail exchangers", id);
      provider_free (provider);
      return NULL;
    }

  return provider;
}

static GPtrArray *
load_providers (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) provider_free);
  JsonNode *root;
  JsonArray *entries;

  /* Through the resource itself rather than the global registry, which a
   * static link may leave without this resource's constructor. */
  bytes = g_resource_lookup_data (rp_core_get_resource (), PROVIDERS_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   (gssize) g_bytes_get_size (bytes), error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "providers"))
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_FAILED,
                           "provider table: no “providers” array");
      return NULL;
    }

  entries = json_object_get_array_member (json_node_get_object (root), "providers");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      Provider *provider;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, RP_ERROR, RP_ERROR_FAILED,
                       "provider table: entry %u is not an object", i);
          return NULL;
        }

      provider = read_provider (json_node_get_object (node), error);
      if (provider == NULL)
        return NULL;
      g_ptr_array_add (result, provider);
    }

  return g_steal_pointer (&result);
}

/* The table, loaded on first use; NULL (with the reason) if it is broken,
 * which the unit test catches before a user could. */
static GPtrArray *
get_providers (GError **error)
{
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      providers = load_providers (&providers_error);
      g_once_init_leave (&loaded, 1);
    }

  if (providers == NULL)
    {
      g_propagate_error (error, g_error_copy (providers_error));
      return NULL;
    }

  return providers;
}

/* The translated note the table names with @hint_id, or NULL. */
static char *
describe_hint (const char *hint_id,
               const char *provider_name)
{
  if (hint_id == NULL)
    return NULL;

  if (g_str_equal (hint_id, "google"))
    return g_strdup (_("Turn on POP in Gmail’s settings (Forwarding and POP/IMAP) first. "
                       "With 2-Step Verification, Google accepts only an app password: "
                       "create one in your Google Account and enter it instead of your "
                       "usual password."));
  if (g_str_equal (hint_id, "microsoft"))
    return g_strdup (_("Turn on POP in Outlook’s settings on the web (Mail, Forwarding and "
                       "IMAP) first. Microsoft may refuse passwords from mail programs; "
                       "organisations can also switch off POP or sending with a password."));
  if (g_str_equal (hint_id, "app-password"))
    return g_strdup_printf (_("%s asks for an app password: create one in your account’s "
                              "security settings and enter it instead of your usual "
                              "password."), provider_name);
  if (g_str_equal (hint_id, "enable-pop"))
    return g_strdup_printf (_("%s may have POP3 access switched off for your mailbox: turn "
                              "it on in the settings of its web mail first."), provider_name);
  if (g_str_equal (hint_id, "t-online"))
    return g_strdup (_("Telekom Mail needs its separate email password, which you can set "
                       "in the Telekom Mail settings, not the password of your Telekom "
                       "login."));
  if (g_str_equal (hint_id, "no-pop"))
    return g_strdup_printf (_("%s offers no POP3 access, so Rapport cannot fetch its mail."),
                            provider_name);

  /* An unknown name is a broken table, which the unit test reports
   * through rp_autoconfig_list_providers(). */
  g_debug ("provider table: unknown hint “%s”", hint_id);
  return NULL;
}

/* A copy of the provider's entry with its user names and note resolved. */
static RpAutoconfig *
resolve_provider (const Provider *provider,
                  const char     *address)
{
  RpAutoconfig *config = rp_autoconfig_copy (provider->config);
  char *user;

  user = config->pop_user != NULL ? _rp_autoconfig_expand (config->pop_user, address) : NULL;
  g_free (config->pop_user);
  config->pop_user = user;
  user = _rp_autoconfig_expand (config->smtp_user, address);
  g_free (config->smtp_user);
  config->smtp_user = user;
  g_free (config->hint);
  config->hint = describe_hint (provider->config->hint, provider->config->provider_name);

  return config;
}

/* Whether @host is @suffix or ends with ".@suffix" (case-insensitive). */
static gboolean
host_has_suffix (const char *host,
                 const char *suffix)
{
  gsize host_length = strlen (host);
  gsize suffix_length = strlen (suffix);

  if (host_length == suffix_length)
    return g_ascii_strcasecmp (host, suffix) == 0;

  return host_length > suffix_length &&
         host[host_length - suffix_length - 1] == '.' &&
         g_ascii_strcasecmp (host + host_length - suffix_length, suffix) == 0;
}

/* Internal API */

gboolean
_rp_autoconfig_split_address (const char  *address,
                              char       **local_part,
                              char       **domain)
{
  const char *at;
  g_autofree char *lower = NULL;
  gsize length;

  if (address == NULL || !g_utf8_validate (address, -1, NULL))
    return FALSE;

  at = strrchr (address, '@');
  if (at == NULL || at == address || at[1] == '\0')
    return FALSE;

  for (const char *p = address; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || *p == '/' || *p == '?' || *p == '#')
      return FALSE;

  /* A trailing dot would make "domain." and "domain" two table entries. */
  lower = g_ascii_strdown (at + 1, -1);
  length = strlen (lower);
  if (strchr (lower, '.') == NULL || lower[0] == '.' || lower[length - 1] == '.' ||
      strstr (lower, "..") != NULL || strchr (lower, '@') != NULL ||
      strchr (lower, ':') != NULL)
    return FALSE;

  if (local_part != NULL)
    *local_part = g_strndup (address, at - address);
  if (domain != NULL)
    *domain = g_steal_pointer (&lower);
  return TRUE;
}

char *
_rp_autoconfig_expand (const char *text,
                       const char *address)
{
  g_autofree char *local_part = NULL;
  g_autofree char *domain = NULL;
  GString *result;

  g_return_val_if_fail (text != NULL, NULL);

  if (!_rp_autoconfig_split_address (address, &local_part, &domain))
    return g_strdup (text);

  result = g_string_new (text);
  g_string_replace (result, "%EMAILADDRESS%", address, 0);
  g_string_replace (result, "%EMAILLOCALPART%", local_part, 0);
  g_string_replace (result, "%EMAILDOMAIN%", domain, 0);

  return g_string_free (result, FALSE);
}

gboolean
_rp_autoconfig_parse_security (const char *text,
                               RpSecurity *security)
{
  if (g_strcmp0 (text, "tls") == 0)
    *security = RP_SECURITY_TLS;
  else if (g_strcmp0 (text, "starttls") == 0)
    *security = RP_SECURITY_STARTTLS;
  else if (g_strcmp0 (text, "none") == 0)
    *security = RP_SECURITY_NONE;
  else
    return FALSE;

  return TRUE;
}

RpAutoconfig *
_rp_autoconfig_lookup_domain (const char *address,
                              const char *domain)
{
  GPtrArray *table = get_providers (NULL);

  for (guint i = 0; table != NULL && i < table->len; i++)
    {
      const Provider *provider = g_ptr_array_index (table, i);

      if (g_strv_contains ((const char * const *) provider->domains, domain))
        return resolve_provider (provider, address);
    }

  return NULL;
}

RpAutoconfig *
_rp_autoconfig_lookup_mx (const char *address,
                          const char *exchange)
{
  GPtrArray *table = get_providers (NULL);
  g_autofree char *host = NULL;
  gsize length;

  /* DNS answers may carry the root's trailing dot. */
  host = g_strdup (exchange);
  length = strlen (host);
  if (length > 0 && host[length - 1] == '.')
    host[length - 1] = '\0';

  for (guint i = 0; table != NULL && i < table->len; i++)
    {
      const Provider *provider = g_ptr_array_index (table, i);

      for (guint j = 0; provider->mx[j] != NULL; j++)
        if (host_has_suffix (host, provider->mx[j]))
          return resolve_provider (provider, address);
    }

  return NULL;
}

/* Public API */

/**
 * rp_autoconfig_new_guess:
 * @address: a mail address
 *
 * The settings to prefill a manual form with, without any network access:
 * the provider table's entry for the address's domain, or else
 * pop.DOMAIN (995, TLS) and smtp.DOMAIN (587, STARTTLS) with the whole
 * address as user name, and %RP_AUTOCONFIG_SOURCE_NONE. For an address
 * without a usable domain the host names are empty.
 *
 * Returns: (transfer full): the guess
 */
RpAutoconfig *
rp_autoconfig_new_guess (const char *address)
{
  g_autofree char *domain = NULL;
  RpAutoconfig *config;

  g_return_val_if_fail (address != NULL, NULL);

  if (_rp_autoconfig_split_address (address, NULL, &domain))
    {
      config = _rp_autoconfig_lookup_domain (address, domain);
      if (config != NULL)
        return config;
    }

  config = g_new0 (RpAutoconfig, 1);
  config->source = RP_AUTOCONFIG_SOURCE_NONE;
  config->pop_host = domain != NULL ? g_strconcat ("pop.", domain, NULL) : g_strdup ("");
  config->pop_port = 995;
  config->pop_security = RP_SECURITY_TLS;
  config->pop_user = g_strdup (address);
  config->smtp_host = domain != NULL ? g_strconcat ("smtp.", domain, NULL) : g_strdup ("");
  config->smtp_port = 587;
  config->smtp_security = RP_SECURITY_STARTTLS;
  config->smtp_user = g_strdup (address);

  return config;
}

RpAutoconfig *
rp_autoconfig_copy (const RpAutoconfig *c)
{
  RpAutoconfig *copy;

  g_return_val_if_fail (c != NULL, NULL);

  copy = g_memdup2 (c, sizeof *c);
  copy->provider_id = g_strdup (c->provider_id);
  copy->provider_name = g_strdup (c->provider_name);
  copy->pop_host = g_strdup (c->pop_host);
  copy->pop_user = g_strdup (c->pop_user);
  copy->smtp_host = g_strdup (c->smtp_host);
  copy->smtp_user = g_strdup (c->smtp_user);
  copy->hint = g_strdup (c->hint);

  return copy;
}

void
rp_autoconfig_free (RpAutoconfig *c)
{
  if (c == NULL)
    return;

  g_free (c->provider_id);
  g_free (c->provider_name);
  g_free (c->pop_host);
  g_free (c->pop_user);
  g_free (c->smtp_host);
  g_free (c->smtp_user);
  g_free (c->hint);
  g_free (c);
}

/**
 * rp_autoconfig_apply:
 * @c: the settings
 * @account: the account to change
 *
 * Copies the servers, ports, security and user names into @account. A
 * missing POP3 server (a provider without POP3) leaves the account's POP3
 * settings alone.
 */
void
rp_autoconfig_apply (const RpAutoconfig *c,
                     RpAccount          *account)
{
  g_return_if_fail (c != NULL);
  g_return_if_fail (account != NULL);

  if (c->pop_host != NULL)
    {
      g_free (account->pop_host);
      account->pop_host = g_strdup (c->pop_host);
      account->pop_port = c->pop_port;
      account->pop_security = c->pop_security;
      g_free (account->pop_user);
      account->pop_user = g_strdup (c->pop_user != NULL ? c->pop_user : "");
    }

  if (c->smtp_host != NULL)
    {
      g_free (account->smtp_host);
      account->smtp_host = g_strdup (c->smtp_host);
      account->smtp_port = c->smtp_port;
      account->smtp_security = c->smtp_security;
      g_free (account->smtp_user);
      account->smtp_user = g_strdup (c->smtp_user != NULL ? c->smtp_user : "");
    }
}

const char *
rp_autoconfig_source_to_string (RpAutoconfigSource source)
{
  switch (source)
    {
    case RP_AUTOCONFIG_SOURCE_NONE:       return "none";
    case RP_AUTOCONFIG_SOURCE_PROVIDER:   return "provider";
    case RP_AUTOCONFIG_SOURCE_AUTOCONFIG: return "autoconfig";
    case RP_AUTOCONFIG_SOURCE_SRV:        return "srv";
    case RP_AUTOCONFIG_SOURCE_GUESS:      return "guess";
    default:                              return "unknown";
    }
}

/**
 * rp_autoconfig_list_providers:
 * @error: the reason if the table does not load
 *
 * Every entry of the provider table, user-name templates unresolved
 * ("%EMAILADDRESS%") and with its note resolved for the provider.
 *
 * Returns: (transfer full) (element-type RpAutoconfig): the entries, or
 *   %NULL if the table is broken
 */
GPtrArray *
rp_autoconfig_list_providers (GError **error)
{
  GPtrArray *table = get_providers (error);
  GPtrArray *result;

  if (table == NULL)
    return NULL;

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_autoconfig_free);
  for (guint i = 0; i < table->len; i++)
    {
      const Provider *provider = g_ptr_array_index (table, i);
      RpAutoconfig *config = rp_autoconfig_copy (provider->config);

      g_free (config->hint);
      config->hint = describe_hint (provider->config->hint, provider->config->provider_name);
      if (provider->config->hint != NULL && config->hint == NULL)
        {
          g_set_error (error, RP_ERROR, RP_ERROR_FAILED,
                       "provider table: “%s” names an unknown hint “%s”",
                       config->provider_id, provider->config->hint);
          rp_autoconfig_free (config);
          g_ptr_array_unref (result);
          return NULL;
        }
      g_ptr_array_add (result, config);
    }

  return result;
}
