/* Shared inputs of the ui tests: a controller_map entry and a plan of
 * the shapes `latticectl map -o json` and plan_to_json print (the rates
 * route of the lab: two rules, two target groups, one target failing its
 * health checks), a doctor report (briefs' doctor JSON) and an HTTPRoute;
 * and the helpers of the tests that draw into curses on /dev/null
 * (setup/teardown own the SCREEN; line() returns a static buffer). The
 * helpers are static inline so a test that does not draw pays nothing. */
#ifndef TEST_UI_FIXTURE_H
#define TEST_UI_FIXTURE_H

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ui.h"
#include "../../ui/ui_int.h"

static const char *const ui_fx_entry =
	"{\"kind\":\"HTTPRoute\",\"namespace\":\"default\",\"name\":\"rates\","
	"\"accepted\":true,"
	"\"serviceNetworks\":[{\"name\":\"my-hotel\",\"association\":\"ACTIVE\","
	"\"id\":\"sn-0123456789abcdef0\"}],"
	"\"service\":{\"id\":\"svc-0a1b2c3d4e5f60718\",\"arn\":\"arn:aws:vpc-"
	"lattice:us-west-2:123456789012:service/svc-0a1b2c3d4e5f60718\","
	"\"name\":\"rates-default\",\"status\":\"ACTIVE\",\"dnsName\":"
	"\"rates-default-0a1b2c3d4e5f60718.7d67968.vpc-lattice-svcs.us-west-2."
	"on.aws\"},"
	"\"listeners\":[{\"name\":\"rates-default-80-http\",\"protocol\":"
	"\"HTTP\",\"port\":80,\"rules\":["
	"{\"priority\":1,\"name\":\"rates-default-80-http-1\",\"match\":"
	"\"prefix:/parking\",\"targetGroups\":[{\"key\":\"svc/default/parking/"
	"8090\",\"id\":\"tg-01\",\"arn\":\"arn:tg-01\",\"name\":"
	"\"k8s-default-parking-8090-http-abc\",\"status\":\"ACTIVE\","
	"\"protocol\":\"HTTP\",\"protocolVersion\":\"HTTP1\",\"port\":8090,"
	"\"healthCheck\":{\"enabled\":true,\"protocol\":\"HTTP\",\"path\":"
	"\"/\",\"healthCheckIntervalSeconds\":30},\"targets\":["
	"{\"ip\":\"10.0.1.10\",\"port\":8090,\"status\":\"HEALTHY\"},"
	"{\"ip\":\"10.0.2.11\",\"port\":8090,\"status\":\"UNHEALTHY\","
	"\"reasonCode\":\"HealthCheckFailed\"}],\"weight\":1}]},"
	"{\"priority\":2,\"name\":\"rates-default-80-http-2\",\"match\":"
	"\"prefix:/review\",\"targetGroups\":[{\"key\":\"svc/default/review/"
	"8090\",\"id\":\"tg-02\",\"name\":\"k8s-default-review-8090-http-def\","
	"\"status\":\"ACTIVE\",\"protocol\":\"HTTP\",\"port\":8090,"
	"\"healthCheck\":{\"enabled\":false},\"targets\":["
	"{\"ip\":\"10.0.1.20\",\"port\":8090,\"status\":\"HEALTHY\"},"
	"{\"ip\":\"10.0.2.21\",\"port\":8090,\"status\":\"HEALTHY\"}],"
	"\"weight\":1}]}]}]}";

static const char *const ui_fx_plan =
	"{\"owner\":\"HTTPRoute default/rates\",\"deleting\":false,\"drift\":"
	"true,\"problems\":[],\"operations\":[{\"op\":\"update-rule\","
	"\"resource\":\"rule 1 (prefix:/parking) on rates-default-80-http\","
	"\"reason\":\"match path /parking -> /parking-v2\",\"id\":\"rule-01\"}]}";

static const char *const ui_fx_plan_empty =
	"{\"owner\":\"HTTPRoute default/rates\",\"deleting\":false,\"drift\":"
	"false,\"problems\":[],\"operations\":[]}";

static const char *const ui_fx_route =
	"{\"kind\":\"HTTPRoute\",\"metadata\":{\"name\":\"rates\","
	"\"namespace\":\"default\",\"annotations\":{\"application-networking."
	"k8s.aws/lattice-assigned-domain-name\":\"rates-default-0a1b2c3d4e5f6"
	"0718.7d67968.vpc-lattice-svcs.us-west-2.on.aws\"}},\"spec\":"
	"{\"parentRefs\":[{\"name\":\"my-hotel\",\"sectionName\":\"http\"}],"
	"\"rules\":[{\"backendRefs\":[{\"name\":\"parking\",\"kind\":"
	"\"Service\",\"port\":8090}]},{\"backendRefs\":[{\"name\":\"review\","
	"\"kind\":\"Service\",\"port\":8090}]}]},\"status\":{\"parents\":[{"
	"\"parentRef\":{\"name\":\"my-hotel\"},\"controllerName\":"
	"\"application-networking.k8s.aws/gateway-api-controller\","
	"\"conditions\":[{\"type\":\"Accepted\",\"status\":\"True\",\"reason\":"
	"\"Accepted\"},{\"type\":\"ResolvedRefs\",\"status\":\"True\","
	"\"reason\":\"ResolvedRefs\"}]}]}}";

static const char *const ui_fx_events =
	"[{\"type\":\"Normal\",\"reason\":\"DeploymentSucceeded\",\"message\":"
	"\"service rates-default created\",\"count\":1}]";

static const char *const ui_fx_doctor =
	"{\"target\":\"HTTPRoute/default/rates\",\"checkedAt\":"
	"\"2026-11-28T10:00:00Z\",\"summary\":{\"ok\":2,\"warn\":1,\"fail\":1,"
	"\"skip\":1},\"checks\":["
	"{\"id\":\"cluster.controller\",\"group\":\"cluster\",\"subject\":"
	"\"deployment/gateway-api-controller\",\"status\":\"OK\",\"title\":"
	"\"The controller is running\",\"evidence\":\"\",\"fix\":\"\"},"
	"{\"id\":\"network.sg-prefix-list\",\"group\":\"network\",\"subject\":"
	"\"sg-0abc (cluster security group)\",\"status\":\"FAIL\",\"title\":"
	"\"Cluster security group admits the Lattice prefix lists\","
	"\"evidence\":\"sg-0abc has no inbound rule from pl-0721453c7ac4ec009\","
	"\"fix\":\"aws ec2 authorize-security-group-ingress --group-id sg-0abc\"},"
	"{\"id\":\"cluster.irsa\",\"group\":\"cluster\",\"subject\":"
	"\"sa/gateway-api-controller\",\"status\":\"WARN\",\"title\":"
	"\"IRSA role annotation\",\"evidence\":\"role has extra policies\","
	"\"fix\":\"detach them\"},"
	"{\"id\":\"route.accepted\",\"group\":\"route\",\"subject\":"
	"\"HTTPRoute/default/rates\",\"status\":\"OK\",\"title\":\"Route "
	"accepted\",\"evidence\":\"\",\"fix\":\"\"},"
	"{\"id\":\"route.tls\",\"group\":\"route\",\"subject\":"
	"\"HTTPRoute/default/rates\",\"status\":\"SKIP\",\"title\":\"TLS "
	"certificate\",\"evidence\":\"no HTTPS listener\",\"fix\":\"\"}]}";

/* Row y of stdscr as text, trailing blanks cut (a static buffer). */
static inline const char *
line(int y)
{
	static char	buf[256];
	int		n;

	n = mvwinnstr(stdscr, y, 0, buf, COLS < 255 ? COLS : 255);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return buf;
}

/* Whether any row contains s. */
static inline int
screen_has(const char *s)
{
	int	y;

	for (y = 0; y < LINES; y++) {
		if (strstr(line(y), s) != NULL)
			return 1;
	}
	return 0;
}

/* Draw a frame; UI_DUMP=1 prints it (for writing assertions). */
static inline void
frame(struct ui_app *a)
{
	int	y;

	erase();
	ui_app_draw(a);
	for (y = 0; getenv("UI_DUMP") != NULL && y < LINES; y++)
		fprintf(stderr, "|%s\n", line(y));
}

/* Type a string of keys. */
static inline void
keys(struct ui_app *a, const char *k)
{
	for (; *k != '\0'; k++)
		ui_app_key(a, (unsigned char)*k);
}

/* Group setup: curses on /dev/null, 80x24 from the vt100 entry (the
 * SCREEN goes to *state). */
static inline int
setup(void **state)
{
	SCREEN	*scr;
	FILE	*out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");

	use_env(FALSE);
	scr = newterm("vt100", out, in);
	if (scr == NULL) {
		printf("SKIP: no vt100 terminfo entry\n");
		return -1;
	}
	*state = scr;
	return 0;
}

/* Group teardown: end curses. */
static inline int
teardown(void **state)
{
	endwin();
	delscreen(*state);
	return 0;
}

#endif
