/* test-autoconfig.c: the provider table, the offline guess, and the
 * autoconfig XML parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rp-autoconfig-private.h"
#include "rp-core.h"
#include "rp-test-util.h"

/* The providers issue #7 names, by table id. */
static const char * const required_providers[] = {
  "gmail", "google-workspace", "outlook", "office365", "yahoo", "icloud", "gmx", "webde",
  "t-online", "zoho", "fastmail", "mailbox-org", "posteo", NULL
};

static const RpAutoconfig *
find_provider (GPtrArray  *providers,
               const char *id)
{
  for (guint i = 0; i < providers->len; i++)
    {
      const RpAutoconfig *config = g_ptr_array_index (providers, i);

      if (g_strcmp0 (config->provider_id, id) == 0)
        return config;
    }

  return NULL;
}

/* Letters, digits, hyphens and dots, with at least one dot. */
static gboolean
is_host_name (const char *host)
{
  if (host == NULL || strchr (host, '.') == NULL)
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
is_user_template (const char *user)
{
  return g_strcmp0 (user, "%EMAILADDRESS%") == 0 || g_strcmp0 (user, "%EMAILLOCALPART%") == 0;
}

/* Every entry loads and is complete: names, servers on plausible ports
 * with the security those ports mean, user-name templates, notes. */
static void
test_providers_complete (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) providers = rp_autoconfig_list_providers (&error);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_no_error (error);
  g_assert_nonnull (providers);
  g_assert_cmpuint (providers->len, >=, G_N_ELEMENTS (required_providers) - 1);

  for (guint i = 0; i < providers->len; i++)
    {
      const RpAutoconfig *config = g_ptr_array_index (providers, i);

      g_test_message ("provider %s", config->provider_id);
      g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_PROVIDER);
      g_assert_nonnull (config->provider_id);
      g_assert_true (g_hash_table_add (ids, config->provider_id));
      g_assert_nonnull (config->provider_name);
      g_assert_cmpstr (config->provider_name, !=, "");

      if (config->pop_host == NULL)
        {
          /* Only a provider that says why may lack POP3. */
          g_assert_nonnull (config->hint);
          g_assert_null (config->pop_user);
        }
      else
        {
          g_assert_true (is_host_name (config->pop_host));
          g_assert_true (is_user_template (config->pop_user));
          if (config->pop_port == 995)
            g_assert_cmpint (config->pop_security, ==, RP_SECURITY_TLS);
          else if (config->pop_port == 110)
            g_assert_cmpint (config->pop_security, ==, RP_SECURITY_STARTTLS);
          else
            g_assert_not_reached ();
        }

      g_assert_true (is_host_name (config->smtp_host));
      g_assert_true (is_user_template (config->smtp_user));
      if (config->smtp_port == 465)
        g_assert_cmpint (config->smtp_security, ==, RP_SECURITY_TLS);
      else if (config->smtp_port == 587)
        g_assert_cmpint (config->smtp_security, ==, RP_SECURITY_STARTTLS);
      else
        g_assert_not_reached ();

      if (config->hint != NULL)
        g_assert_cmpuint (strlen (config->hint), >, 20);
    }

  for (guint i = 0; required_providers[i] != NULL; i++)
    {
      g_test_message ("required provider %s", required_providers[i]);
      g_assert_nonnull (find_provider (providers, required_providers[i]));
    }
}

/* The real settings of a few providers, as the providers publish them. */
static void
test_providers_known_settings (void)
{
  static const struct
  {
    const char *address;
    const char *id;
    const char *pop_host;
    guint16     pop_port;
    const char *smtp_host;
    guint16     smtp_port;
    RpSecurity  smtp_security;
  } cases[] = {
    { "a.b@gmail.com", "gmail", "pop.gmail.com", 995, "smtp.gmail.com", 465, RP_SECURITY_TLS },
    { "a@googlemail.com", "gmail", "pop.gmail.com", 995, "smtp.gmail.com", 465, RP_SECURITY_TLS },
    { "a@hotmail.com", "outlook", "outlook.office365.com", 995, "smtp-mail.outlook.com", 587,
      RP_SECURITY_STARTTLS },
    { "a@outlook.de", "outlook", "outlook.office365.com", 995, "smtp-mail.outlook.com", 587,
      RP_SECURITY_STARTTLS },
    { "a@yahoo.de", "yahoo", "pop.mail.yahoo.com", 995, "smtp.mail.yahoo.com", 465,
      RP_SECURITY_TLS },
    { "a@GMX.de", "gmx", "pop.gmx.net", 995, "mail.gmx.net", 465, RP_SECURITY_TLS },
    { "a@gmx.com", "gmx-com", "pop.gmx.com", 995, "mail.gmx.com", 465, RP_SECURITY_TLS },
    { "a@web.de", "webde", "pop3.web.de", 995, "smtp.web.de", 587, RP_SECURITY_STARTTLS },
    { "a@t-online.de", "t-online", "securepop.t-online.de", 995, "securesmtp.t-online.de", 465,
      RP_SECURITY_TLS },
    { "a@zoho.com", "zoho", "pop.zoho.com", 995, "smtp.zoho.com", 465, RP_SECURITY_TLS },
    { "a@fastmail.com", "fastmail", "pop.fastmail.com", 995, "smtp.fastmail.com", 465,
      RP_SECURITY_TLS },
    { "a@mailbox.org", "mailbox-org", "pop3.mailbox.org", 995, "smtp.mailbox.org", 465,
      RP_SECURITY_TLS },
    { "a@posteo.de", "posteo", "posteo.de", 995, "posteo.de", 465, RP_SECURITY_TLS },
    { "a@icloud.com", "icloud", NULL, 0, "smtp.mail.me.com", 587, RP_SECURITY_STARTTLS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RpAutoconfig) config = rp_autoconfig_new_guess (cases[i].address);

      g_test_message ("%s", cases[i].address);
      g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_PROVIDER);
      g_assert_cmpstr (config->provider_id, ==, cases[i].id);
      g_assert_cmpstr (config->pop_host, ==, cases[i].pop_host);
      g_assert_cmpuint (config->pop_port, ==, cases[i].pop_port);
      g_assert_cmpstr (config->smtp_host, ==, cases[i].smtp_host);
      g_assert_cmpuint (config->smtp_port, ==, cases[i].smtp_port);
      g_assert_cmpint (config->smtp_security, ==, cases[i].smtp_security);
      /* User names are resolved for the address, exactly as typed. */
      g_assert_cmpstr (config->smtp_user, ==, cases[i].address);
      if (cases[i].pop_host != NULL)
        {
          g_assert_cmpint (config->pop_security, ==, RP_SECURITY_TLS);
          g_assert_cmpstr (config->pop_user, ==, cases[i].address);
        }
    }
}

static void
test_providers_notes (void)
{
  g_autoptr(RpAutoconfig) gmail = rp_autoconfig_new_guess ("someone@gmail.com");
  g_autoptr(RpAutoconfig) posteo = rp_autoconfig_new_guess ("someone@posteo.de");
  g_autoptr(RpAutoconfig) icloud = rp_autoconfig_new_guess ("someone@me.com");

  g_assert_true (gmail->offer_recent_mode);
  g_assert_nonnull (strstr (gmail->hint, "app password"));
  g_assert_false (posteo->offer_recent_mode);
  g_assert_null (posteo->hint);
  g_assert_nonnull (strstr (icloud->hint, "iCloud Mail offers no POP3"));
}

static void
test_guess_unknown_domain (void)
{
  g_autoptr(RpAutoconfig) config = rp_autoconfig_new_guess ("Jane.Doe@Example.ORG");
  g_autoptr(RpAutoconfig) invalid = rp_autoconfig_new_guess ("not an address");

  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_NONE);
  g_assert_null (config->provider_id);
  g_assert_cmpstr (config->pop_host, ==, "pop.example.org");
  g_assert_cmpuint (config->pop_port, ==, 995);
  g_assert_cmpint (config->pop_security, ==, RP_SECURITY_TLS);
  g_assert_cmpstr (config->pop_user, ==, "Jane.Doe@Example.ORG");
  g_assert_cmpstr (config->smtp_host, ==, "smtp.example.org");
  g_assert_cmpuint (config->smtp_port, ==, 587);
  g_assert_cmpint (config->smtp_security, ==, RP_SECURITY_STARTTLS);
  g_assert_false (config->offer_recent_mode);
  g_assert_null (config->hint);

  g_assert_cmpstr (invalid->pop_host, ==, "");
  g_assert_cmpstr (invalid->smtp_host, ==, "");
}

static void
test_split_address (void)
{
  g_autofree char *local = NULL;
  g_autofree char *domain = NULL;

  g_assert_true (_rp_autoconfig_split_address ("\"a@b\"@Mail.Example.COM", &local, &domain));
  g_assert_cmpstr (local, ==, "\"a@b\"");
  g_assert_cmpstr (domain, ==, "mail.example.com");

  g_assert_false (_rp_autoconfig_split_address ("nobody", NULL, NULL));
  g_assert_false (_rp_autoconfig_split_address ("@example.com", NULL, NULL));
  g_assert_false (_rp_autoconfig_split_address ("a@", NULL, NULL));
  g_assert_false (_rp_autoconfig_split_address ("a@localhost", NULL, NULL));
  g_assert_false (_rp_autoconfig_split_address ("a b@example.com", NULL, NULL));
  g_assert_false (_rp_autoconfig_split_address ("a@example.com.", NULL, NULL));
  g_assert_false (_rp_autoconfig_split_address ("a@exa..mple.com", NULL, NULL));
  g_assert_false (_rp_autoconfig_split_address ("a@example.com/x", NULL, NULL));
  g_assert_false (_rp_autoconfig_split_address ("a@example.com:443", NULL, NULL));
}

static void
test_copy_and_apply (void)
{
  g_autoptr(RpAutoconfig) config = rp_autoconfig_new_guess ("a@gmail.com");
  g_autoptr(RpAutoconfig) copy = rp_autoconfig_copy (config);
  g_autoptr(RpAutoconfig) icloud = rp_autoconfig_new_guess ("a@icloud.com");
  g_autoptr(RpAccount) account = rp_account_new ("test");

  g_assert_true (copy->pop_host != config->pop_host);
  g_assert_cmpstr (copy->pop_host, ==, config->pop_host);
  g_assert_cmpstr (copy->hint, ==, config->hint);
  g_assert_cmpstr (copy->provider_name, ==, "Gmail");

  rp_autoconfig_apply (config, account);
  g_assert_cmpstr (account->pop_host, ==, "pop.gmail.com");
  g_assert_cmpuint (account->pop_port, ==, 995);
  g_assert_cmpint (account->pop_security, ==, RP_SECURITY_TLS);
  g_assert_cmpstr (account->pop_user, ==, "a@gmail.com");
  g_assert_cmpstr (account->smtp_host, ==, "smtp.gmail.com");
  g_assert_cmpuint (account->smtp_port, ==, 465);
  g_assert_cmpstr (account->smtp_user, ==, "a@gmail.com");

  /* No POP3 server: the account's POP3 settings stay as they were. */
  rp_autoconfig_apply (icloud, account);
  g_assert_cmpstr (account->pop_host, ==, "pop.gmail.com");
  g_assert_cmpstr (account->smtp_host, ==, "smtp.mail.me.com");
  g_assert_cmpint (account->smtp_security, ==, RP_SECURITY_STARTTLS);

  g_assert_cmpstr (rp_autoconfig_source_to_string (RP_AUTOCONFIG_SOURCE_SRV), ==, "srv");
  g_assert_cmpstr (rp_autoconfig_source_to_string (RP_AUTOCONFIG_SOURCE_GUESS), ==, "guess");
}

/* Shaped like the files real providers publish: IMAP first, POP3 with
 * a plain and an SSL variant, SMTP with an OAuth2-only and a password one. */
static const char thunderbird_xml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<clientConfig version=\"1.1\">\n"
  "  <emailProvider id=\"example.net\">\n"
  "    <domain>example.net</domain>\n"
  "    <displayName>Example Mail</displayName>\n"
  "    <displayShortName>Example</displayShortName>\n"
  "    <incomingServer type=\"imap\">\n"
  "      <hostname>imap.example.net</hostname><port>993</port>\n"
  "      <socketType>SSL</socketType><username>%EMAILADDRESS%</username>\n"
  "      <authentication>password-cleartext</authentication>\n"
  "    </incomingServer>\n"
  "    <incomingServer type=\"pop3\">\n"
  "      <hostname>pop-plain.example.net</hostname><port>110</port>\n"
  "      <socketType>plain</socketType><username>%EMAILLOCALPART%</username>\n"
  "      <authentication>password-cleartext</authentication>\n"
  "    </incomingServer>\n"
  "    <incomingServer type=\"pop3\">\n"
  "      <hostname>pop.%EMAILDOMAIN%</hostname>\n"
  "      <port> 995 </port>\n"
  "      <socketType>SSL</socketType>\n"
  "      <username>%EMAILLOCALPART%</username>\n"
  "      <authentication>password-cleartext</authentication>\n"
  "      <pop3><leaveMessagesOnServer>true</leaveMessagesOnServer></pop3>\n"
  "    </incomingServer>\n"
  "    <outgoingServer type=\"smtp\">\n"
  "      <hostname>oauth.example.net</hostname><port>465</port>\n"
  "      <socketType>SSL</socketType><username>%EMAILADDRESS%</username>\n"
  "      <authentication>OAuth2</authentication>\n"
  "    </outgoingServer>\n"
  "    <outgoingServer type=\"smtp\">\n"
  "      <hostname>smtp.example.net</hostname><port>587</port>\n"
  "      <socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username>\n"
  "      <authentication>OAuth2</authentication>\n"
  "      <authentication>password-cleartext</authentication>\n"
  "    </outgoingServer>\n"
  "  </emailProvider>\n"
  "</clientConfig>\n";

static void
test_xml_picks_pop3_and_smtp (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RpAutoconfig) config = NULL;

  config = _rp_autoconfig_parse_xml (thunderbird_xml, sizeof thunderbird_xml - 1,
                                     "jane@example.net", &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_AUTOCONFIG);
  g_assert_cmpstr (config->provider_id, ==, "example.net");
  g_assert_cmpstr (config->provider_name, ==, "Example Mail");
  /* The encrypted POP3 server beats the plain one listed before it. */
  g_assert_cmpstr (config->pop_host, ==, "pop.example.net");
  g_assert_cmpuint (config->pop_port, ==, 995);
  g_assert_cmpint (config->pop_security, ==, RP_SECURITY_TLS);
  g_assert_cmpstr (config->pop_user, ==, "jane");
  /* The OAuth2-only server is skipped. */
  g_assert_cmpstr (config->smtp_host, ==, "smtp.example.net");
  g_assert_cmpuint (config->smtp_port, ==, 587);
  g_assert_cmpint (config->smtp_security, ==, RP_SECURITY_STARTTLS);
  g_assert_cmpstr (config->smtp_user, ==, "jane@example.net");
}

static void
test_xml_failures (void)
{
  static const char imap_only[] =
    "<clientConfig version=\"1.1\"><emailProvider id=\"x\">"
    "<incomingServer type=\"imap\"><hostname>imap.x.org</hostname><port>993</port>"
    "<socketType>SSL</socketType></incomingServer>"
    "<outgoingServer type=\"smtp\"><hostname>smtp.x.org</hostname><port>465</port>"
    "<socketType>SSL</socketType></outgoingServer></emailProvider></clientConfig>";
  static const char bad_port[] =
    "<clientConfig><emailProvider>"
    "<incomingServer type=\"pop3\"><hostname>pop.x.org</hostname><port>99999</port>"
    "<socketType>SSL</socketType></incomingServer>"
    "<outgoingServer type=\"smtp\"><hostname>smtp.x.org</hostname><port>465</port>"
    "<socketType>SSL</socketType></outgoingServer></emailProvider></clientConfig>";
  /* An unknown socket type disqualifies the server even when its port
   * comes after it. */
  static const char unknown_socket[] =
    "<clientConfig><emailProvider>"
    "<incomingServer type=\"pop3\"><hostname>pop.x.org</hostname>"
    "<socketType>QUANTUM</socketType><port>995</port></incomingServer>"
    "<outgoingServer type=\"smtp\"><hostname>smtp.x.org</hostname><port>465</port>"
    "<socketType>SSL</socketType></outgoingServer></emailProvider></clientConfig>";
  static const char *malformed[] = {
    "<clientConfig><emailProvider>",
    "<html><body>Not found</body></html>",
    "",
    "<clientConfig><incomingServer type=\"pop3\"></outgoingServer></clientConfig>",
  };
  g_autoptr(GError) error = NULL;
  RpAutoconfig *config;

  config = _rp_autoconfig_parse_xml (imap_only, sizeof imap_only - 1, "a@x.org", &error);
  g_assert_null (config);
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT);
  g_clear_error (&error);

  config = _rp_autoconfig_parse_xml (bad_port, sizeof bad_port - 1, "a@x.org", &error);
  g_assert_null (config);
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT);
  g_clear_error (&error);

  config = _rp_autoconfig_parse_xml (unknown_socket, sizeof unknown_socket - 1, "a@x.org", &error);
  g_assert_null (config);
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      config = _rp_autoconfig_parse_xml (malformed[i], strlen (malformed[i]), "a@x.org", &error);
      g_assert_null (config);
      g_assert_error (error, RP_ERROR, RP_ERROR_PROTOCOL);
      g_clear_error (&error);
    }
}

static void
test_expand (void)
{
  g_autofree char *a = _rp_autoconfig_expand ("%EMAILLOCALPART%+pop@%EMAILDOMAIN%",
                                              "Jane@Example.com");
  g_autofree char *b = _rp_autoconfig_expand ("%EMAILADDRESS%", "jane@example.com");
  g_autofree char *c = _rp_autoconfig_expand ("fixed", "jane@example.com");

  g_assert_cmpstr (a, ==, "Jane+pop@example.com");
  g_assert_cmpstr (b, ==, "jane@example.com");
  g_assert_cmpstr (c, ==, "fixed");
}

int
main (int    argc,
      char **argv)
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/autoconfig/providers/complete", test_providers_complete);
  g_test_add_func ("/core/autoconfig/providers/known-settings", test_providers_known_settings);
  g_test_add_func ("/core/autoconfig/providers/notes", test_providers_notes);
  g_test_add_func ("/core/autoconfig/guess/unknown-domain", test_guess_unknown_domain);
  g_test_add_func ("/core/autoconfig/split-address", test_split_address);
  g_test_add_func ("/core/autoconfig/copy-and-apply", test_copy_and_apply);
  g_test_add_func ("/core/autoconfig/xml/picks-pop3-and-smtp", test_xml_picks_pop3_and_smtp);
  g_test_add_func ("/core/autoconfig/xml/failures", test_xml_failures);
  g_test_add_func ("/core/autoconfig/expand", test_expand);

  return g_test_run ();
}
