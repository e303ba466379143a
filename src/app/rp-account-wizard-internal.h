/* rp-account-wizard-internal.h: what the wizard's files share
 *
 * rp-account-wizard.c has the pages up to the servers and the saving;
 * rp-account-wizard-test.c has the connection test page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-account-test.h"
#include "rp-account-wizard-private.h"

G_BEGIN_DECLS

/* The state of one row of the connection test. */
typedef enum
{
  STEP_PENDING,
  STEP_RUNNING,
  STEP_DONE,
  STEP_FAILED,
} StepState;

#define N_STEPS RP_ACCOUNT_TEST_DONE

struct _RpAccountWizard
{
  AdwWindow          parent_instance;

  RpDiscoverer      *discoverer;
  /* Cancels the running discovery or connection test. */
  GCancellable      *cancellable;
  /* What discovery found (or the guess) for @config_address. */
  RpAutoconfig      *config;
  char              *config_address;
  /* The account being set up; saved only on the last page. */
  RpAccount         *account;
  char              *ca_file;
  /* The certificate the last test refused, for "Trust This Certificate",
   * and the step that refused it: it is pinned for that server. */
  RpCertificate     *certificate;
  RpAccountTestStep  failed_step;
  char              *error_text;
  /* The pages to go Back to (static strings). */
  GPtrArray         *history;
  gboolean           testing;
  gboolean           test_passed;
  gboolean           test_failed;
  gboolean           saved;
  /* Set while the form is filled from code, so that the handlers that
   * follow the user's edits stay quiet. */
  gboolean           filling;

  GtkWidget         *step_rows[N_STEPS];
  GtkStack          *step_states[N_STEPS];

  /* Template children */
  AdwToastOverlay   *toast_overlay;
  GtkStack          *stack;
  GtkWidget         *header_title;
  GtkWidget         *back_button;
  GtkWidget         *cancel_button;
  GtkButton         *next_button;
  AdwEntryRow       *name_row;
  AdwEntryRow       *email_row;
  AdwEntryRow       *password_row;
  GtkLabel          *details_error;
  AdwStatusPage     *discovering_page;
  GtkSpinner        *discovering_spinner;
  GtkLabel          *found_title;
  GtkLabel          *found_source;
  AdwActionRow      *found_pop_row;
  AdwActionRow      *found_smtp_row;
  GtkLabel          *found_hint;
  GtkLabel          *manual_note;
  AdwEntryRow       *pop_host_row;
  AdwComboRow       *pop_security_row;
  GtkSpinButton     *pop_port_spin;
  AdwEntryRow       *pop_user_row;
  AdwEntryRow       *smtp_host_row;
  AdwComboRow       *smtp_security_row;
  GtkSpinButton     *smtp_port_spin;
  AdwEntryRow       *smtp_user_row;
  GtkLabel          *test_title;
  GtkListBox        *test_steps;
  GtkWidget         *test_error_box;
  GtkLabel          *test_error_label;
  GtkLabel          *test_hint_label;
  GtkWidget         *certificate_group;
  AdwActionRow      *cert_subject_row;
  AdwActionRow      *cert_issuer_row;
  AdwActionRow      *cert_validity_row;
  AdwActionRow      *cert_fingerprint_row;
  GtkWidget         *test_buttons;
  GtkWidget         *trust_button;
  GtkWidget         *save_anyway_button;
  GtkCheckButton    *keep_check;
  GtkCheckButton    *delete_check;
  GtkCheckButton    *days_check;
  GtkSpinButton     *days_spin;
  GtkWidget         *recent_row;
  GtkSwitch         *recent_switch;
  GtkSwitch         *own_sent_switch;
  AdwStatusPage     *done_page;
  GtkWidget         *done_button;
};

void     _rp_account_wizard_show_page              (RpAccountWizard *self,
                                                    const char      *page,
                                                    gboolean         remember);
void     _rp_account_wizard_update_buttons         (RpAccountWizard *self);
void     _rp_account_wizard_cancel_running         (RpAccountWizard *self);
gboolean _rp_account_wizard_is_stale               (RpAccountWizard *self,
                                                    GAsyncResult    *result);
/* The test page (rp-account-wizard-test.c). */
void     _rp_account_wizard_init_test_page         (RpAccountWizard *self);
void     _rp_account_wizard_install_test_actions   (GtkWidgetClass  *widget_class);
void     _rp_account_wizard_start_test             (RpAccountWizard *self);

G_END_DECLS
