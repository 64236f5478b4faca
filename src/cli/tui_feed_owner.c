/* Who owns the GatewayClass: `latticectl tui` turns read-only when
 * another controller does. Two signs, either one suffices:
 *   1. the leader Lease (UP_LEADER_ELECTION_ID in the controller's
 *      namespace) has a holder whose renewTime + leaseDurationSeconds is
 *      still in the future (the TUI never takes that Lease, so any live
 *      holder is someone else);
 *   2. the GatewayClass of our controllerName says Accepted=True (a
 *      controller without leader election is running and has accepted
 *      it) -- but only while no Lease says the holder is gone.
 * Checked every TUI_OWNER_S seconds on the feed thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/log.h"
#include "latticectl/timeutil.h"
#include "latticectl/upstream.h"
#include "latticectl/xmalloc.h"

#include "tui_feed.h"

#define TUI_OWNER_S	10

enum tui_lease { TUI_LEASE_NONE, TUI_LEASE_LIVE, TUI_LEASE_EXPIRED };

/* Read the Lease: live (with *holder), expired, or none. */
static enum tui_lease
tui_owner_lease(struct tui_feed *f, char **holder)
{
	struct kube_error	 e = { 0 };
	struct timespec		 renew;
	const char		*h;
	cJSON			*lease = NULL;
	double			 dur;
	enum tui_lease		 st = TUI_LEASE_NONE;

	*holder = NULL;
	if (kube_get(f->o.kc, &KUBE_RES_LEASES, f->o.owner_ns,
	    UP_LEADER_ELECTION_ID, &lease, &e) != 0) {
		kube_error_clear(&e);
		return TUI_LEASE_NONE;
	}
	h = json_path_str(lease, "spec.holderIdentity");
	dur = json_num(json_path(lease, "spec"), "leaseDurationSeconds", 15);
	if (h == NULL || *h == '\0' || time_from_json(json_path(lease,
	    "spec.renewTime"), &renew) != 0)
		st = TUI_LEASE_EXPIRED;
	else if ((double)renew.tv_sec + dur < (double)time(NULL))
		st = TUI_LEASE_EXPIRED;
	else {
		st = TUI_LEASE_LIVE;
		*holder = xstrdup(h);
	}
	cJSON_Delete(lease);
	return st;
}

/* Is our GatewayClass Accepted=True by our controllerName? */
static int
tui_owner_accepted(struct tui_feed *f)
{
	struct kube_error	 e = { 0 };
	const cJSON		*c;
	const char		*ctl;
	cJSON			*gc = NULL;
	int			 yes = 0;

	if (kube_get(f->o.kc, &KUBE_RES_GATEWAYCLASSES, NULL,
	    f->o.gatewayclass, &gc, &e) != 0) {
		kube_error_clear(&e);
		return 0;
	}
	ctl = json_path_str(gc, "spec.controllerName");
	if (ctl != NULL && strcmp(ctl, UP_CONTROLLER_NAME) == 0) {
		cJSON_ArrayForEach(c, json_path(gc, "status.conditions")) {
			if (strcmp(json_str(c, "type"), "Accepted") == 0 &&
			    strcmp(json_str(c, "status"), "True") == 0)
				yes = 1;
		}
	}
	cJSON_Delete(gc);
	return yes;
}

/* Re-check who owns the GatewayClass when due; set the read-only flag
 * and its reason. */
void
tui_owner_check(struct tui_feed *f)
{
	uint64_t	 now = time_mono_ms();
	enum tui_lease	 st;
	char		*holder = NULL, *why = NULL;

	if (now < f->owner_next)
		return;
	f->owner_next = now + TUI_OWNER_S * 1000;
	st = tui_owner_lease(f, &holder);
	if (st == TUI_LEASE_LIVE)
		xasprintf(&why, "GatewayClass %s is owned by %s (Lease %s/%s)",
		    f->o.gatewayclass, holder, f->o.owner_ns,
		    UP_LEADER_ELECTION_ID);
	else if (st == TUI_LEASE_NONE && tui_owner_accepted(f))
		xasprintf(&why, "GatewayClass %s is Accepted by a running "
		    "controller", f->o.gatewayclass);
	free(holder);
	pthread_mutex_lock(&f->lock);
	if ((why != NULL) != f->owner_ro)
		log_msg(LOG_LEVEL_INFO, "tui", "%s", why != NULL ? why :
		    "no other controller: writable");
	f->owner_ro = why != NULL;
	free(f->owner_why);
	f->owner_why = why;
	pthread_mutex_unlock(&f->lock);
}
