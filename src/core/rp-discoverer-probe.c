/* rp-discoverer-probe.c: the last discovery step, guessing host names
 *
 * pop., pop3. and mail. are tried for POP3, smtp. and mail. for SMTP, each
 * on the implicit-TLS port and the STARTTLS port, all at once in their own
 * threads. A probe counts when the server completes a TLS handshake (on
 * 995 and 465) or offers STLS / STARTTLS (on 110 and 587): a server that
 * speaks only plain text is never proposed. A certificate that fails
 * verification still counts, since it shows the service is there; the
 * connection test then shows the certificate to the user.
 *
 * The candidates are ordered by preference, and the first one that
 * answers wins only once every candidate before it has failed, so the
 * result does not depend on which server happened to answer first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-discoverer"

#include "config.h"

#include "rp-discoverer-private.h"
#include "rp-error.h"
#include "rp-pop3.h"
#include "rp-smtp.h"

typedef struct
{
  const char     *prefix;
  RpDiscoverPort  port;
  gboolean        pop;
  RpSecurity      security;
} Candidate;

static const Candidate candidates[] = {
  { "pop.",  RP_DISCOVER_PORT_POP3S,       TRUE,  RP_SECURITY_TLS },
  { "pop.",  RP_DISCOVER_PORT_POP3,        TRUE,  RP_SECURITY_STARTTLS },
  { "pop3.", RP_DISCOVER_PORT_POP3S,       TRUE,  RP_SECURITY_TLS },
  { "pop3.", RP_DISCOVER_PORT_POP3,        TRUE,  RP_SECURITY_STARTTLS },
  { "mail.", RP_DISCOVER_PORT_POP3S,       TRUE,  RP_SECURITY_TLS },
  { "mail.", RP_DISCOVER_PORT_POP3,        TRUE,  RP_SECURITY_STARTTLS },
  { "smtp.", RP_DISCOVER_PORT_SUBMISSIONS, FALSE, RP_SECURITY_TLS },
  { "smtp.", RP_DISCOVER_PORT_SUBMISSION,  FALSE, RP_SECURITY_STARTTLS },
  { "mail.", RP_DISCOVER_PORT_SUBMISSIONS, FALSE, RP_SECURITY_TLS },
  { "mail.", RP_DISCOVER_PORT_SUBMISSION,  FALSE, RP_SECURITY_STARTTLS },
};

#define N_CANDIDATES G_N_ELEMENTS (candidates)

typedef enum
{
  PROBE_PENDING,
  PROBE_FOUND,
  PROBE_FAILED,
} ProbeState;

/* Shared by the step and its probe threads; reference-counted because the
 * step may return while a probe is still winding down after the deadline. */
typedef struct
{
  GMutex         mutex;
  GCond          cond;
  ProbeState     states[N_CANDIDATES];   /* under mutex */

  /* Read-only once the threads run. */
  GCancellable  *cancellable;
  char          *ca_file;
  char          *hosts[N_CANDIDATES];
  guint16        ports[N_CANDIDATES];
  guint          timeout_s;
} Probes;

typedef struct
{
  Probes *probes;
  guint   index;
} ProbeJob;

/* Auxiliary methods */

static void
probes_clear (Probes *probes)
{
  g_mutex_clear (&probes->mutex);
  g_cond_clear (&probes->cond);
  g_clear_object (&probes->cancellable);
  g_free (probes->ca_file);
  for (guint i = 0; i < N_CANDIDATES; i++)
    g_free (probes->hosts[i]);
}

static void
probes_unref (Probes *probes)
{
  g_atomic_rc_box_release_full (probes, (GDestroyNotify) probes_clear);
}

/* Whether the server is there; a refused certificate still proves it. */
static gboolean
probe_result (gboolean      connected,
              const GError *error)
{
  return connected || g_error_matches (error, RP_ERROR, RP_ERROR_TLS_CERTIFICATE);
}

static gboolean
probe_pop3 (Probes *probes,
            guint   index)
{
  g_autoptr(RpPop3) pop3 = rp_pop3_new (probes->hosts[index], probes->ports[index],
                                        candidates[index].security);
  g_autoptr(GError) error = NULL;
  gboolean connected;

  rp_pop3_set_timeout (pop3, probes->timeout_s);
  if (probes->ca_file != NULL)
    rp_pop3_set_ca_file (pop3, probes->ca_file);

  connected = rp_pop3_connect_sync (pop3, probes->cancellable, &error);
  if (connected)
    rp_pop3_quit_sync (pop3, probes->cancellable, NULL);
  rp_pop3_close (pop3);

  g_debug ("guess: POP3 %s:%u: %s", probes->hosts[index], probes->ports[index],
           error != NULL ? error->message : "answers");
  return probe_result (connected, error);
}

static gboolean
probe_smtp (Probes *probes,
            guint   index)
{
  g_autoptr(RpSmtp) smtp = rp_smtp_new (probes->hosts[index], probes->ports[index],
                                        candidates[index].security);
  g_autoptr(GError) error = NULL;
  gboolean connected;

  rp_smtp_set_timeout (smtp, probes->timeout_s);
  if (probes->ca_file != NULL)
    rp_smtp_set_ca_file (smtp, probes->ca_file);

  connected = rp_smtp_connect_sync (smtp, probes->cancellable, &error);
  if (connected)
    rp_smtp_quit_sync (smtp, probes->cancellable, NULL);

  g_debug ("guess: SMTP %s:%u: %s", probes->hosts[index], probes->ports[index],
           error != NULL ? error->message : "answers");
  return probe_result (connected, error);
}

/* The preferred candidate of one kind: its index once it is known (every
 * better candidate failed), G_MAXUINT while a better one is pending, and
 * N_CANDIDATES when every candidate failed. With @settle, pending
 * candidates count as failed: the time is up. Call with the mutex held. */
static guint
probes_choose (Probes   *probes,
               gboolean  pop,
               gboolean  settle)
{
  for (guint i = 0; i < N_CANDIDATES; i++)
    {
      if (candidates[i].pop != pop)
        continue;
      if (probes->states[i] == PROBE_FOUND)
        return i;
      if (probes->states[i] == PROBE_PENDING && !settle)
        return G_MAXUINT;
    }

  return N_CANDIDATES;
}

/* Callbacks */

static gpointer
probe_thread (gpointer data)
{
  ProbeJob *job = data;
  Probes *probes = job->probes;
  guint index = job->index;
  gboolean found;

  found = candidates[index].pop ? probe_pop3 (probes, index) : probe_smtp (probes, index);

  g_mutex_lock (&probes->mutex);
  probes->states[index] = found ? PROBE_FOUND : PROBE_FAILED;
  g_cond_signal (&probes->cond);
  g_mutex_unlock (&probes->mutex);

  probes_unref (probes);
  g_free (job);
  return NULL;
}

static void
on_step_cancelled (GCancellable *step,
                   Probes       *probes)
{
  g_cancellable_cancel (probes->cancellable);

  /* Wake the waiting step at once; the probes notice on their own. */
  g_mutex_lock (&probes->mutex);
  g_cond_signal (&probes->cond);
  g_mutex_unlock (&probes->mutex);
}

/* Internal API */

RpAutoconfig *
_rp_discoverer_guess_sync (const RpDiscoverJob  *job,
                           guint                 timeout_ms,
                           GCancellable         *cancellable,
                           GError              **error)
{
  Probes *probes = g_atomic_rc_box_new0 (Probes);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  RpAutoconfig *config = NULL;
  guint pop = G_MAXUINT;
  guint smtp = G_MAXUINT;
  gulong handler = 0;

  g_mutex_init (&probes->mutex);
  g_cond_init (&probes->cond);
  probes->cancellable = g_cancellable_new ();
  probes->ca_file = g_strdup (job->ca_file);
  probes->timeout_s = MAX (1u, (timeout_ms + 999) / 1000);
  for (guint i = 0; i < N_CANDIDATES; i++)
    {
      probes->hosts[i] = g_strconcat (candidates[i].prefix, job->domain, NULL);
      probes->ports[i] = job->port_map[candidates[i].port];
    }

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_step_cancelled), probes, NULL);

  for (guint i = 0; i < N_CANDIDATES; i++)
    {
      ProbeJob *probe_job = g_new0 (ProbeJob, 1);

      probe_job->probes = g_atomic_rc_box_acquire (probes);
      probe_job->index = i;
      /* Not joined: a probe still closing its socket after the deadline
       * must not hold up the answer. */
      g_thread_unref (g_thread_new ("rp-discover-probe", probe_thread, probe_job));
    }

  g_mutex_lock (&probes->mutex);
  for (;;)
    {
      pop = probes_choose (probes, TRUE, FALSE);
      smtp = probes_choose (probes, FALSE, FALSE);
      if ((pop != G_MAXUINT && smtp != G_MAXUINT) || g_cancellable_is_cancelled (cancellable))
        break;
      if (!g_cond_wait_until (&probes->cond, &probes->mutex, deadline))
        break;
    }
  /* Out of time: the best of what answered. */
  pop = probes_choose (probes, TRUE, TRUE);
  smtp = probes_choose (probes, FALSE, TRUE);
  g_mutex_unlock (&probes->mutex);

  g_cancellable_disconnect (cancellable, handler);
  g_cancellable_cancel (probes->cancellable);

  if (pop < N_CANDIDATES && smtp < N_CANDIDATES)
    {
      config = g_new0 (RpAutoconfig, 1);
      config->source = RP_AUTOCONFIG_SOURCE_GUESS;
      config->pop_host = g_strdup (probes->hosts[pop]);
      config->pop_port = probes->ports[pop];
      config->pop_security = candidates[pop].security;
      config->pop_user = g_strdup (job->address);
      config->smtp_host = g_strdup (probes->hosts[smtp]);
      config->smtp_port = probes->ports[smtp];
      config->smtp_security = candidates[smtp].security;
      config->smtp_user = g_strdup (job->address);
    }

  probes_unref (probes);
  return config;
}
