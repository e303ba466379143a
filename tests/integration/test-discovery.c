/* test-discovery.c: account discovery against real local servers
 *
 * The test resolver maps the test domains' host names to 127.0.0.1 and
 * answers their SRV and MX queries; a real HTTPS server with a certificate
 * from the test CA serves autoconfig files; Dovecot and Postfix answer the
 * guessing step's probes on the ports rp_discoverer_map_port() names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "rp-core.h"
#include "rp-test-dovecot.h"
#include "rp-test-https.h"
#include "rp-test-resolver.h"
#include "rp-test-server.h"
#include "rp-test-smtpd.h"
#include "rp-test-util.h"

static RpTestCa *ca;
static RpTestDovecot *dovecot;
static RpTestSmtpd *smtpd;
static RpTestHttps *https;
static RpTestResolver *resolver;

/* Every web site the HTTPS server plays. */
static const char * const https_hosts[] = {
  "autoconfig.ac.test", "autoconfig.wk.test", "wk.test", "autoconfig.hang.test", "hang.test",
  "autoconfig.redir.test", "redir.test", "autoconfig.redir2.test", "redir2.test",
  "autoconfig.order.test", "autoconfig.gmail.com", "gmail.com", "autoconfig.async.test",
  NULL
};

/* Auxiliary methods */

/* A fresh start for each test: no names, no files, no request log. */
static void
reset (void)
{
  rp_test_resolver_clear (resolver);
  rp_test_https_clear (https);
}

static void
map_hosts (const char *first,
           ...)
{
  va_list args;

  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    rp_test_resolver_add_host (resolver, name, "127.0.0.1");
  va_end (args);
}

static RpDiscoverer *
new_discoverer (void)
{
  RpDiscoverer *discoverer = rp_discoverer_new ();

  rp_discoverer_set_ca_file (discoverer, rp_test_ca_get_ca_file (ca));
  rp_discoverer_set_https_port (discoverer, rp_test_https_get_port (https));
  rp_discoverer_map_port (discoverer, 995, rp_test_dovecot_get_pop3s_port (dovecot));
  rp_discoverer_map_port (discoverer, 110, rp_test_dovecot_get_pop3_port (dovecot));
  rp_discoverer_map_port (discoverer, 465, rp_test_smtpd_get_submissions_port (smtpd));
  rp_discoverer_map_port (discoverer, 587, rp_test_smtpd_get_submission_port (smtpd));

  return discoverer;
}

static char *
make_xml (const char *pop_host,
          guint16     pop_port,
          const char *pop_socket,
          const char *smtp_host,
          guint16     smtp_port,
          const char *smtp_socket)
{
  return g_strdup_printf ("<?xml version=\"1.0\"?>\n"
                          "<clientConfig version=\"1.1\">\n"
                          " <emailProvider id=\"test\">\n"
                          "  <displayName>Test Mail</displayName>\n"
                          "  <incomingServer type=\"pop3\">\n"
                          "   <hostname>%s</hostname><port>%u</port>\n"
                          "   <socketType>%s</socketType>\n"
                          "   <username>%%EMAILLOCALPART%%</username>\n"
                          "   <authentication>password-cleartext</authentication>\n"
                          "  </incomingServer>\n"
                          "  <outgoingServer type=\"smtp\">\n"
                          "   <hostname>%s</hostname><port>%u</port>\n"
                          "   <socketType>%s</socketType>\n"
                          "   <username>%%EMAILADDRESS%%</username>\n"
                          "   <authentication>password-cleartext</authentication>\n"
                          "  </outgoingServer>\n"
                          " </emailProvider>\n"
                          "</clientConfig>\n",
                          pop_host, pop_port, pop_socket, smtp_host, smtp_port, smtp_socket);
}

/* An autoconfig file pointing at the real Dovecot and Postfix. */
static char *
make_local_xml (void)
{
  return make_xml ("localhost", rp_test_dovecot_get_pop3s_port (dovecot), "SSL",
                   "localhost", rp_test_smtpd_get_submission_port (smtpd), "STARTTLS");
}

static void
assert_requests (const char *first,
                 ...)
{
  g_autoptr(GPtrArray) requests = rp_test_https_get_requests (https);
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *expected = first; expected != NULL; expected = va_arg (args, const char *))
    {
      g_assert_cmpuint (i, <, requests->len);
      g_assert_cmpstr (g_ptr_array_index (requests, i), ==, expected);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (requests->len, ==, i);
}

static RpAutoconfig *
discover (RpDiscoverer  *discoverer,
          const char    *address,
          gint64        *elapsed_ms,
          GError       **error)
{
  gint64 start = g_get_monotonic_time ();
  RpAutoconfig *config = rp_discoverer_discover_sync (discoverer, address, NULL, error);

  if (elapsed_ms != NULL)
    *elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  return config;
}

/* A listening socket that never accepts: connections hang, as behind a
 * firewall that drops packets. */
static GSocket *
black_hole_new (guint16 *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) local = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

  return socket;
}

/* Tests: each source alone */

static void
test_provider (void)
{
  g_autoptr(RpDiscoverer) discoverer = NULL;
  g_autoptr(RpAutoconfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = make_local_xml ();

  reset ();
  /* Every other source would answer too, and must not even be asked. */
  map_hosts ("autoconfig.gmail.com", "gmail.com", "pop.gmail.com", "smtp.gmail.com", NULL);
  rp_test_https_add_file (https, "autoconfig.gmail.com", "/mail/config-v1.1.xml", xml);
  rp_test_resolver_add_srv (resolver, "_pop3s._tcp.gmail.com", "localhost",
                            rp_test_dovecot_get_pop3s_port (dovecot), 0, 0);

  discoverer = new_discoverer ();
  config = discover (discoverer, "Jane.Doe@gmail.com", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_PROVIDER);
  g_assert_cmpstr (config->provider_id, ==, "gmail");
  g_assert_cmpstr (config->pop_host, ==, "pop.gmail.com");
  g_assert_cmpuint (config->pop_port, ==, 995);
  g_assert_cmpstr (config->pop_user, ==, "Jane.Doe@gmail.com");
  g_assert_true (config->offer_recent_mode);
  g_assert_nonnull (config->hint);

  assert_requests (NULL);
  g_assert_cmpuint (rp_test_resolver_count_lookups (resolver, "gmail.com"), ==, 0);
  g_assert_cmpuint (rp_test_resolver_count_lookups (resolver, "autoconfig.gmail.com"), ==, 0);
  g_assert_cmpuint (rp_test_resolver_count_lookups (resolver, "_pop3s._tcp.gmail.com"), ==, 0);
  g_assert_cmpuint (rp_test_resolver_count_lookups (resolver, "pop.gmail.com"), ==, 0);
}

/* A custom domain hosted by Google Workspace, recognised by its MX. */
static void
test_provider_mx (void)
{
  g_autoptr(RpDiscoverer) discoverer = NULL;
  g_autoptr(RpAutoconfig) config = NULL;
  g_autoptr(GError) error = NULL;

  reset ();
  rp_test_resolver_add_mx (resolver, "corp.test", "mx.corp-backup.test", 20);
  rp_test_resolver_add_mx (resolver, "corp.test", "ASPMX.L.GOOGLE.COM.", 1);

  discoverer = new_discoverer ();
  config = discover (discoverer, "boss@corp.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_PROVIDER);
  g_assert_cmpstr (config->provider_id, ==, "google-workspace");
  g_assert_cmpstr (config->pop_host, ==, "pop.gmail.com");
  g_assert_cmpstr (config->smtp_user, ==, "boss@corp.test");
  g_assert_cmpuint (rp_test_resolver_count_lookups (resolver, "corp.test"), ==, 1);
  g_assert_cmpuint (rp_test_resolver_count_lookups (resolver, "autoconfig.corp.test"), ==, 0);
}

static void
test_provider_without_pop (void)
{
  g_autoptr(RpDiscoverer) discoverer = NULL;
  g_autoptr(GError) error = NULL;
  RpAutoconfig *config;

  reset ();
  discoverer = new_discoverer ();
  config = discover (discoverer, "someone@icloud.com", NULL, &error);
  g_assert_null (config);
  g_assert_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT);
  g_assert_nonnull (strstr (error->message, "iCloud Mail"));
  assert_requests (NULL);
}

/* The first URL, then a working connection test with what it found. */
static void
test_autoconfig (void)
{
  g_autoptr(RpDiscoverer) discoverer = NULL;
  g_autoptr(RpAutoconfig) config = NULL;
  g_autoptr(RpAccount) account = rp_account_new ("ac");
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = make_local_xml ();
  RpAccountTestStep failed_step;

  reset ();
  map_hosts ("autoconfig.ac.test", NULL);
  rp_test_https_add_file (https, "autoconfig.ac.test", "/mail/config-v1.1.xml", xml);

  discoverer = new_discoverer ();
  config = discover (discoverer, "alice@ac.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_AUTOCONFIG);
  g_assert_cmpstr (config->provider_name, ==, "Test Mail");
  g_assert_cmpstr (config->pop_host, ==, "localhost");
  g_assert_cmpuint (config->pop_port, ==, rp_test_dovecot_get_pop3s_port (dovecot));
  g_assert_cmpint (config->pop_security, ==, RP_SECURITY_TLS);
  g_assert_cmpstr (config->pop_user, ==, "alice");
  g_assert_cmpstr (config->smtp_host, ==, "localhost");
  g_assert_cmpuint (config->smtp_port, ==, rp_test_smtpd_get_submission_port (smtpd));
  g_assert_cmpint (config->smtp_security, ==, RP_SECURITY_STARTTLS);
  g_assert_cmpstr (config->smtp_user, ==, "alice@ac.test");
  assert_requests ("autoconfig.ac.test /mail/config-v1.1.xml?emailaddress=alice%40ac.test", NULL);

  g_free (account->email);
  account->email = g_strdup ("alice@ac.test");
  account->ca_file = g_strdup (rp_test_ca_get_ca_file (ca));
  rp_autoconfig_apply (config, account);
  g_assert_true (rp_account_test_sync (account, "alice-secret", &failed_step, NULL, NULL,
                                       &error));
  g_assert_no_error (error);
  g_assert_cmpint (failed_step, ==, RP_ACCOUNT_TEST_DONE);
}

/* The first URL answers 404: the second, well-known one is used. */
static void
test_autoconfig_well_known (void)
{
  g_autoptr(RpDiscoverer) discoverer = NULL;
  g_autoptr(RpAutoconfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = make_local_xml ();

  reset ();
  map_hosts ("autoconfig.wk.test", "wk.test", NULL);
  rp_test_https_add_file (https, "wk.test", "/.well-known/autoconfig/mail/config-v1.1.xml", xml);

  discoverer = new_discoverer ();
  config = discover (discoverer, "bob@wk.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_AUTOCONFIG);
  g_assert_cmpstr (config->pop_user, ==, "bob");
  assert_requests ("autoconfig.wk.test /mail/config-v1.1.xml?emailaddress=bob%40wk.test",
                   "wk.test /.well-known/autoconfig/mail/config-v1.1.xml", NULL);
}

/* The first URL never answers: its own timeout leaves time for the second. */
static void
test_autoconfig_first_hangs (void)
{
  g_autoptr(RpDiscoverer) discoverer = NULL;
  g_autoptr(RpAutoconfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = make_local_xml ();
  gint64 elapsed_ms;

  reset ();
  map_hosts ("autoconfig.hang.test", "hang.test", NULL);
  rp_test_https_add_hang (https, "autoconfig.hang.test", "/mail/config-v1.1.xml");
  rp_test_https_add_file (https, "hang.test", "/.well-known/autoconfig/mail/config-v1.1.xml",
                          xml);

  discoverer = new_discoverer ();
  rp_discoverer_set_timeout (discoverer, 5000);
  config = discover (discoverer, "carol@hang.test", &elapsed_ms, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_AUTOCONFIG);
  /* The first URL's share of 5 s is 1 s. */
  g_assert_cmpint (elapsed_ms, >=, 900);
  g_assert_cmpint (elapsed_ms, <, 3000);
  assert_requests ("autoconfig.hang.test /mail/config-v1.1.xml?emailaddress=carol%40hang.test",
                   "hang.test /.well-known/autoconfig/mail/config-v1.1.xml", NULL);
}

/* HTTPS redirects are followed; a redirect to plain HTTP is refused. */
static void
test_autoconfig_redirects (void)
{
  g_autoptr(RpDiscoverer) discoverer = new_discoverer ();
  g_autoptr(RpAutoconfig) config = NULL;
  g_autoptr(RpAutoconfig) config2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = make_local_xml ();
  g_autofree char *https_target = NULL;
  g_autofree char *http_target = NULL;

  reset ();
  map_hosts ("autoconfig.redir.test", "redir.test", "autoconfig.redir2.test", "redir2.test",
             NULL);
  https_target = g_strdup_printf ("https://redir.test:%u/moved/config.xml",
                                  rp_test_https_get_port (https));
  rp_test_https_add_redirect (https, "autoconfig.redir.test", "/mail/config-v1.1.xml",
                              https_target);
  rp_test_https_add_file (https, "redir.test", "/moved/config.xml", xml);

  config = discover (discoverer, "dan@redir.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_AUTOCONFIG);
  assert_requests ("autoconfig.redir.test /mail/config-v1.1.xml?emailaddress=dan%40redir.test",
                   "redir.test /moved/config.xml", NULL);

  reset ();
  map_hosts ("autoconfig.redir2.test", "redir2.test", NULL);
  http_target = g_strdup_printf ("http://redir2.test:%u/evil.xml",
                                 rp_test_https_get_port (https));
  rp_test_https_add_redirect (https, "autoconfig.redir2.test", "/mail/config-v1.1.xml",
                              http_target);
  rp_test_https_add_file (https, "redir2.test", "/.well-known/autoconfig/mail/config-v1.1.xml",
                          xml);
  config2 = discover (discoverer, "eve@redir2.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config2->source, ==, RP_AUTOCONFIG_SOURCE_AUTOCONFIG);
  assert_requests ("autoconfig.redir2.test /mail/config-v1.1.xml?emailaddress=eve%40redir2.test",
                   "redir2.test /.well-known/autoconfig/mail/config-v1.1.xml", NULL);
}

/* RFC 6186: lowest priority, then highest weight; "." means not offered. */
static void
test_srv (void)
{
  g_autoptr(RpDiscoverer) discoverer = NULL;
  g_autoptr(RpAutoconfig) config = NULL;
  g_autoptr(GError) error = NULL;
  guint16 pop3s = rp_test_dovecot_get_pop3s_port (dovecot);
  guint16 submission = rp_test_smtpd_get_submission_port (smtpd);

  reset ();
  rp_test_resolver_add_srv (resolver, "_pop3s._tcp.srv.test", "backup.srv.test", 1111, 20, 100);
  rp_test_resolver_add_srv (resolver, "_pop3s._tcp.srv.test", "light.srv.test", 2222, 10, 1);
  rp_test_resolver_add_srv (resolver, "_pop3s._tcp.srv.test", "heavy.srv.test.", pop3s, 10, 60);
  rp_test_resolver_add_srv (resolver, "_pop3._tcp.srv.test", "plain.srv.test", 110, 0, 0);
  rp_test_resolver_add_srv (resolver, "_submissions._tcp.srv.test", ".", 0, 0, 0);
  rp_test_resolver_add_srv (resolver, "_submission._tcp.srv.test", "smtp.srv.test", submission,
                            0, 0);

  discoverer = new_discoverer ();
  config = discover (discoverer, "frank@srv.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_SRV);
  g_assert_cmpstr (config->pop_host, ==, "heavy.srv.test");
  g_assert_cmpuint (config->pop_port, ==, pop3s);
  g_assert_cmpint (config->pop_security, ==, RP_SECURITY_TLS);
  g_assert_cmpstr (config->pop_user, ==, "frank@srv.test");
  g_assert_cmpstr (config->smtp_host, ==, "smtp.srv.test");
  g_assert_cmpuint (config->smtp_port, ==, submission);
  g_assert_cmpint (config->smtp_security, ==, RP_SECURITY_STARTTLS);
  g_assert_cmpstr (config->smtp_user, ==, "frank@srv.test");

  /* Autoconfig was asked first; the guessing step never ran. */
  g_assert_cmpuint (rp_test_resolver_count_lookups (resolver, "autoconfig.srv.test"), >=, 1);
  g_assert_cmpuint (rp_test_resolver_count_lookups (resolver, "_submissions._tcp.srv.test"),
                    ==, 1);
  g_assert_cmpuint (rp_test_resolver_count_lookups (resolver, "pop.srv.test"), ==, 0);
}

static void
test_guess (void)
{
  g_autoptr(RpDiscoverer) discoverer = NULL;
  g_autoptr(RpAutoconfig) config = NULL;
  g_autoptr(GError) error = NULL;

  reset ();
  map_hosts ("pop.guess.test", "pop3.guess.test", "mail.guess.test", "smtp.guess.test", NULL);

  discoverer = new_discoverer ();
  config = discover (discoverer, "gina@guess.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_GUESS);
  g_assert_cmpstr (config->pop_host, ==, "pop.guess.test");
  g_assert_cmpuint (config->pop_port, ==, rp_test_dovecot_get_pop3s_port (dovecot));
  g_assert_cmpint (config->pop_security, ==, RP_SECURITY_TLS);
  g_assert_cmpstr (config->smtp_host, ==, "smtp.guess.test");
  g_assert_cmpuint (config->smtp_port, ==, rp_test_smtpd_get_submissions_port (smtpd));
  g_assert_cmpint (config->smtp_security, ==, RP_SECURITY_TLS);
  g_assert_cmpstr (config->pop_user, ==, "gina@guess.test");
}

/* Only mail.DOMAIN exists, and only its STARTTLS ports are open. */
static void
test_guess_starttls (void)
{
  g_autoptr(RpDiscoverer) discoverer = NULL;
  g_autoptr(RpAutoconfig) config = NULL;
  g_autoptr(GError) error = NULL;

  reset ();
  map_hosts ("mail.g2.test", NULL);

  discoverer = new_discoverer ();
  rp_discoverer_map_port (discoverer, 995, rp_test_server_find_free_port ());
  rp_discoverer_map_port (discoverer, 465, rp_test_server_find_free_port ());
  config = discover (discoverer, "hal@g2.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_GUESS);
  g_assert_cmpstr (config->pop_host, ==, "mail.g2.test");
  g_assert_cmpuint (config->pop_port, ==, rp_test_dovecot_get_pop3_port (dovecot));
  g_assert_cmpint (config->pop_security, ==, RP_SECURITY_STARTTLS);
  g_assert_cmpstr (config->smtp_host, ==, "mail.g2.test");
  g_assert_cmpuint (config->smtp_port, ==, rp_test_smtpd_get_submission_port (smtpd));
  g_assert_cmpint (config->smtp_security, ==, RP_SECURITY_STARTTLS);
}

/* A POP3 server without STLS is never proposed. */
static void
test_guess_refuses_plain_text (void)
{
  g_autoptr(RpDiscoverer) discoverer = NULL;
  g_autoptr(GError) error = NULL;
  RpAutoconfig *config;

  reset ();
  map_hosts ("pop.g3.test", "smtp.g3.test", NULL);

  discoverer = new_discoverer ();
  rp_discoverer_map_port (discoverer, 995, rp_test_server_find_free_port ());
  rp_discoverer_map_port (discoverer, 110, rp_test_dovecot_get_pop3_plain_port (dovecot));
  config = discover (discoverer, "ida@g3.test", NULL, &error);
  g_assert_null (config);
  g_assert_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED);
  g_assert_nonnull (strstr (error->message, "g3.test"));
}

/* Tests: the order, timeouts, cancellation */

/* Autoconfig beats SRV beats guessing. */
static void
test_order (void)
{
  g_autoptr(RpDiscoverer) discoverer = new_discoverer ();
  g_autofree char *xml = make_local_xml ();
  guint16 pop3s = rp_test_dovecot_get_pop3s_port (dovecot);
  guint16 submission = rp_test_smtpd_get_submission_port (smtpd);
  GError *error = NULL;
  RpAutoconfig *config;

  reset ();
  map_hosts ("autoconfig.order.test", "pop.order.test", "smtp.order.test", NULL);
  rp_test_https_add_file (https, "autoconfig.order.test", "/mail/config-v1.1.xml", xml);
  rp_test_resolver_add_srv (resolver, "_pop3s._tcp.order.test", "srv-pop.order.test", pop3s,
                            0, 0);
  rp_test_resolver_add_srv (resolver, "_submission._tcp.order.test", "srv-smtp.order.test",
                            submission, 0, 0);

  config = discover (discoverer, "jo@order.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_AUTOCONFIG);
  g_assert_cmpstr (config->pop_host, ==, "localhost");
  g_assert_cmpuint (rp_test_resolver_count_lookups (resolver, "_pop3s._tcp.order.test"), ==, 0);
  rp_autoconfig_free (config);

  rp_test_https_clear (https);
  config = discover (discoverer, "jo@order.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_SRV);
  g_assert_cmpstr (config->pop_host, ==, "srv-pop.order.test");
  g_assert_cmpstr (config->smtp_host, ==, "srv-smtp.order.test");
  g_assert_cmpuint (rp_test_resolver_count_lookups (resolver, "pop.order.test"), ==, 0);
  rp_autoconfig_free (config);

  rp_test_resolver_clear (resolver);
  map_hosts ("autoconfig.order.test", "pop.order.test", "smtp.order.test", NULL);
  config = discover (discoverer, "jo@order.test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_GUESS);
  g_assert_cmpstr (config->pop_host, ==, "pop.order.test");
  g_assert_cmpstr (config->smtp_host, ==, "smtp.order.test");
  rp_autoconfig_free (config);
}

/* Every server is a black hole: discovery gives up within its total. */
static void
test_timeout (void)
{
  g_autoptr(RpDiscoverer) discoverer = new_discoverer ();
  g_autoptr(GSocket) black_hole = NULL;
  g_autoptr(GError) error = NULL;
  RpAutoconfig *config;
  gint64 elapsed_ms;
  guint16 port;

  reset ();
  black_hole = black_hole_new (&port);
  map_hosts ("autoconfig.bh.test", "bh.test", "pop.bh.test", "pop3.bh.test", "mail.bh.test",
             "smtp.bh.test", NULL);
  rp_discoverer_set_https_port (discoverer, port);
  rp_discoverer_map_port (discoverer, 995, port);
  rp_discoverer_map_port (discoverer, 110, port);
  rp_discoverer_map_port (discoverer, 465, port);
  rp_discoverer_map_port (discoverer, 587, port);
  rp_discoverer_set_timeout (discoverer, 3000);

  config = discover (discoverer, "kim@bh.test", &elapsed_ms, &error);
  g_assert_null (config);
  g_assert_error (error, RP_ERROR, RP_ERROR_TIMEOUT);
  g_assert_cmpint (elapsed_ms, >=, 2800);
  g_assert_cmpint (elapsed_ms, <, 3600);
}

/* The default total is ten seconds. */
static void
test_timeout_default (void)
{
  g_autoptr(RpDiscoverer) discoverer = new_discoverer ();
  g_autoptr(GSocket) black_hole = NULL;
  g_autoptr(GError) error = NULL;
  RpAutoconfig *config;
  gint64 elapsed_ms;
  guint16 port;

  reset ();
  black_hole = black_hole_new (&port);
  map_hosts ("autoconfig.bh.test", "pop.bh.test", "smtp.bh.test", NULL);
  rp_discoverer_set_https_port (discoverer, port);
  for (guint i = 0; i < 4; i++)
    rp_discoverer_map_port (discoverer, (guint16[]) { 995, 110, 465, 587 }[i], port);

  config = discover (discoverer, "lee@bh.test", &elapsed_ms, &error);
  g_assert_null (config);
  g_assert_error (error, RP_ERROR, RP_ERROR_TIMEOUT);
  g_assert_cmpint (elapsed_ms, >=, 9800);
  g_assert_cmpint (elapsed_ms, <, 10600);
}

/* A black-holed autoconfig server costs only its share: SRV still wins. */
static void
test_step_timeouts (void)
{
  g_autoptr(RpDiscoverer) discoverer = new_discoverer ();
  g_autoptr(GSocket) black_hole = NULL;
  g_autoptr(RpAutoconfig) config = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed_ms;
  guint16 port;

  reset ();
  black_hole = black_hole_new (&port);
  map_hosts ("autoconfig.slow.test", "slow.test", NULL);
  rp_test_resolver_add_srv (resolver, "_pop3s._tcp.slow.test", "localhost",
                            rp_test_dovecot_get_pop3s_port (dovecot), 0, 0);
  rp_test_resolver_add_srv (resolver, "_submissions._tcp.slow.test", "localhost",
                            rp_test_smtpd_get_submissions_port (smtpd), 0, 0);
  rp_discoverer_set_https_port (discoverer, port);
  rp_discoverer_set_timeout (discoverer, 5000);

  config = discover (discoverer, "max@slow.test", &elapsed_ms, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_SRV);
  g_assert_cmpint (config->smtp_security, ==, RP_SECURITY_TLS);
  /* Two autoconfig URLs at 1 s each, then SRV at once. */
  g_assert_cmpint (elapsed_ms, >=, 1800);
  g_assert_cmpint (elapsed_ms, <, 3000);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (300 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel (void)
{
  g_autoptr(RpDiscoverer) discoverer = new_discoverer ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSocket) black_hole = NULL;
  g_autoptr(GError) error = NULL;
  GThread *thread;
  RpAutoconfig *config;
  gint64 start;
  guint16 port;

  reset ();
  black_hole = black_hole_new (&port);
  map_hosts ("autoconfig.bh.test", NULL);
  rp_discoverer_set_https_port (discoverer, port);

  start = g_get_monotonic_time ();
  thread = g_thread_new ("cancel", cancel_later, cancellable);
  config = rp_discoverer_discover_sync (discoverer, "ned@bh.test", cancellable, &error);
  g_thread_join (thread);
  g_assert_null (config);
  g_assert_error (error, RP_ERROR, RP_ERROR_CANCELLED);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 1300);
}

static void
test_invalid_address (void)
{
  g_autoptr(RpDiscoverer) discoverer = new_discoverer ();
  g_autoptr(GError) error = NULL;
  RpAutoconfig *config;

  config = discover (discoverer, "not-an-address", NULL, &error);
  g_assert_null (config);
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
}

static void
on_discovered (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  RpAutoconfig **config = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (RP_IS_MAIN_THREAD ());
  *config = rp_discoverer_discover_finish (RP_DISCOVERER (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autoptr(RpDiscoverer) discoverer = new_discoverer ();
  g_autoptr(RpAutoconfig) config = NULL;
  g_autofree char *xml = make_local_xml ();

  reset ();
  map_hosts ("autoconfig.async.test", NULL);
  rp_test_https_add_file (https, "autoconfig.async.test", "/mail/config-v1.1.xml", xml);

  rp_discoverer_discover_async (discoverer, "olga@async.test", NULL, on_discovered, &config);
  while (config == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (config->source, ==, RP_AUTOCONFIG_SOURCE_AUTOCONFIG);
  g_assert_cmpstr (config->pop_user, ==, "olga");
}

/* Tests: rapport-cli (no network: provider domains only) */

static int
run_cli (const char  *stdin_text,
         char       **out,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("RAPPORT_CLI"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "RAPPORT_SECRETS", "file", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);

  return g_subprocess_get_exit_status (process);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_cli_discover (void)
{
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *pop;

  g_assert_cmpint (run_cli (NULL, &out, "account", "discover", "pat@web.de", "--json", NULL),
                   ==, 0);
  object = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, "provider");
  g_assert_cmpstr (json_object_get_string_member (object, "provider_id"), ==, "webde");
  pop = json_object_get_object_member (object, "pop");
  g_assert_cmpstr (json_object_get_string_member (pop, "host"), ==, "pop3.web.de");
  g_assert_cmpint (json_object_get_int_member (pop, "port"), ==, 995);
  g_assert_cmpstr (json_object_get_string_member (pop, "security"), ==, "tls");
  g_assert_cmpstr (json_object_get_string_member (pop, "user"), ==, "pat@web.de");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "smtp"),
                                                  "security"), ==, "starttls");

  g_assert_cmpint (run_cli (NULL, &out2, "account", "discover", "pat@icloud.com", NULL), ==, 1);
  g_assert_cmpint (run_cli (NULL, NULL, "account", "discover", NULL), ==, 2);
}

static void
test_cli_add_discovers (void)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *accounts;

  /* No servers given: discovered. */
  g_assert_cmpint (run_cli ("pw\n", NULL, "account", "add", "posteo", "--email", "q@posteo.de",
                            "--password-stdin", NULL), ==, 0);
  /* Only the SMTP server given: POP3 discovered, SMTP as given. */
  g_assert_cmpint (run_cli ("pw\n", NULL, "account", "add", "gmx", "--email", "q@gmx.de",
                            "--smtp", "relay.example.net:2525", "--smtp-security", "starttls",
                            "--password-stdin", NULL), ==, 0);
  /* Both given: no discovery, which for this domain would fail. */
  g_assert_cmpint (run_cli ("pw\n", NULL, "account", "add", "manual", "--email",
                            "q@nowhere.invalid", "--pop", "pop.nowhere.invalid",
                            "--smtp", "smtp.nowhere.invalid", "--password-stdin", NULL), ==, 0);

  g_assert_cmpint (run_cli (NULL, &out, "account", "list", "--json", NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  accounts = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (accounts), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);
      const char *name = json_object_get_string_member (account, "name");
      JsonObject *pop = json_object_get_object_member (account, "pop");
      JsonObject *smtp = json_object_get_object_member (account, "smtp");

      if (g_str_equal (name, "posteo"))
        {
          g_assert_cmpstr (json_object_get_string_member (pop, "host"), ==, "posteo.de");
          g_assert_cmpstr (json_object_get_string_member (smtp, "host"), ==, "posteo.de");
          g_assert_cmpint (json_object_get_int_member (smtp, "port"), ==, 465);
        }
      else if (g_str_equal (name, "gmx"))
        {
          g_assert_cmpstr (json_object_get_string_member (pop, "host"), ==, "pop.gmx.net");
          g_assert_cmpstr (json_object_get_string_member (smtp, "host"), ==,
                           "relay.example.net");
          g_assert_cmpint (json_object_get_int_member (smtp, "port"), ==, 2525);
          g_assert_cmpstr (json_object_get_string_member (smtp, "security"), ==, "starttls");
        }
      else
        {
          g_assert_cmpstr (name, ==, "manual");
          g_assert_cmpstr (json_object_get_string_member (pop, "host"), ==,
                           "pop.nowhere.invalid");
          g_assert_cmpint (json_object_get_int_member (pop, "port"), ==, 995);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  rp_test_init (&argc, &argv);
  g_assert_nonnull (g_getenv ("RAPPORT_CLI"));

  resolver = rp_test_resolver_new ();
  rp_test_resolver_install (resolver);

  ca = rp_test_ca_new ();
  dovecot = rp_test_dovecot_new (ca, RP_TEST_CERT_VALID);
  rp_test_dovecot_add_user (dovecot, "alice", "alice-secret");
  smtpd = rp_test_smtpd_new (ca, RP_TEST_CERT_VALID, dovecot);
  https = rp_test_https_new (ca, https_hosts);

  g_test_add_func ("/core/discovery/provider", test_provider);
  g_test_add_func ("/core/discovery/provider-mx", test_provider_mx);
  g_test_add_func ("/core/discovery/provider-without-pop", test_provider_without_pop);
  g_test_add_func ("/core/discovery/autoconfig", test_autoconfig);
  g_test_add_func ("/core/discovery/autoconfig-well-known", test_autoconfig_well_known);
  g_test_add_func ("/core/discovery/autoconfig-first-hangs", test_autoconfig_first_hangs);
  g_test_add_func ("/core/discovery/autoconfig-redirects", test_autoconfig_redirects);
  g_test_add_func ("/core/discovery/srv", test_srv);
  g_test_add_func ("/core/discovery/guess", test_guess);
  g_test_add_func ("/core/discovery/guess-starttls", test_guess_starttls);
  g_test_add_func ("/core/discovery/guess-refuses-plain-text", test_guess_refuses_plain_text);
  g_test_add_func ("/core/discovery/order", test_order);
  g_test_add_func ("/core/discovery/timeout", test_timeout);
  g_test_add_func ("/core/discovery/timeout-default", test_timeout_default);
  g_test_add_func ("/core/discovery/step-timeouts", test_step_timeouts);
  g_test_add_func ("/core/discovery/cancel", test_cancel);
  g_test_add_func ("/core/discovery/invalid-address", test_invalid_address);
  g_test_add_func ("/core/discovery/async", test_async);
  g_test_add_func ("/cli/account/discover", test_cli_discover);
  g_test_add_func ("/cli/account/add-discovers", test_cli_add_discovers);

  status = g_test_run ();

  g_clear_pointer (&https, rp_test_https_free);
  g_clear_pointer (&smtpd, rp_test_smtpd_free);
  g_clear_pointer (&dovecot, rp_test_dovecot_free);
  g_clear_pointer (&ca, rp_test_ca_free);
  rp_test_resolver_uninstall (resolver);
  g_clear_object (&resolver);

  return status;
}
