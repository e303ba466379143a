/* rp-discoverer.c: finding an address's servers, source after source
 *
 * The sources are asked one after the other, and the first that answers
 * wins: the provider table (and, for custom domains, the provider behind
 * the domain's MX records), autoconfig XML from the two well-known HTTPS
 * URLs, RFC 6186 SRV records, and finally guessing with connection probes.
 * Each network step gets its own share of the total budget, enforced by a
 * watchdog that cancels the step, so that one black-holed server cannot
 * starve the steps after it, and the whole stays within the total.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-discoverer"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "rp-discoverer-private.h"
#include "rp-error.h"

/* Shares of the total budget, in per cent. Guessing gets whatever is left,
 * at least the 30 % these leave over. */
#define SHARE_MX          15
#define SHARE_AUTOCONFIG  20    /* for each of the two URLs */
#define SHARE_SRV         15

/* Autoconfig files are a few kilobytes; anything much bigger is not one. */
#define MAX_AUTOCONFIG_SIZE (256 * 1024)
#define MAX_REDIRECTS 3

struct _RpDiscoverer
{
  GObject   parent_instance;

  /* Settings, changed only by the owner's thread before a discovery
   * starts; each discovery works on a snapshot (RpDiscoverJob). */
  char     *ca_file;
  guint16   https_port;
  guint16   port_map[RP_DISCOVER_N_PORTS];
  guint     timeout_ms;
};

G_DEFINE_FINAL_TYPE (RpDiscoverer, rp_discoverer, G_TYPE_OBJECT)

static const guint16 standard_ports[RP_DISCOVER_N_PORTS] = { 995, 110, 465, 587 };

/* A thread that cancels a step's cancellable at its deadline. The step's
 * cancellable also follows the caller's, so one check covers both. */
typedef struct
{
  GMutex        mutex;
  GCond         cond;
  gboolean      stopped;
  gboolean      fired;
  gint64        deadline;
  GCancellable *cancellable;
  GCancellable *parent;
  gulong        parent_handler;
  GThread      *thread;
} Watchdog;

typedef RpAutoconfig *(*StepFunc) (const RpDiscoverJob  *job,
                                   guint                 timeout_ms,
                                   GCancellable         *cancellable,
                                   GError              **error);

/* Auxiliary methods: the watchdog */

static void
on_parent_cancelled (GCancellable *parent,
                     GCancellable *step)
{
  g_cancellable_cancel (step);
}

static gpointer
watchdog_thread (gpointer data)
{
  Watchdog *watchdog = data;
  gboolean fire = FALSE;

  g_mutex_lock (&watchdog->mutex);
  while (!watchdog->stopped)
    {
      if (!g_cond_wait_until (&watchdog->cond, &watchdog->mutex, watchdog->deadline))
        {
          fire = !watchdog->stopped;
          watchdog->fired = fire;
          break;
        }
    }
  g_mutex_unlock (&watchdog->mutex);

  if (fire)
    g_cancellable_cancel (watchdog->cancellable);

  return NULL;
}

static Watchdog *
watchdog_start (GCancellable *parent,
                guint         timeout_ms)
{
  Watchdog *watchdog = g_new0 (Watchdog, 1);

  g_mutex_init (&watchdog->mutex);
  g_cond_init (&watchdog->cond);
  watchdog->deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  watchdog->cancellable = g_cancellable_new ();
  if (parent != NULL)
    {
      watchdog->parent = g_object_ref (parent);
      watchdog->parent_handler = g_cancellable_connect (parent, G_CALLBACK (on_parent_cancelled),
                                                        watchdog->cancellable, NULL);
    }
  watchdog->thread = g_thread_new ("rp-discover-watchdog", watchdog_thread, watchdog);

  return watchdog;
}

/* Stops and frees the watchdog; TRUE if its deadline had passed. */
static gboolean
watchdog_stop (Watchdog *watchdog)
{
  gboolean fired;

  g_mutex_lock (&watchdog->mutex);
  watchdog->stopped = TRUE;
  g_cond_signal (&watchdog->cond);
  g_mutex_unlock (&watchdog->mutex);
  g_thread_join (watchdog->thread);

  fired = watchdog->fired;
  if (watchdog->parent != NULL)
    {
      g_cancellable_disconnect (watchdog->parent, watchdog->parent_handler);
      g_object_unref (watchdog->parent);
    }
  g_object_unref (watchdog->cancellable);
  g_mutex_clear (&watchdog->mutex);
  g_cond_clear (&watchdog->cond);
  g_free (watchdog);

  return fired;
}

/* Auxiliary methods: the job */

static void
job_free (RpDiscoverJob *job)
{
  g_free (job->address);
  g_free (job->local_part);
  g_free (job->domain);
  g_free (job->ca_file);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpDiscoverJob, job_free)

static RpDiscoverJob *
job_new (RpDiscoverer  *self,
         const char    *address,
         GError       **error)
{
  g_autoptr(RpDiscoverJob) job = g_new0 (RpDiscoverJob, 1);

  if (!_rp_autoconfig_split_address (address, &job->local_part, &job->domain))
    {
      g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid email address."), address);
      return NULL;
    }

  job->address = g_strdup (address);
  job->ca_file = g_strdup (self->ca_file);
  job->https_port = self->https_port;
  memcpy (job->port_map, self->port_map, sizeof job->port_map);
  job->total_ms = self->timeout_ms;

  return g_steal_pointer (&job);
}

/* Auxiliary methods: the steps */

/* Step 1b: a custom domain whose mail exchangers belong to a provider in
 * the table (Google Workspace, Microsoft 365, …). */
static RpAutoconfig *
step_mx (const RpDiscoverJob  *job,
         guint                 timeout_ms,
         GCancellable         *cancellable,
         GError              **error)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autolist(GVariant) records = NULL;
  guint16 best_preference = G_MAXUINT16;
  RpAutoconfig *best = NULL;

  records = g_resolver_lookup_records (resolver, job->domain, G_RESOLVER_RECORD_MX,
                                       cancellable, error);

  for (GList *l = records; l != NULL; l = l->next)
    {
      guint16 preference = 0;
      const char *exchange = NULL;
      RpAutoconfig *config;

      g_variant_get (l->data, "(q&s)", &preference, &exchange);
      if (best != NULL && preference >= best_preference)
        continue;

      config = _rp_autoconfig_lookup_mx (job->address, exchange);
      if (config != NULL)
        {
          rp_autoconfig_free (best);
          best = config;
          best_preference = preference;
        }
    }

  return best;
}

static gboolean
on_accept_certificate (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       GTlsCertificate      *ca)
{
  GUri *uri = soup_message_get_uri (message);
  int port = g_uri_get_port (uri);
  g_autoptr(GSocketConnectable) identity = NULL;

  /* Only the CA we were given is added; the certificate must still name
   * the host and be within its dates. */
  identity = g_network_address_new (g_uri_get_host (uri), port > 0 ? (guint16) port : 443);
  return g_tls_certificate_verify (certificate, identity, ca) == 0;
}

static GBytes *
read_limited (GInputStream  *stream,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buffer[8192];

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (data->len + (gsize) n > MAX_AUTOCONFIG_SIZE)
        {
          g_set_error_literal (error, RP_ERROR, RP_ERROR_PROTOCOL,
                               "the configuration file is too large");
          return NULL;
        }
      g_byte_array_append (data, buffer, (guint) n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/* GETs @url over HTTPS, following at most a few redirects, and only to
 * other HTTPS URLs: a redirect to plain HTTP would let anyone on the path
 * choose the user's servers. */
static GBytes *
https_get (const RpDiscoverJob  *job,
           const char           *url,
           guint                 timeout_ms,
           GCancellable         *cancellable,
           GError              **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autofree char *current = g_strdup (url);

  session = soup_session_new_with_options ("user-agent", "Rapport/" PACKAGE_VERSION,
                                           "timeout", MAX (1u, (timeout_ms + 999) / 1000),
                                           NULL);
  if (job->ca_file != NULL)
    {
      ca = g_tls_certificate_new_from_file (job->ca_file, error);
      if (ca == NULL)
        return NULL;
    }

  for (guint redirects = 0; redirects <= MAX_REDIRECTS; redirects++)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("GET", current);
      g_autoptr(GInputStream) stream = NULL;
      const char *location;
      guint status;

      if (message == NULL)
        {
          g_set_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT, "invalid URL %s", current);
          return NULL;
        }
      soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
      if (ca != NULL)
        g_signal_connect (message, "accept-certificate",
                          G_CALLBACK (on_accept_certificate), ca);

      stream = soup_session_send (session, message, cancellable, error);
      if (stream == NULL)
        return NULL;

      status = soup_message_get_status (message);
      if (status == SOUP_STATUS_OK)
        return read_limited (stream, cancellable, error);

      location = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                               "Location");
      if (SOUP_STATUS_IS_REDIRECTION (status) && location != NULL)
        {
          g_autofree char *next = g_uri_resolve_relative (current, location,
                                                          G_URI_FLAGS_NONE, NULL);

          if (next == NULL || g_ascii_strncasecmp (next, "https://", 8) != 0)
            {
              g_set_error (error, RP_ERROR, RP_ERROR_PROTOCOL,
                           "refusing a redirect from %s to a URL that is not HTTPS", current);
              return NULL;
            }
          g_debug ("autoconfig: %s redirects to %s", current, next);
          g_free (current);
          current = g_steal_pointer (&next);
          continue;
        }

      g_set_error (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT, "HTTP %u %s from %s",
                   status, soup_message_get_reason_phrase (message), current);
      return NULL;
    }

  g_set_error (error, RP_ERROR, RP_ERROR_PROTOCOL, "too many redirects from %s", url);
  return NULL;
}

static char *
https_authority (const RpDiscoverJob *job,
                 const char          *host)
{
  if (job->https_port == 0 || job->https_port == 443)
    return g_strdup (host);
  return g_strdup_printf ("%s:%u", host, job->https_port);
}

static RpAutoconfig *
autoconfig_from_url (const RpDiscoverJob  *job,
                     const char           *url,
                     guint                 timeout_ms,
                     GCancellable         *cancellable,
                     GError              **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_debug ("autoconfig: trying %s", url);
  bytes = https_get (job, url, timeout_ms, cancellable, error);
  if (bytes == NULL)
    return NULL;

  return _rp_autoconfig_parse_xml (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   job->address, error);
}

/* Step 2a: the provider's autoconfig host. */
static RpAutoconfig *
step_autoconfig_host (const RpDiscoverJob  *job,
                      guint                 timeout_ms,
                      GCancellable         *cancellable,
                      GError              **error)
{
  g_autofree char *host = g_strconcat ("autoconfig.", job->domain, NULL);
  g_autofree char *authority = https_authority (job, host);
  g_autofree char *escaped = g_uri_escape_string (job->address, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("https://%s/mail/config-v1.1.xml?emailaddress=%s",
                                          authority, escaped);

  return autoconfig_from_url (job, url, timeout_ms, cancellable, error);
}

/* Step 2b: the domain's own web server, at the well-known path. */
static RpAutoconfig *
step_autoconfig_well_known (const RpDiscoverJob  *job,
                            guint                 timeout_ms,
                            GCancellable         *cancellable,
                            GError              **error)
{
  g_autofree char *authority = https_authority (job, job->domain);
  g_autofree char *url = g_strdup_printf ("https://%s/.well-known/autoconfig/mail/config-v1.1.xml",
                                          authority);

  return autoconfig_from_url (job, url, timeout_ms, cancellable, error);
}

/* Looks up one SRV name. RFC 2782: the lowest priority wins, and among
 * equals the highest weight (we need one server, not load sharing); a
 * target of "." says the service is decidedly not offered. Returns FALSE
 * without @error when there is no usable record. */
static gboolean
lookup_srv (GResolver     *resolver,
            const char    *rrname,
            char         **host,
            guint16       *port,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autolist(GVariant) records = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *best_target = NULL;
  guint16 best_priority = 0;
  guint16 best_weight = 0;
  guint16 best_port = 0;

  records = g_resolver_lookup_records (resolver, rrname, G_RESOLVER_RECORD_SRV,
                                       cancellable, &local_error);
  if (records == NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("srv: %s: %s", rrname, local_error != NULL ? local_error->message : "none");
      return FALSE;
    }

  for (GList *l = records; l != NULL; l = l->next)
    {
      guint16 priority, weight, record_port;
      const char *target;

      g_variant_get (l->data, "(qqq&s)", &priority, &weight, &record_port, &target);
      if (g_str_equal (target, ".") || *target == '\0')
        {
          g_debug ("srv: %s: the service is not offered", rrname);
          return FALSE;
        }

      if (best_target == NULL || priority < best_priority ||
          (priority == best_priority && weight > best_weight))
        {
          best_target = target;
          best_priority = priority;
          best_weight = weight;
          best_port = record_port;
        }
    }

  if (best_target == NULL || best_port == 0)
    return FALSE;

  *host = g_strdup (best_target);
  /* Answers name hosts with the root's trailing dot. */
  if (g_str_has_suffix (*host, "."))
    (*host)[strlen (*host) - 1] = '\0';
  *port = best_port;
  return TRUE;
}

/* Step 3: RFC 6186. Implicit TLS is preferred over STARTTLS (RFC 8314);
 * services without TLS are never chosen automatically. */
static RpAutoconfig *
step_srv (const RpDiscoverJob  *job,
          guint                 timeout_ms,
          GCancellable         *cancellable,
          GError              **error)
{
  static const struct
  {
    const char *service;
    gboolean    pop;
    RpSecurity  security;
  } services[] = {
    { "_pop3s._tcp",       TRUE,  RP_SECURITY_TLS },
    { "_pop3._tcp",        TRUE,  RP_SECURITY_STARTTLS },
    { "_submissions._tcp", FALSE, RP_SECURITY_TLS },
    { "_submission._tcp",  FALSE, RP_SECURITY_STARTTLS },
  };
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(RpAutoconfig) config = g_new0 (RpAutoconfig, 1);

  config->source = RP_AUTOCONFIG_SOURCE_SRV;

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autofree char *rrname = NULL;
      char **host = services[i].pop ? &config->pop_host : &config->smtp_host;
      guint16 *port = services[i].pop ? &config->pop_port : &config->smtp_port;
      RpSecurity *security = services[i].pop ? &config->pop_security : &config->smtp_security;

      if (*host != NULL)
        continue;

      rrname = g_strconcat (services[i].service, ".", job->domain, NULL);
      if (lookup_srv (resolver, rrname, host, port, cancellable, error))
        *security = services[i].security;
      else if (error != NULL && *error != NULL)
        return NULL;
    }

  if (config->pop_host == NULL || config->smtp_host == NULL)
    return NULL;

  /* RFC 6186 section 5: the user name is the whole address unless the
   * user is told otherwise. */
  config->pop_user = g_strdup (job->address);
  config->smtp_user = g_strdup (job->address);
  return g_steal_pointer (&config);
}

/* Runs @func with a share of the remaining budget. Returns the result, or
 * NULL: then *@stop is set with @error when discovery must end now (the
 * caller cancelled, or the total is used up), and *@timed_out when the step
 * ran out of time. */
static RpAutoconfig *
run_step (const RpDiscoverJob  *job,
          const char           *name,
          StepFunc              func,
          guint                 share,
          GCancellable         *cancellable,
          gboolean             *timed_out,
          gboolean             *stop,
          GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 remaining_ms = (job->deadline - g_get_monotonic_time ()) / 1000;
  guint budget;
  Watchdog *watchdog;
  RpAutoconfig *result;
  gboolean fired;

  if (remaining_ms <= 0)
    {
      *timed_out = TRUE;
      *stop = TRUE;
      return NULL;
    }

  budget = share == 0 ? (guint) remaining_ms
                      : (guint) MIN ((gint64) job->total_ms * share / 100, remaining_ms);
  watchdog = watchdog_start (cancellable, budget);
  result = func (job, budget, watchdog->cancellable, &local_error);
  fired = watchdog_stop (watchdog);

  if (result != NULL)
    {
      g_debug ("%s: found POP3 %s:%u and SMTP %s:%u", name,
               result->pop_host ? result->pop_host : "-", result->pop_port,
               result->smtp_host, result->smtp_port);
      return result;
    }

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_CANCELLED,
                           _("The operation was cancelled"));
      *stop = TRUE;
      return NULL;
    }

  if (fired || g_error_matches (local_error, RP_ERROR, RP_ERROR_TIMEOUT))
    *timed_out = TRUE;
  g_debug ("%s: nothing found%s%s%s", name, fired ? " in time" : "",
           local_error != NULL ? ": " : "", local_error != NULL ? local_error->message : "");
  return NULL;
}

/* Callbacks */

static void
discover_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  RpDiscoverer *self = source_object;
  const char *address = task_data;
  GError *error = NULL;
  RpAutoconfig *config;

  config = rp_discoverer_discover_sync (self, address, cancellable, &error);
  if (config == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, config, (GDestroyNotify) rp_autoconfig_free);
}

/* GObject overrides */

static void
rp_discoverer_finalize (GObject *object)
{
  RpDiscoverer *self = RP_DISCOVERER (object);

  g_clear_pointer (&self->ca_file, g_free);

  G_OBJECT_CLASS (rp_discoverer_parent_class)->finalize (object);
}

static void
rp_discoverer_class_init (RpDiscovererClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rp_discoverer_finalize;
}

static void
rp_discoverer_init (RpDiscoverer *self)
{
  self->timeout_ms = RP_DISCOVERER_DEFAULT_TIMEOUT_MS;
  self->https_port = 443;
  memcpy (self->port_map, standard_ports, sizeof self->port_map);
}

/* Public API */

RpDiscoverer *
rp_discoverer_new (void)
{
  return g_object_new (RP_TYPE_DISCOVERER, NULL);
}

void
rp_discoverer_set_ca_file (RpDiscoverer *self,
                           const char   *ca_file)
{
  g_return_if_fail (RP_IS_DISCOVERER (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

void
rp_discoverer_set_https_port (RpDiscoverer *self,
                              guint16       port)
{
  g_return_if_fail (RP_IS_DISCOVERER (self));

  self->https_port = port;
}

void
rp_discoverer_map_port (RpDiscoverer *self,
                        guint16       standard,
                        guint16       actual)
{
  g_return_if_fail (RP_IS_DISCOVERER (self));

  for (guint i = 0; i < RP_DISCOVER_N_PORTS; i++)
    if (standard_ports[i] == standard)
      {
        self->port_map[i] = actual;
        return;
      }

  g_critical ("%s: %u is not a port that discovery probes", G_STRFUNC, standard);
}

void
rp_discoverer_set_timeout (RpDiscoverer *self,
                           guint         total_ms)
{
  g_return_if_fail (RP_IS_DISCOVERER (self));
  g_return_if_fail (total_ms > 0);

  self->timeout_ms = total_ms;
}

/**
 * rp_discoverer_discover_sync:
 * @self: a discoverer
 * @address: the mail address
 * @cancellable: (nullable): a #GCancellable
 * @error: the reason nothing was found
 *
 * Finds the POP3 and SMTP servers of @address, blocking the calling
 * thread for at most the discoverer's timeout (and a moment to wind down).
 * A provider in the table that offers no POP3 fails with
 * %RP_ERROR_SERVER_PERMANENT and the provider's note.
 *
 * Returns: (transfer full): the settings found, or %NULL
 */
RpAutoconfig *
rp_discoverer_discover_sync (RpDiscoverer  *self,
                             const char    *address,
                             GCancellable  *cancellable,
                             GError       **error)
{
  static const struct
  {
    const char *name;
    StepFunc    func;
    guint       share;
  } steps[] = {
    { "mx",                    step_mx,                    SHARE_MX },
    { "autoconfig",            step_autoconfig_host,       SHARE_AUTOCONFIG },
    { "autoconfig-well-known", step_autoconfig_well_known, SHARE_AUTOCONFIG },
    { "srv",                   step_srv,                   SHARE_SRV },
    { "guess",                 _rp_discoverer_guess_sync,  0 },
  };
  g_autoptr(RpDiscoverJob) job = NULL;
  RpAutoconfig *config;
  gboolean timed_out = FALSE;
  gboolean stop = FALSE;

  g_return_val_if_fail (RP_IS_DISCOVERER (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  job = job_new (self, address, error);
  if (job == NULL)
    return NULL;
  job->deadline = g_get_monotonic_time () + (gint64) job->total_ms * 1000;

  if (g_cancellable_set_error_if_cancelled (cancellable, NULL))
    {
      g_set_error_literal (error, RP_ERROR, RP_ERROR_CANCELLED,
                           _("The operation was cancelled"));
      return NULL;
    }

  /* Step 1: the table, without any network access. */
  config = _rp_autoconfig_lookup_domain (address, job->domain);
  for (guint i = 0; config == NULL && !stop && i < G_N_ELEMENTS (steps); i++)
    config = run_step (job, steps[i].name, steps[i].func, steps[i].share, cancellable,
                       &timed_out, &stop, error);

  if (config != NULL && config->pop_host == NULL)
    {
      /* The provider is known, and known to offer no POP3: guessing would
       * only find its IMAP-only servers' neighbours. */
      g_set_error_literal (error, RP_ERROR, RP_ERROR_SERVER_PERMANENT,
                           config->hint != NULL ? config->hint
                                                : _("This provider offers no POP3 access."));
      rp_autoconfig_free (config);
      return NULL;
    }

  if (config != NULL)
    return config;

  if (error != NULL && *error != NULL)
    return NULL;

  if (timed_out)
    g_set_error (error, RP_ERROR, RP_ERROR_TIMEOUT,
                 _("No mail servers for %s were found in time. Enter the servers by hand, "
                   "or try again later."), job->domain);
  else
    g_set_error (error, RP_ERROR, RP_ERROR_CONNECTION_FAILED,
                 _("No mail servers for %s were found. Enter the servers by hand; your "
                   "provider’s help pages name them."), job->domain);
  return NULL;
}

void
rp_discoverer_discover_async (RpDiscoverer        *self,
                              const char          *address,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RP_IS_DISCOVERER (self));
  g_return_if_fail (address != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rp_discoverer_discover_async);
  g_task_set_task_data (task, g_strdup (address), g_free);
  /* Errors carry RP_ERROR_CANCELLED themselves. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, discover_thread);
}

RpAutoconfig *
rp_discoverer_discover_finish (RpDiscoverer  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (RP_IS_DISCOVERER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, rp_discoverer_discover_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
